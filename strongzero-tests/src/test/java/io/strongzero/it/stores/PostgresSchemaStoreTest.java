package io.strongzero.it.stores;

import io.strongzero.tck.stores.SchemaStoreContract;
import io.strongzero.testing.TestDatabase;

class PostgresSchemaStoreTest extends SchemaStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
