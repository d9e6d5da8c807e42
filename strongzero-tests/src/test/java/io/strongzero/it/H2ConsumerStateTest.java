package io.strongzero.it;

class H2ConsumerStateTest extends ConsumerStateContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
