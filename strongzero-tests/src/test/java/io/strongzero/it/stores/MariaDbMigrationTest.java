package io.strongzero.it.stores;

import io.strongzero.tck.stores.MigrationContract;
import io.strongzero.testing.TestDatabase;

class MariaDbMigrationTest extends MigrationContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
