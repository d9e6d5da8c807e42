package io.strongzero.it;

import io.strongzero.tck.ReliabilityContract;
import io.strongzero.testing.TestDatabase;

class H2ReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
