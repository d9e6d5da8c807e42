package io.strongzero.cli;

import io.strongzero.testing.TestDatabase;

class H2CliTest extends CliContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
