package io.strongzero.it;

import io.strongzero.tck.ConsumerPolicyContract;
import io.strongzero.testing.TestDatabase;

class MariaDbConsumerPolicyTest extends ConsumerPolicyContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
