package io.strongzero.it.faults;

import io.strongzero.it.TestDatabase;

class MariaDbFaultInjectionTest extends ServerFaultInjectionContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
