package io.strongzero.it.stores;

import io.strongzero.tck.stores.DeadLetterStoreContract;
import io.strongzero.testing.TestDatabase;

class MariaDbDeadLetterStoreTest extends DeadLetterStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
