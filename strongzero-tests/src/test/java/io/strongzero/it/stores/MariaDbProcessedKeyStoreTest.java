package io.strongzero.it.stores;

import io.strongzero.testing.TestDatabase;

class MariaDbProcessedKeyStoreTest extends ProcessedKeyStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
