package io.strongzero.it.faults;

import io.strongzero.it.TestDatabase;

class PostgresFaultInjectionTest extends ServerFaultInjectionContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
