package io.strongzero.it;

import io.strongzero.tck.ReliabilityContract;
import io.strongzero.testing.TestDatabase;

class PostgresReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
