package io.strongzero.it.stores;

import io.strongzero.tck.stores.MigrationContract;
import io.strongzero.testing.TestDatabase;

class H2MigrationTest extends MigrationContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
