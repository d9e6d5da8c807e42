package io.strongzero.it;

import io.strongzero.tck.OperationsContract;
import io.strongzero.testing.TestDatabase;

class MariaDbOperationsTest extends OperationsContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
