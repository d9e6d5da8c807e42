package io.strongzero.it.stores;

import io.strongzero.tck.stores.ProcessedKeyStoreContract;
import io.strongzero.testing.TestDatabase;

class MariaDbProcessedKeyStoreTest extends ProcessedKeyStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
