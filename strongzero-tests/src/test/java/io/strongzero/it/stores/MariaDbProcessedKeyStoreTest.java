package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class MariaDbProcessedKeyStoreTest extends ProcessedKeyStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
