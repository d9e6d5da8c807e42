package io.strongzero.it.stores;

import io.strongzero.testing.TestDatabase;

class PostgresProcessedKeyStoreTest extends ProcessedKeyStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
