package io.strongzero.it;

class MariaDbReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
