package io.strongzero.it.stores;

import io.strongzero.tck.stores.OffsetStoreContract;
import io.strongzero.testing.TestDatabase;

class MariaDbOffsetStoreTest extends OffsetStoreContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
