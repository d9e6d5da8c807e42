package io.strongzero.it.stores;

import io.strongzero.testing.TestDatabase;

class MariaDbOffsetStoreTest extends OffsetStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
