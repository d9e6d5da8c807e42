package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression: jeromq 0.6.0 sometimes completes a fresh outgoing TCP connection but never its ZMTP
 * handshake (jeromq pull request 1022, "connect hand-off race"; a few percent of new connections here).
 * With the default 30 s handshake interval the consumer's first PULL then went unanswered until its
 * request timeout (long-poll wait + request timeout, 15 s by default) made it reconnect. The consumer
 * now bounds the handshake by its heartbeat interval, so a stuck connection is replaced at once.
 *
 * <p>Each consumer has its own ZeroMQ context and connection; with the request timeout set far above
 * the limit asserted here, a single stuck handshake among them fails the test (before the fix, about
 * half of the runs did). The limit is the default handshake timeout (2 s) plus room for the reconnect
 * and the first pull on a loaded machine: a stuck handshake recovered by the fix costs about 2 s, one
 * left to the request timeout costs 60 s. (It was 2.5 s, which left a recovered stall half a second.)
 */
class H2FreshConnectionHandshakeTest {

    private static final int CONSUMERS = 40;
    private static final Duration PROMPTLY = Duration.ofSeconds(8);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void firstPullOfEveryFreshConsumerIsAnsweredPromptlyEvenWhenAHandshakeStalls() {
        try (Pipeline p = new Pipeline(TestDatabase.H2).startProducer()) {
            String id = p.sendCommitted("first", 1);
            Await.until(Duration.ofSeconds(10), "position 1 assigned", () -> p.pump.head() == 1, p.pump::head);
            List<String> slow = new ArrayList<>();
            for (int i = 0; i < CONSUMERS; i++) {
                String name = "fresh" + i;
                StrongZeroConsumer c = p.startConsumer(name, b -> b.requestTimeout(REQUEST_TIMEOUT));
                try {
                    Await.until(PROMPTLY, name + " applying the first message",
                            () -> p.receivedCount(name) == 1);
                } catch (AssertionError e) {
                    slow.add(name + " (" + c.lastError(Pipeline.PRODUCER) + ")");
                    Await.until(REQUEST_TIMEOUT.plusSeconds(10), name + " applying the first message at all",
                            () -> p.receivedCount(name) == 1);
                }
                assertEquals(List.of(id), p.receivedIds(name));
            }
            assertEquals(List.of(), slow, "consumers whose first pull waited more than " + PROMPTLY.toSeconds() + " s");
        }
    }
}
