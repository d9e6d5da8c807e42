package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class PostgresProcessedKeyStoreTest extends ProcessedKeyStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
