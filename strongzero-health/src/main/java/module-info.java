/**
 * StrongZero's optional HTTP health endpoint for Kubernetes probes: {@link io.strongzero.health.HealthEndpoint}
 * on the JDK's built-in HTTP server.
 */
module io.strongzero.health {
    // Health, Health.Check and StrongZeroConfigException appear in HealthEndpoint's signatures.
    requires transitive io.strongzero.core;
    requires com.fasterxml.jackson.databind;
    requires jdk.httpserver;
    requires org.slf4j;

    exports io.strongzero.health;
}
