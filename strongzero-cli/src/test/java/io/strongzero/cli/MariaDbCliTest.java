package io.strongzero.cli;

class MariaDbCliTest extends CliContract {
    @Override
    protected CliDatabase database() {
        return CliDatabase.MARIADB;
    }
}
