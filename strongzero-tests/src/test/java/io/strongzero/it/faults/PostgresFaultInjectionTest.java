package io.strongzero.it.faults;

import io.strongzero.testing.TestDatabase;

class PostgresFaultInjectionTest extends ServerFaultInjectionContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
