package io.strongzero.cli;

import io.strongzero.testing.TestDatabase;

class PostgresCliTest extends CliContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
