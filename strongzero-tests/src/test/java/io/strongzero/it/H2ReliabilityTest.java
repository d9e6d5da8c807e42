package io.strongzero.it;

class H2ReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
