package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.internal.Protocol;
import io.strongzero.producer.ProducerSecurity;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Issue 5, part 1: over CURVE only allow-listed consumers read the stream, and a consumer reads only
 * from the producer whose key it expects. Each intruder runs next to an allowed consumer that must
 * keep receiving everything.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CurveAccessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String P = Pipeline.PRODUCER;

    private final CurveKeyPair producerKeys = CurveKeyPair.generate();
    private final CurveKeyPair allowedKeys = CurveKeyPair.generate();
    private SecureStream s;

    @BeforeEach
    void setUp() {
        s = new SecureStream(ProducerSecurity.builder().keyPair(producerKeys).allow(allowedKeys.publicKey()).build());
    }

    @AfterEach
    void tearDown() {
        if (s != null) {
            s.close();
        }
    }

    private StrongZeroConsumer startAllowed() {
        return s.consumer("members", b -> b.curveKeyPair(allowedKeys).producerKey(P, producerKeys.publicKey()));
    }

    /** Fast-failing settings for an intruder, so its failed attempts add up quickly. */
    private static StrongZeroConsumer.Builder impatient(StrongZeroConsumer.Builder b) {
        return b.longPollWait(Duration.ZERO).requestTimeout(Duration.ofMillis(300));
    }

    private void awaitReceived(String consumer, List<String> expected) {
        Await.until(WAIT, expected.size() + " messages at " + consumer,
                () -> s.pipeline.receivedCount(consumer) >= expected.size(), () -> s.pipeline.receivedCount(consumer));
        assertEquals(expected, s.pipeline.receivedIds(consumer), "every message, in order, once");
    }

    @Test
    void allowListedConsumerReceivesEveryMessageInOrderOverCurve() {
        StrongZeroConsumer members = startAllowed();
        List<String> sent = s.send("u", 200);
        awaitReceived("members", sent);
        Await.until(WAIT, "offset 200", () -> members.position(P) == 200, () -> members.position(P));
        assertEquals(0, members.failureCount());
        assertEquals(0, s.producer.refusedConnectionCount());
        assertEquals(0, s.producer.malformedCount());
        assertEquals(200, s.producer.servedCount());
    }

    @Test
    void consumerWithAKeyNotOnTheAllowListIsRefusedAndReceivesNothing() {
        startAllowed();
        List<String> sent = new ArrayList<>(s.send("a", 20));
        CurveKeyPair strangerKeys = CurveKeyPair.generate();
        StrongZeroConsumer stranger = s.consumer("stranger",
                b -> impatient(b).curveKeyPair(strangerKeys).producerKey(P, producerKeys.publicKey()));
        String reason = "refused this consumer's CURVE key " + strangerKeys.publicKey().z85();
        Await.until(WAIT, "the stranger's key refused, its pulls unanswered, and the reason in its lastError",
                () -> s.producer.refusedConnectionCount() >= 2 && stranger.failureCount() >= 2
                        && String.valueOf(stranger.lastError(P)).contains(reason),
                () -> s.producer.refusedConnectionCount() + " refused, " + stranger.failureCount() + " failures, "
                        + stranger.lastError(P));
        sent.addAll(s.send("b", 20));
        awaitReceived("members", sent);
        assertEquals(0, s.pipeline.receivedCount("stranger"));
        assertEquals(0, stranger.position(P));
        assertEquals(0, stranger.appliedCount());
        assertEquals(0, s.producer.malformedCount(), "refused during the handshake: no request ever reached the frontend");
    }

    @Test
    void plaintextClientsAgainstACurveProducerReceiveNothing() {
        startAllowed();
        List<String> sent = new ArrayList<>(s.send("a", 20));
        StrongZeroConsumer plain = s.consumer("plain", CurveAccessTest::impatient);
        try (ZContext ctx = new ZContext(1)) {
            // A raw DEALER sending a valid PULL for the whole stream in plaintext.
            ZMQ.Socket raw = ctx.createSocket(SocketType.DEALER);
            raw.setLinger(0);
            raw.connect(s.endpoint());
            raw.send(new byte[0], ZMQ.SNDMORE);
            raw.send(Protocol.header(Protocol.CMD_PULL), ZMQ.SNDMORE);
            raw.send(Protocol.encodePull(new Protocol.PullRequest(1, 0, 100, 1 << 20, 0, P, "raw")), 0);
            Await.until(WAIT, "the plaintext consumer's pulls unanswered", () -> plain.failureCount() >= 2,
                    plain::failureCount);
            sent.addAll(s.send("b", 20));
            Await.until(WAIT, "the allowed consumer has the later messages, while the raw client gets nothing", () -> {
                assertNull(raw.recv(ZMQ.DONTWAIT), "a plaintext client received a reply");
                return s.pipeline.receivedCount("members") >= sent.size();
            });
        }
        awaitReceived("members", sent);
        assertEquals(0, s.pipeline.receivedCount("plain"));
        assertEquals(0, plain.position(P));
        // the handshake never completes, so its pulls either wait in the socket unanswered or cannot even be
        // queued within the send timeout; both are reported, neither gets anything
        String why = plain.lastError(P);
        assertTrue(why.contains("no reply from producer " + P + " at " + s.endpoint())
                || why.contains("could not send a pull to producer " + P + " at " + s.endpoint()), why);
        assertEquals(0, s.producer.malformedCount(), "no plaintext request reached the frontend");
    }

    @Test
    void consumerExpectingAnotherProducerKeyReceivesNothing() {
        startAllowed();
        List<String> sent = new ArrayList<>(s.send("a", 20));
        // Its own key is on the allow-list: only the producer key it expects is wrong.
        StrongZeroConsumer misled = s.consumer("misled",
                b -> impatient(b).curveKeyPair(allowedKeys).producerKey(P, CurveKeyPair.generate().publicKey()));
        Await.until(WAIT, "the misled consumer's handshakes failing, its pulls unanswered, and the reason in its lastError",
                () -> s.producer.refusedConnectionCount() >= 2 && misled.failureCount() >= 2
                        && String.valueOf(misled.lastError(P)).contains("check that producerKey(...) is this producer's"),
                () -> s.producer.refusedConnectionCount() + " refused, " + misled.failureCount() + " failures, "
                        + misled.lastError(P));
        sent.addAll(s.send("b", 20));
        awaitReceived("members", sent);
        assertEquals(0, s.pipeline.receivedCount("misled"));
        assertEquals(0, misled.position(P));
    }

    @Test
    void consumerRefusesAnImpostorProducerEvenIfTheImpostorWouldAdmitIt() {
        // The impostor serves a journal of its own, and allow-lists the consumer's key.
        CurveKeyPair impostorKeys = CurveKeyPair.generate();
        try (SecureStream impostor = new SecureStream(ProducerSecurity.builder().keyPair(impostorKeys)
                .allow(allowedKeys.publicKey()).build())) {
            impostor.send("fake", 5);
            StrongZeroConsumer fooled = s.consumer("fooled", impostor.endpoint(),
                    b -> impatient(b).curveKeyPair(allowedKeys).producerKey(P, producerKeys.publicKey()));
            Await.until(WAIT, "the consumer's handshakes with the impostor failing",
                    () -> impostor.producer.refusedConnectionCount() >= 2 && fooled.failureCount() >= 2,
                    () -> impostor.producer.refusedConnectionCount() + " refused, " + fooled.failureCount() + " failures");
            assertEquals(0, s.pipeline.receivedCount("fooled"));
            assertEquals(0, impostor.producer.servedCount());
        }
    }
}
