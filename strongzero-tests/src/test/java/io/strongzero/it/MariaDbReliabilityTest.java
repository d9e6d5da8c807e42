package io.strongzero.it;

import io.strongzero.tck.ReliabilityContract;
import io.strongzero.testing.TestDatabase;

class MariaDbReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
