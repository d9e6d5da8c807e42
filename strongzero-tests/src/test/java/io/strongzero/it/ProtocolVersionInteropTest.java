package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Headers;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.StrongZeroProtocolException;
import io.strongzero.core.internal.Protocol;
import io.strongzero.tck.LogCapture;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Protocol versions 2 (ordering keys and headers) and 3 (the committed position in the PULL) against older peers,
 * both directions, over real jeromq sockets (docs/protocol.md, "Versions"): a version 1 consumer is served in
 * version 1 until a message it would receive has a key or headers, and is then refused, never sent the message
 * without them; this (version 3) consumer falls back to version 2 or 1 against a producer that speaks only those.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ProtocolVersionInteropTest {

    private static final Duration DELIVERY = Duration.ofSeconds(20);

    private final Pipeline p = new Pipeline(TestDatabase.H2);
    private final ZContext zmq = new ZContext(1);

    @AfterEach
    void close() {
        zmq.close();
        p.close();
    }

    // ---- a version 1 consumer against this producer --------------------------------------------------------------

    private ZMQ.Socket dealer(String endpoint) {
        ZMQ.Socket s = zmq.createSocket(SocketType.DEALER);
        s.setLinger(0);
        s.setHandshakeIvl(1_000);
        s.setReceiveTimeOut(5_000);
        s.setSendTimeOut(5_000);
        s.connect(endpoint);
        return s;
    }

    private static List<byte[]> pull(ZMQ.Socket s, int version, long requestId, long after) {
        assertTrue(s.send(new byte[0], ZMQ.SNDMORE) && s.send(Protocol.header(version, Protocol.CMD_PULL), ZMQ.SNDMORE)
                && s.send(Protocol.encodePull(version, new Protocol.PullRequest(requestId, after, 100, 1 << 20, 0,
                        Pipeline.PRODUCER, "old-consumer")), 0));
        List<byte[]> frames = new ArrayList<>();
        byte[] first = s.recv(0);
        assertNotNull(first, "no reply to the version " + version + " pull");
        frames.add(first);
        while (s.hasReceiveMore()) {
            frames.add(s.recv(0));
        }
        return frames;
    }

    @Test
    void aVersionOneConsumerIsServedInVersionOneUntilAMessageHasAKeyOrHeadersAndIsThenToldToUpgrade() {
        p.startProducer();
        String plain = p.sendCommitted("plain", 1);
        String keyed = p.sender.inTransaction(c -> p.sender.send(c, Pipeline.TYPE, "user-2", new Pipeline.User("keyed", 2),
                Headers.of("trace-id", "t-2")).toString());
        Await.until(DELIVERY, "both messages positioned", () -> p.pump.head() >= 2, () -> "head " + p.pump.head());
        ZMQ.Socket old = dealer(p.endpoint());

        // a version 1 pull of up to 100 messages gets the run before the keyed message, as a version 1 BATCH
        List<byte[]> first = pull(old, 1, 11, 0);
        assertEquals(4, first.size(), "delimiter, header, body, one message");
        assertEquals(1, Protocol.version(first.get(1)), "answered in the version asked");
        assertEquals(Protocol.CMD_BATCH, Protocol.parseHeader(first.get(1)));
        assertEquals(1, Protocol.decodeBatchHeader(first.get(2)).count());
        Envelope e = Protocol.decodeMessage(1, first.get(3));
        assertEquals(plain, e.id().toString());
        assertEquals(1, e.position());

        // the next version 1 pull starts at the keyed message: refused, naming its position
        List<byte[]> served = pull(old, 1, 12, 1);
        assertEquals(3, served.size(), "an ERROR reply, not a BATCH");
        assertEquals(Protocol.CMD_ERROR, Protocol.parseHeader(served.get(1)));
        Protocol.ErrorReply refusal = Protocol.decodeError(served.get(2));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, refusal.code());
        assertEquals(12, refusal.requestId());
        assertEquals(1, refusal.minVersion());
        assertEquals(3, refusal.maxVersion());
        assertTrue(refusal.message().contains("position 2") && refusal.message().contains("upgrade consumer old-consumer"),
                refusal.message());

        // the same keyed message in version 2
        List<byte[]> v2 = pull(old, 2, 13, 1);
        assertEquals(2, Protocol.version(v2.get(1)));
        Envelope k = Protocol.decodeMessage(2, v2.get(3));
        assertEquals(keyed, k.id().toString());
        assertEquals("user-2", k.key());
        assertEquals(Headers.of("trace-id", "t-2"), k.headers());
    }

    // ---- this consumer against a version 1 producer ------------------------------------------------------------

    /**
     * A producer stand-in that speaks only the versions it is given (at most 2) and serves a fixed journal in the
     * version of each pull.
     */
    private final class StubProducer implements AutoCloseable {
        final List<Envelope> journal = new CopyOnWriteArrayList<>();
        final AtomicInteger pullsServed = new AtomicInteger();
        final Set<Integer> versionsServed = ConcurrentHashMap.newKeySet();
        final AtomicInteger pullsInOtherVersions = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        final String endpoint;
        private final Thread thread;

        StubProducer(int minVersion, int maxVersion) {
            ZMQ.Socket router = zmq.createSocket(SocketType.ROUTER);
            router.setLinger(0);
            router.setHandshakeIvl(1_000);
            router.setReceiveTimeOut(50);
            endpoint = "tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1");
            thread = new Thread(() -> serve(router, minVersion, maxVersion), "strongzero-test-stub-producer");
            thread.start();
        }

        private void serve(ZMQ.Socket router, int minVersion, int maxVersion) {
            try {
                byte[] parked = null;
                long parkedId = 0;
                long parkedUntil = 0;
                int parkedVersion = 0;
                while (running.get()) {
                    if (parked != null && System.nanoTime() - parkedUntil >= 0) {
                        send(router, parked, Protocol.header(parkedVersion, Protocol.CMD_BATCH),
                                Protocol.encodeBatchHeader(new Protocol.BatchHeader(parkedId, journal.size(), 0)));
                        parked = null;
                    }
                    byte[] identity = router.recv(0);
                    if (identity == null) {
                        continue;
                    }
                    router.recv(0); // delimiter
                    byte[] header = router.recv(0);
                    byte[] body = router.recv(0);
                    long requestId = Protocol.peekRequestId(body);
                    int version = header[2] & 0xFF;
                    if (version < minVersion || version > maxVersion) {
                        pullsInOtherVersions.incrementAndGet();
                        send(router, identity, Protocol.header(Protocol.CMD_ERROR), Protocol.encodeError(
                                new Protocol.ErrorReply(requestId, ErrorCode.UNSUPPORTED_VERSION, 0, minVersion, maxVersion,
                                        "protocol version " + version + " is not supported; this peer speaks versions "
                                                + minVersion + " to " + maxVersion)));
                        continue;
                    }
                    Protocol.PullRequest r;
                    try {
                        r = Protocol.decodePull(version, body);
                    } catch (StrongZeroProtocolException e) {
                        send(router, identity, Protocol.header(Protocol.CMD_ERROR), Protocol.encodeError(
                                new Protocol.ErrorReply(requestId, e.code(), 0, minVersion, maxVersion, e.getMessage())));
                        continue;
                    }
                    pullsServed.incrementAndGet();
                    versionsServed.add(version);
                    List<Envelope> batch = journal.subList((int) Math.min(r.afterPosition(), journal.size()),
                            (int) Math.min(r.afterPosition() + r.maxMessages(), journal.size()));
                    if (batch.isEmpty()) {
                        parked = identity;
                        parkedId = requestId;
                        parkedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(r.maxWaitMillis());
                        parkedVersion = version;
                        continue;
                    }
                    List<byte[]> frames = new ArrayList<>();
                    frames.add(identity);
                    frames.add(Protocol.header(version, Protocol.CMD_BATCH));
                    frames.add(Protocol.encodeBatchHeader(new Protocol.BatchHeader(requestId, journal.size(), batch.size())));
                    batch.forEach(e -> frames.add(Protocol.encodeMessage(version, e)));
                    send(router, frames.toArray(byte[][]::new));
                }
            } finally {
                router.close();
            }
        }

        private void send(ZMQ.Socket router, byte[]... frames) {
            router.send(frames[0], ZMQ.SNDMORE);
            router.send(new byte[0], ZMQ.SNDMORE);
            for (int i = 1; i < frames.length; i++) {
                router.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
            }
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Envelope message(long position, String name) {
        return new Envelope(position, FlakeId.of(1_700_000_000_000L, 1, (int) position), Pipeline.TYPE,
                PayloadCodec.msgpack().contentType(), PayloadCodec.msgpack().encode(new Pipeline.User(name, (int) position)),
                1_700_000_000_000L);
    }

    @Test
    void thisConsumerFallsBackToVersionOneAgainstAVersionOneProducerAndLogsItOnce() {
        try (LogCapture log = LogCapture.start(); StubProducer stub = new StubProducer(1, 1)) {
            for (int i = 1; i <= 3; i++) {
                stub.journal.add(message(i, "m" + i));
            }
            try (StrongZeroConsumer consumer = Pipeline.consumerBuilder("new-consumer", p.consumerDb.dataSource(),
                    stub.endpoint, 0).build().start()) {
                Await.until(DELIVERY, "3 messages applied", () -> p.receivedCount("new-consumer") >= 3,
                        () -> p.receivedIds("new-consumer") + ", last error " + consumer.lastError(Pipeline.PRODUCER));
                assertEquals(List.of(stub.journal.get(0).id().toString(), stub.journal.get(1).id().toString(),
                        stub.journal.get(2).id().toString()), p.receivedIds("new-consumer"));
                assertEquals(0, consumer.failureCount(), "a fallback is not a failure");
            }
            assertEquals(1, stub.pullsInOtherVersions.get(), "one version 3 pull, then version 1 only");
            assertTrue(stub.pullsServed.get() >= 1);
            assertEquals(Set.of(1), stub.versionsServed);
            assertEquals(1, log.lines("new-consumer", "speaks protocol versions 1 to 1", "pulling in version 1 instead of 3")
                    .size(), log.text());
        }
    }

    @Test
    void thisConsumerFallsBackToVersionTwoAgainstAVersionTwoProducerKeepingKeysAndHeaders() {
        try (LogCapture log = LogCapture.start(); StubProducer stub = new StubProducer(1, 2)) {
            for (int i = 1; i <= 3; i++) {
                Envelope m = message(i, "m" + i);
                stub.journal.add(new Envelope(m.position(), m.id(), m.type(), m.contentType(), m.payload(), m.producedAt(),
                        "key-" + i, Headers.of("trace-id", "t-" + i)));
            }
            try (StrongZeroConsumer consumer = Pipeline.consumerBuilder("new-consumer", p.consumerDb.dataSource(),
                    stub.endpoint, 0).build().start()) {
                Await.until(DELIVERY, "3 messages applied", () -> p.receivedCount("new-consumer") >= 3,
                        () -> p.receivedIds("new-consumer") + ", last error " + consumer.lastError(Pipeline.PRODUCER));
                assertEquals(List.of(stub.journal.get(0).id().toString(), stub.journal.get(1).id().toString(),
                        stub.journal.get(2).id().toString()), p.receivedIds("new-consumer"));
                assertEquals(0, consumer.failureCount(), "a fallback is not a failure");
                assertEquals(3, consumer.position(Pipeline.PRODUCER));
            }
            assertEquals(1, stub.pullsInOtherVersions.get(), "one version 3 pull, then version 2 only");
            assertEquals(Set.of(2), stub.versionsServed, "version 2 bodies, which that producer reads");
            List<String> lines = log.lines("new-consumer", "speaks protocol versions 1 to 2", "pulling in version 2 instead of 3");
            assertEquals(1, lines.size(), log.text());
            assertTrue(lines.get(0).contains("from the positions pulled after rather than the committed one"), lines.get(0));
        }
    }

    @Test
    void thisConsumerReportsBothRangesWhenTheProducersVersionsDoNotOverlap() {
        try (StubProducer stub = new StubProducer(4, 5);
             StrongZeroConsumer consumer = Pipeline.consumerBuilder("new-consumer", p.consumerDb.dataSource(),
                     stub.endpoint, 0).build().start()) {
            Await.until(DELIVERY, "the refusal reported", () -> consumer.lastError(Pipeline.PRODUCER) != null,
                    () -> "no error yet");
            String error = consumer.lastError(Pipeline.PRODUCER);
            assertTrue(error.contains("versions 4 to 5")
                    && error.contains("this consumer speaks protocol versions 1 to 3")
                    && error.contains("do not overlap"), error);
            assertEquals(0, stub.pullsServed.get());
        }
    }
}
