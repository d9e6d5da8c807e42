package io.strongzero.it;

import io.strongzero.tck.ConsumerPolicyContract;
import io.strongzero.testing.TestDatabase;

class PostgresConsumerPolicyTest extends ConsumerPolicyContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
