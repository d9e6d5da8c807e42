/**
 * StrongZero's technology compatibility kit: abstract JUnit 5 contract suites (pipeline, reliability,
 * consumer policy and state, operations, hostile input, sender) and store contracts that a database
 * integration runs by subclassing.
 */
module io.strongzero.tck {
    // The suites are JUnit 5 classes over the test kit and the components; their signatures name them.
    requires transitive io.strongzero.testing;
    requires transitive io.strongzero.core;
    requires transitive io.strongzero.pump;
    requires transitive io.strongzero.producer;
    requires transitive io.strongzero.consumer;
    requires transitive org.junit.jupiter.api;
    requires io.strongzero.health;
    requires com.zaxxer.hikari;
    requires java.net.http;
    requires org.zeromq.jeromq;

    exports io.strongzero.tck;
    exports io.strongzero.tck.stores;

    // JUnit calls the suites' package-private test and lifecycle methods by reflection (setAccessible), which a
    // named module allows only for packages it opens: without these, a subclass on the module path fails.
    opens io.strongzero.tck to org.junit.platform.commons;
    opens io.strongzero.tck.stores to org.junit.platform.commons;
}
