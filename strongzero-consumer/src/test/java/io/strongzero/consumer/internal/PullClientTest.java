package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.internal.Protocol;
import io.strongzero.core.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** The pull client against a real in-process ROUTER socket standing in for the producer. */
@Timeout(30)
class PullClientTest {

    private final ZContext zmq = new ZContext(1);
    private final AtomicLong nanos = new AtomicLong();
    /** How far the ticker moves at each reading: 0 stands still (time passes only when a test says so). */
    private volatile long step;
    private final Ticker ticker = () -> nanos.addAndGet(step);
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** The stream's committed position the client reports: -1 until it is loaded. */
    private final AtomicLong committed = new AtomicLong(-1);
    private ZMQ.Socket router;
    private PullClient client;
    private ConsumerConfig config;

    @BeforeEach
    void producer() {
        router = zmq.createSocket(SocketType.ROUTER);
        router.setReceiveTimeOut(10_000);
        router.setHandshakeIvl(1_000);
        int port = router.bindToRandomPort("tcp://127.0.0.1");
        config = ConsumerConfig.builder().name("members").producer("users", "tcp://127.0.0.1:" + port)
                .maxBatchMessages(50).transactionSize(50).longPollWait(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(2)).build();
        client = new PullClient(config, "users", config.producers().get("users"), ticker, running::get, committed::get);
        client.open();
    }

    @AfterEach
    void close() {
        client.close();
        zmq.close();
    }

    /** Receives the pull at the ROUTER: the peer's identity and the request. */
    private Object[] receivePull() {
        byte[] identity = router.recv(0);
        assertNotNull(identity, "no pull arrived");
        router.recv(0);                                   // delimiter
        byte[] header = router.recv(0);
        assertEquals(Protocol.CMD_PULL, Protocol.parseHeader(header));
        Protocol.PullRequest pull = Protocol.decodePull(Protocol.version(header), router.recv(0));
        return new Object[] {identity, pull};
    }

    private void reply(byte[] identity, List<byte[]> frames) {
        router.send(identity, ZMQ.SNDMORE);
        for (int i = 0; i < frames.size(); i++) {
            router.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /**
     * Awaits the result of a pull the test's ROUTER has received. {@link PullClient.Reconnected} says the pull
     * may have died with a connection that was replaced after it was sent; this pull did not (it arrived), so
     * the test keeps waiting for it as the worker would for a reply. It happens when jeromq 0.6.0 leaves a
     * fresh connection without its handshake (jeromq PR 1022): the handshake timer replaces it and the queued
     * pull goes out on the new one. CI once got Reconnected here instead of TimedOut.
     */
    private PullClient.Result awaitArrived(PullClient.Pending p) {
        PullClient.Result r = client.await(p);
        while (r instanceof PullClient.Reconnected) {
            r = client.await(p);
        }
        return r;
    }

    private PullClient.Pending send(long after) {
        return assertInstanceOf(PullClient.Pending.class, client.send(after));
    }

    @Test
    void sendsAPullWithTheConfiguredLimitsAndReturnsTheBatch() {
        PullClient.Pending p = send(10);
        Object[] got = receivePull();
        Protocol.PullRequest pull = (Protocol.PullRequest) got[1];
        assertEquals(10, pull.afterPosition());
        assertEquals(50, pull.maxMessages());
        assertEquals("members", pull.consumerName());
        assertEquals("users", pull.producerName());
        List<Envelope> messages = Messages.range(11, 12, "t");
        reply((byte[]) got[0], ReplyDecoderTest.batch(pull.requestId(), 99, messages));
        PullClient.Batch b = assertInstanceOf(PullClient.Batch.class, awaitArrived(p));
        assertEquals(99, b.head());
        assertEquals(2, b.messages().size());
    }

    @Test
    void skipsAStaleReplyAndWaitsForItsOwn() {
        PullClient.Pending p = send(0);
        Object[] got = receivePull();
        long id = ((Protocol.PullRequest) got[1]).requestId();
        reply((byte[]) got[0], ReplyDecoderTest.batch(id - 1, 5, Messages.range(1, 1, "t")));
        reply((byte[]) got[0], ReplyDecoderTest.batch(id, 7, List.of()));
        assertEquals(7, assertInstanceOf(PullClient.Batch.class, awaitArrived(p)).head());
    }

    /** Receives a pull at the ROUTER and returns its identity, header version and request id. */
    private long[] receivePullVersion(byte[][] identity) {
        identity[0] = router.recv(0);
        assertNotNull(identity[0], "no pull arrived");
        router.recv(0);
        byte[] header = router.recv(0);
        assertEquals(Protocol.CMD_PULL, Protocol.parseHeader(header));
        int version = Protocol.version(header);
        return new long[] {version, Protocol.decodePull(version, router.recv(0)).requestId()};
    }

    private static List<byte[]> unsupported(long requestId, int min, int max) {
        return List.of(new byte[0], Protocol.header(Protocol.CMD_ERROR), Protocol.encodeError(
                new Protocol.ErrorReply(requestId, ErrorCode.UNSUPPORTED_VERSION, 0, min, max, "not this version")));
    }

    @Test
    void aPullReportsTheCommittedPositionNeverAboveItsAfterPositionNorBelowZero() {
        committed.set(7);
        send(10);
        Protocol.PullRequest pull = (Protocol.PullRequest) receivePull()[1];
        assertEquals(10, pull.afterPosition());
        assertEquals(7, pull.committedPosition(), "the lanes' lowest position, behind what was pulled");

        committed.set(-1);
        send(10);
        assertEquals(0, ((Protocol.PullRequest) receivePull()[1]).committedPosition(), "not loaded yet: 0");

        committed.set(12);
        send(10);
        assertEquals(10, ((Protocol.PullRequest) receivePull()[1]).committedPosition(), "at most the afterPosition");
    }

    @Test
    void fallsBackFromVersionThreeToVersionTwoAndSendsTheVersionTwoBody() {
        byte[][] identity = new byte[1][];
        committed.set(3);
        PullClient.Pending p = send(5);
        long[] got = receivePullVersion(identity);
        assertEquals(3, got[0], "the newest version first");
        reply(identity[0], unsupported(got[1], 1, 2));
        assertEquals(2, assertInstanceOf(PullClient.VersionChanged.class, awaitArrived(p)).version());

        PullClient.Pending again = send(5);
        identity[0] = router.recv(0);
        router.recv(0);
        byte[] header = router.recv(0);
        assertEquals(2, Protocol.version(header));
        byte[] body = router.recv(0);
        Protocol.PullRequest pull = Protocol.decodePull(2, body);   // a version 2 body: no committed position
        assertEquals(5, pull.afterPosition());
        Envelope m = Messages.range(6, 6, "t").get(0);
        reply(identity[0], List.of(new byte[0], Protocol.header(2, Protocol.CMD_BATCH),
                Protocol.encodeBatchHeader(new Protocol.BatchHeader(pull.requestId(), 6, 1)), Protocol.encodeMessage(2, m)));
        assertEquals(List.of(m), assertInstanceOf(PullClient.Batch.class, awaitArrived(again)).messages());
    }

    @Test
    void pullsInVersionThreeAndFallsBackToVersionOneWhenTheProducerSpeaksOnlyVersionOne() {
        byte[][] identity = new byte[1][];
        PullClient.Pending p = send(0);
        long[] got = receivePullVersion(identity);
        assertEquals(3, got[0], "the newest version first");
        reply(identity[0], unsupported(got[1], 1, 1));
        assertEquals(1, assertInstanceOf(PullClient.VersionChanged.class, awaitArrived(p)).version());
        assertEquals(1, client.version());

        PullClient.Pending again = send(0);
        got = receivePullVersion(identity);
        assertEquals(1, got[0], "the next pull uses the version both sides speak");
        Envelope m = Messages.range(1, 1, "t").get(0);
        reply(identity[0], List.of(new byte[0], Protocol.header(1, Protocol.CMD_BATCH),
                Protocol.encodeBatchHeader(new Protocol.BatchHeader(got[1], 1, 1)), Protocol.encodeMessage(1, m)));
        PullClient.Batch b = assertInstanceOf(PullClient.Batch.class, awaitArrived(again));
        assertEquals(List.of(m), b.messages(), "a version 1 batch is decoded as version 1");

        // the producer was upgraded: a refusal naming 1 to 2 takes the client to version 2, 1 to 3 back to 3
        PullClient.Pending third = send(1);
        got = receivePullVersion(identity);
        reply(identity[0], unsupported(got[1], 1, 2));
        assertEquals(2, assertInstanceOf(PullClient.VersionChanged.class, awaitArrived(third)).version());
        PullClient.Pending fourth = send(1);
        got = receivePullVersion(identity);
        assertEquals(2, got[0]);
        reply(identity[0], unsupported(got[1], 1, 3));
        assertEquals(3, assertInstanceOf(PullClient.VersionChanged.class, awaitArrived(fourth)).version());
    }

    @Test
    void aRefusedVersionRangeWithoutOverlapIsARefusalNamingBothRanges() {
        byte[][] identity = new byte[1][];
        PullClient.Pending p = send(0);
        long[] got = receivePullVersion(identity);
        reply(identity[0], unsupported(got[1], 4, 5));
        PullClient.Refused r = assertInstanceOf(PullClient.Refused.class, awaitArrived(p));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, r.reply().code());
        assertTrue(r.reply().message().contains("this consumer speaks protocol versions 1 to 3")
                && r.reply().message().contains("do not overlap"), r.reply().message());
        assertEquals(3, client.version(), "the version stays");
    }

    @Test
    void anErrorReplyIsARefusal() {
        PullClient.Pending p = send(0);
        Object[] got = receivePull();
        reply((byte[]) got[0], ReplyDecoderTest.error(((Protocol.PullRequest) got[1]).requestId(),
                ErrorCode.NOT_AUTHORIZED, 0, "not allowed"));
        PullClient.Refused r = assertInstanceOf(PullClient.Refused.class, awaitArrived(p));
        assertEquals(ErrorCode.NOT_AUTHORIZED, r.reply().code());
    }

    @Test
    void noReplyWithinTheBudgetTimesOutByTheTickerWithTheLikelyCause() {
        PullClient.Pending p = send(0);
        receivePull();
        step = Duration.ofMillis(500).toNanos();   // time flies: longPollWait + requestTimeout pass in a few readings
        PullClient.TimedOut t = assertInstanceOf(PullClient.TimedOut.class, awaitArrived(p));
        assertEquals(3_000, t.budgetMillis());
        assertNotNull(t.cause());
        // the socket was made again and works
        step = 0;
        PullClient.Pending again = send(0);
        Object[] got = receivePull();
        reply((byte[]) got[0], ReplyDecoderTest.batch(((Protocol.PullRequest) got[1]).requestId(), 0, List.of()));
        assertInstanceOf(PullClient.Batch.class, awaitArrived(again));
    }

    @Test
    void stopsWaitingWhenTheConsumerCloses() {
        PullClient.Pending p = send(0);
        running.set(false);
        assertInstanceOf(PullClient.Stopped.class, client.await(p));
        assertTrue(p.requestId() > 0);
    }
}
