package io.strongzero.cli;

/** A command line the CLI cannot run as given: exit code 2, with the usage of the command concerned. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * The command ("status", "dlq", "dlq list") the mistake concerns, or null for the general usage. Once the
     * command line is parsed, the usage shown is that of the command given.
     */
    final String command;

    UsageException(String command, String message) {
        super(message);
        this.command = command;
    }
}
