/**
 * The StrongZero admin command line. The CLI is not published and ships as one shaded, runnable jar that runs
 * on the class path (java -jar): the shade plugin drops every module-info.class, this one included. It exists
 * so that javac compiles the CLI as a module against the published modules: the CLI can use only their
 * exported API, never an {@code internal} package (none is exported to it).
 */
module io.strongzero.cli {
    requires io.strongzero.consumer;
    requires io.strongzero.pump;
    requires io.strongzero.core;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires java.sql;

    // StrongZeroCli.run is for embedding and tests; everything else in the package is package-private.
    exports io.strongzero.cli;
}
