package io.strongzero.it;

import io.strongzero.tck.SenderContract;
import io.strongzero.testing.TestDatabase;

class MariaDbSenderTest extends SenderContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
