package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.tck.LogCapture;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, items 1 and 2: a producer that is down reads as not reachable (not as a CURVE problem), and
 * the recovery is logged once, however long the outage lasted. The producer binds a fixed port so that
 * it can be stopped and started again where the consumer expects it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerOutageReportTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String P = Pipeline.PRODUCER;
    private static final String RE_ESTABLISHED = "re-established; pulling again after position";

    private final String bind = "tcp://127.0.0.1:" + freePort();

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A consumer that reports a pull without reply after 700 ms (instead of 15 s). */
    private StrongZeroConsumer startConsumer(Pipeline p, String name) {
        return p.startConsumer(name, b -> b.longPollWait(Duration.ofMillis(200)).requestTimeout(Duration.ofMillis(500)));
    }

    private static void awaitFailures(StrongZeroConsumer c, long atLeast) {
        Await.until(WAIT, atLeast + " failed pulls", () -> c.failureCount() >= atLeast,
                () -> c.failureCount() + " failures, " + c.lastError(P));
    }

    private static void awaitApplied(Pipeline p, String consumer, int n) {
        Await.until(WAIT, n + " messages applied by " + consumer, () -> p.receivedCount(consumer) == n,
                () -> p.receivedCount(consumer));
    }

    @Test
    void stoppedProducerIsReportedAsNotReachableWithoutACurveHint() {
        try (Pipeline p = new Pipeline(TestDatabase.H2); LogCapture log = LogCapture.start()) {
            p.startProducer(bind);
            StrongZeroConsumer c = startConsumer(p, "stopped");
            p.sendCommitted("a", 1);
            awaitApplied(p, "stopped", 1);
            p.stopProducer();
            awaitFailures(c, c.failureCount() + 1);
            String why = c.lastError(P);
            assertTrue(why.startsWith("no reply from producer users at " + bind + " within 700 ms: the producer is not "
                    + "reachable ("), why);
            assertTrue(why.endsWith("): check that it is running and listening on this endpoint"), why);
            assertFalse(why.contains("CURVE"), why);
            Await.until(WAIT, "health says why", () -> c.health().reasons().toString()
                    .contains("the producer is not reachable"), c::health);
            String reasons = c.health().reasons().toString();
            assertEquals(reasons.indexOf("no reply from producer"), reasons.lastIndexOf("no reply from producer"),
                    "the health reason states the silence once, then its cause: " + reasons);
            List<String> warned = log.lines("strongzero-consumer[stopped]", "no reply from producer");
            assertFalse(warned.isEmpty(), "the capture works");
            assertEquals(List.of(), log.lines("strongzero-consumer[stopped]", "CURVE"), "no CURVE hint anywhere");
        }
    }

    @Test
    void restartAfterAnOutageLongerThanTheRequestTimeoutLogsReEstablishedExactlyOnce() {
        try (Pipeline p = new Pipeline(TestDatabase.H2); LogCapture log = LogCapture.start()) {
            p.startProducer(bind);
            StrongZeroConsumer c = startConsumer(p, "recovering");
            p.sendCommitted("a", 1);
            awaitApplied(p, "recovering", 1);
            p.stopProducer();
            // three reported timeouts: an outage several times the request timeout
            awaitFailures(c, c.failureCount() + 3);
            assertEquals(List.of(), log.lines("strongzero-consumer[recovering]", RE_ESTABLISHED), "not before it is");
            p.startProducer(bind);
            p.sendCommitted("b", 2);
            awaitApplied(p, "recovering", 2);
            p.sendCommitted("c", 3);
            awaitApplied(p, "recovering", 3);
            assertNull(c.lastError(P));
            List<String> recovered = log.lines("strongzero-consumer[recovering]", RE_ESTABLISHED);
            assertEquals(1, recovered.size(), recovered.toString());
            assertTrue(recovered.get(0).contains("connection to producer users at " + bind + " re-established; pulling "
                    + "again after position 1"), recovered.get(0));
            assertEquals(1, log.lines("strongzero-consumer[recovering]", "connected to producer users").size(),
                    "the first pull ever is logged as connected, once");
        }
    }

    @Test
    void consumerStartedBeforeItsProducerLogsConnectedAndNeverReEstablished() {
        try (Pipeline p = new Pipeline(TestDatabase.H2); LogCapture log = LogCapture.start();
             StrongZeroConsumer c = Pipeline.consumerBuilder("early", p.consumerDb.dataSource(), bind, 0)
                     .longPollWait(Duration.ofMillis(200)).requestTimeout(Duration.ofMillis(500)).build().start()) {
            awaitFailures(c, 2);
            assertTrue(c.lastError(P).contains("the producer is not reachable"), c.lastError(P));
            p.startProducer(bind);
            p.sendCommitted("a", 1);
            awaitApplied(p, "early", 1);
            assertEquals(List.of(), log.lines("strongzero-consumer[early]", "re-established"));
            List<String> connected = log.lines("strongzero-consumer[early]", "connected to producer users at " + bind
                    + "; pulling after position 0");
            assertEquals(1, connected.size(), log.lines("strongzero-consumer[early]").toString());
        }
    }
}
