package io.strongzero.it;

class MariaDbSenderTest extends SenderContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
