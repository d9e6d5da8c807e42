package io.strongzero.cli;

class PostgresCliTest extends CliContract {
    @Override
    protected CliDatabase database() {
        return CliDatabase.POSTGRESQL;
    }
}
