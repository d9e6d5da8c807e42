package io.strongzero.it;

class MariaDbProtocolHostileInputTest extends ProtocolHostileInputContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
