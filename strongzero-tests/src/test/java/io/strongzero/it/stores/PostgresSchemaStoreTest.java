package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class PostgresSchemaStoreTest extends SchemaStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
