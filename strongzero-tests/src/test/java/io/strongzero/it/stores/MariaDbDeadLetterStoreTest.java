package io.strongzero.it.stores;

import io.strongzero.it.TestDatabase;

class MariaDbDeadLetterStoreTest extends DeadLetterStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
