package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strongzero.pump.StrongZeroPump;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.testing.Await;
import io.strongzero.testing.Ports;
import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Without head notifications (H2, MariaDB) a sender with every instance's poke endpoint wakes every instance: one PUSH
 * socket per endpoint (one socket connected to both would round-robin, waking one of them per commit). Both pumps poll
 * every 60 s, so within the test's wait only the pokes can tell them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class H2SenderPokesEveryInstanceTest {

    private final TestDatabase.Instance db = TestDatabase.H2.create("pokes");

    @AfterEach
    void close() {
        db.close();
    }

    private StrongZeroPump pump(String endpoint) {
        return StrongZeroPump.builder().name("users").dataSource(db.dataSource()).createSchemaIfMissing(true)
                .pollInterval(Duration.ofSeconds(60)).pokeEndpoint(endpoint).build().start();
    }

    @Test
    void aSenderWithTwoPokeEndpointsWakesBothPumpsOnEveryCommit() throws IOException {
        String first = "tcp://127.0.0.1:" + Ports.freeLoopbackPort();
        String second = "tcp://127.0.0.1:" + Ports.freeLoopbackPort();
        try (StrongZeroPump a = pump(first); StrongZeroPump b = pump(second);
             StrongZeroSender sender = StrongZeroSender.builder().dataSource(db.dataSource())
                     .pokeEndpoints(first, second).build()) {
            assertEquals(List.of(first, second), sender.config().pokeEndpoints());
            sender.inTransaction(c -> sender.send(c, "user.created", Map.of("id", 0)));
            // a poke sent before a socket's first handshake is dropped (immediate mode; pokes are only a hint): until
            // both sockets are connected, poke again
            Await.until(Duration.ofSeconds(20), "both pumps at head 1 through pokes, not polls", () -> {
                sender.updated();
                return a.head() == 1 && b.head() == 1;
            }, () -> "a " + a.head() + ", b " + b.head());
            for (int sent = 2; sent <= 4; sent++) {
                sender.inTransaction(c -> sender.send(c, "user.created", Map.of("id", 1))); // one wake-up per commit
                long expected = sent;
                Await.until(Duration.ofSeconds(20), "both pumps at head " + expected + " after the commit's one wake-up",
                        () -> a.head() == expected && b.head() == expected, () -> "a " + a.head() + ", b " + b.head());
            }
            assertEquals(4, a.stampedCount() + b.stampedCount());
        }
    }

}
