package io.strongzero.cli;

import io.strongzero.testing.TestDatabase;

class MariaDbCliTest extends CliContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
