package io.strongzero.it.faults;

import io.strongzero.testing.TestDatabase;

class H2FaultInjectionTest extends FaultInjectionContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
