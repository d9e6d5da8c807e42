package io.strongzero.it;

class PostgresProtocolHostileInputTest extends ProtocolHostileInputContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
