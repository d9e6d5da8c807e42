package io.strongzero.it;

class H2ConsumerPolicyTest extends ConsumerPolicyContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
