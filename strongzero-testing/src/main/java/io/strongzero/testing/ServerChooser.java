package io.strongzero.testing;

/**
 * Decides how a database server is provided for the tests, from three probes and one setting; pure, so every
 * branch is unit-tested without a server or Docker:
 *
 * <ol>
 *   <li>the local server answers: use it;</li>
 *   <li>else Testcontainers is on the class path and finds a Docker engine: run the server in a container;</li>
 *   <li>else skip, with one line saying how to enable the tests; or fail with that line when the database tests
 *       are required ({@code strongzero.db=required} or the environment variable CI set).</li>
 * </ol>
 *
 * The probes are asked lazily and in that order: a reachable local server never makes the chooser look for
 * Testcontainers or Docker. A server described by {@link TestDatabase#server} has no container:
 * {@link #chooseLocalOnly} decides for it, from the first probe only.
 */
final class ServerChooser {

    /** What the tests of one database get. */
    enum Outcome {
        LOCAL_SERVER, CONTAINER, SKIP, FAIL
    }

    /** The decision and the one line that explains it. */
    record Choice(Outcome outcome, String message) {
    }

    /** What the chooser asks about the machine. */
    interface Probes {
        /** Null when the local server accepts a connection, else why not. */
        String localServerProblem();

        /** Whether Testcontainers is on the class path. */
        boolean testcontainersPresent();

        /** Whether Testcontainers finds a Docker engine (asked only when it is present). */
        boolean dockerAvailable();
    }

    static final String REQUIRED_MARK = " [strongzero.db=required or CI set: the database tests must run]";

    private ServerChooser() {
    }

    /**
     * @param database the database's name, as in messages ("POSTGRESQL")
     * @param localUrl where the local server was looked for
     * @param required whether a database that cannot be provided fails the tests instead of skipping them
     */
    static Choice choose(String database, String localUrl, Probes probes, boolean required) {
        String problem = probes.localServerProblem();
        if (problem == null) {
            return new Choice(Outcome.LOCAL_SERVER, database + ": the local server at " + localUrl);
        }
        String unreachable = database + " is not reachable at " + localUrl + " (" + oneLine(problem) + ")";
        String howToEnable;
        if (!probes.testcontainersPresent()) {
            howToEnable = " and Testcontainers is not on the class path: start the server, or add "
                    + "org.testcontainers:testcontainers to the test class path and run a Docker engine (docs/testing.md)";
        } else if (!probes.dockerAvailable()) {
            howToEnable = " and Testcontainers finds no Docker engine: start the server, or install and start Docker "
                    + "(docs/testing.md)";
        } else {
            return new Choice(Outcome.CONTAINER, unreachable + ": running it in a container (Testcontainers)");
        }
        return required ? new Choice(Outcome.FAIL, unreachable + howToEnable + REQUIRED_MARK)
                : new Choice(Outcome.SKIP, unreachable + howToEnable);
    }

    /**
     * For a server without a container: use it if it answers, else skip, or fail when required.
     *
     * @param database the database's name, as in messages ("ORACLE")
     * @param localUrl where the server was looked for
     * @param required whether a database that cannot be provided fails the tests instead of skipping them
     */
    static Choice chooseLocalOnly(String database, String localUrl, Probes probes, boolean required) {
        String problem = probes.localServerProblem();
        if (problem == null) {
            return new Choice(Outcome.LOCAL_SERVER, database + ": the server at " + localUrl);
        }
        String line = database + " is not reachable at " + localUrl + " (" + oneLine(problem) + "): start the server, "
                + "or describe one that runs (TestDatabase.server, docs/testing.md)";
        return required ? new Choice(Outcome.FAIL, line + REQUIRED_MARK) : new Choice(Outcome.SKIP, line);
    }

    /**
     * Whether the database tests must run: the system property {@code strongzero.db} is {@code required}, or the
     * environment variable CI is set to anything but blank or {@code false}.
     */
    static boolean required(String property, String ci) {
        return "required".equalsIgnoreCase(property) || (ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci));
    }

    /** {@code text} with every run of white space (line breaks included) as one space. */
    static String oneLine(String text) {
        return String.valueOf(text).strip().replaceAll("\\s+", " ");
    }
}
