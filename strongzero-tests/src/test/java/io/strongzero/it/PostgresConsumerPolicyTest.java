package io.strongzero.it;

class PostgresConsumerPolicyTest extends ConsumerPolicyContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
