package io.strongzero.it.stores;

import io.strongzero.tck.stores.LaneMigrationContract;
import io.strongzero.testing.TestDatabase;

class H2LaneMigrationTest extends LaneMigrationContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
