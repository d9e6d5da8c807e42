package io.strongzero.it;

class MariaDbConsumerStateTest extends ConsumerStateContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
