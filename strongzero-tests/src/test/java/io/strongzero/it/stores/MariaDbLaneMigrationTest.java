package io.strongzero.it.stores;

import io.strongzero.tck.stores.LaneMigrationContract;
import io.strongzero.testing.TestDatabase;

class MariaDbLaneMigrationTest extends LaneMigrationContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
