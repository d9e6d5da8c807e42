package io.strongzero.it;

class PostgresSenderTest extends SenderContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
