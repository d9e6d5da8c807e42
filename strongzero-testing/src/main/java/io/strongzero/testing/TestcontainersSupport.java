package io.strongzero.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The only class of the kit that refers to Testcontainers; loaded by {@link ContainerSupport#load} after
 * {@link ContainerSupport#present} found Testcontainers on the class path. Uses the core artifact only (a
 * {@link GenericContainer}), so a user adds one dependency: {@code org.testcontainers:testcontainers}.
 */
final class TestcontainersSupport implements ContainerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TestcontainersSupport.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /** Instantiated reflectively by {@link ContainerSupport#load}. */
    TestcontainersSupport() {
    }

    @Override
    public boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Server start(String database, ContainerSpec spec) {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(spec.image()));
        container.withExposedPorts(spec.port()).withEnv(spec.environment()).waitingFor(Wait.forListeningPort())
                .withStartupTimeout(STARTUP_TIMEOUT);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop,
                "strongzero-testing-stop-" + database.toLowerCase(Locale.ROOT)));
        Server server = new Server(spec.url(container.getHost(), container.getMappedPort(spec.port())), spec.user(), "",
                "a " + spec.image() + " container");
        awaitConnection(database, server);
        LOG.info("strongzero-testing: {} runs in a {} container at {}", database, spec.image(), server.url());
        return server;
    }

    /** The port listens before some images finish their set-up: wait until a connection works. */
    private static void awaitConnection(String database, Server server) {
        long end = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            String problem;
            try (Connection c = server.connect()) {
                if (c.isValid(2)) {
                    return;
                }
                problem = "the connection is not valid";
            } catch (SQLException e) {
                problem = e.getMessage();
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException(database + ": " + server.description() + " at " + server.url()
                        + " does not accept connections after " + READY_TIMEOUT.toSeconds() + " s: " + problem);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(database + ": interrupted while waiting for " + server.description(), e);
            }
        }
    }
}
