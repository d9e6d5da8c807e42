package io.strongzero.it;

class H2OperationsTest extends OperationsContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
