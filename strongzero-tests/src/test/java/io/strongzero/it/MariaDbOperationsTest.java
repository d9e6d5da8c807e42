package io.strongzero.it;

class MariaDbOperationsTest extends OperationsContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
