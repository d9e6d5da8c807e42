package io.strongzero.cli;

class H2CliTest extends CliContract {
    @Override
    protected CliDatabase database() {
        return CliDatabase.H2;
    }
}
