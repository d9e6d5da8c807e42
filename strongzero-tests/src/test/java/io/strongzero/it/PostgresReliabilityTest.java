package io.strongzero.it;

class PostgresReliabilityTest extends ReliabilityContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
