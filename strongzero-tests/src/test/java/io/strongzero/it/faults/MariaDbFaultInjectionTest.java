package io.strongzero.it.faults;

import io.strongzero.testing.TestDatabase;

class MariaDbFaultInjectionTest extends ServerFaultInjectionContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
