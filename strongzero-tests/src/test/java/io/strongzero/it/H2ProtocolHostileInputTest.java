package io.strongzero.it;

class H2ProtocolHostileInputTest extends ProtocolHostileInputContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
