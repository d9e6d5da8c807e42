package io.strongzero.it;

class H2SenderTest extends SenderContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
