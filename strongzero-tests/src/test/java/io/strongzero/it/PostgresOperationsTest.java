package io.strongzero.it;

class PostgresOperationsTest extends OperationsContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
