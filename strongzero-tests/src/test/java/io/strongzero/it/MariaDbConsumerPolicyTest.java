package io.strongzero.it;

class MariaDbConsumerPolicyTest extends ConsumerPolicyContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
