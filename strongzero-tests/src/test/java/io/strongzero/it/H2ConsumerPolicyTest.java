package io.strongzero.it;

import io.strongzero.tck.ConsumerPolicyContract;
import io.strongzero.testing.TestDatabase;

class H2ConsumerPolicyTest extends ConsumerPolicyContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
