package io.strongzero.it.stores;

import io.strongzero.tck.stores.LaneMigrationContract;
import io.strongzero.testing.TestDatabase;

class PostgresLaneMigrationTest extends LaneMigrationContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
