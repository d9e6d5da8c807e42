package io.strongzero.it;

import io.strongzero.tck.ProtocolHostileInputContract;
import io.strongzero.testing.TestDatabase;

class MariaDbProtocolHostileInputTest extends ProtocolHostileInputContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
