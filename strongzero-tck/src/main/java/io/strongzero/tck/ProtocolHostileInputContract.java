package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.internal.Protocol;
import io.strongzero.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The producer's frontend against raw, hostile and valid wire traffic from a bare DEALER socket: every
 * bad request gets an ERROR reply with the right code, and legitimate consumers are not disturbed.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
public abstract class ProtocolHostileInputContract extends PipelineSuite {


    @BeforeEach
    void startProducer() {
        p.startProducer();
    }

    private static Protocol.PullRequest pull(long requestId, long after, int maxMessages, int maxWaitMillis,
                                             String producer) {
        return new Protocol.PullRequest(requestId, after, maxMessages, 1 << 20, maxWaitMillis, producer, "raw");
    }

    private static byte[] pullBody(long requestId) {
        return Protocol.encodePull(pull(requestId, 0, 10, 0, Pipeline.PRODUCER));
    }

    private static byte[] pullHeader() {
        return Protocol.header(Protocol.CMD_PULL);
    }

    // ---- the hostile requests, each with the reply it must get --------------------------------------------

    private static void garbageSingleFrame(RawDealer d) {
        d.send("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        d.expectError("a single garbage frame", ErrorCode.MALFORMED_REQUEST, 0);
    }

    private static void garbageHeaderMagic(RawDealer d) {
        d.send(new byte[0], new byte[] {'X', 'Y', 1, Protocol.CMD_PULL}, pullBody(31));
        d.expectError("a header without the 'SZ' magic", ErrorCode.MALFORMED_REQUEST, 31);
    }

    private static void requestWithoutDelimiter(RawDealer d) {
        d.send(pullHeader(), pullBody(32));
        Protocol.ErrorReply e = d.expectError("a request without the empty delimiter", ErrorCode.MALFORMED_REQUEST, 0);
        assertTrue(e.message().contains("delimiter"), e.message());
    }

    private static void requestWithoutDelimiterButFourFrames(RawDealer d) {
        d.send(pullHeader(), pullBody(33), new byte[] {1});
        d.expectError("a request of four frames without the empty delimiter", ErrorCode.MALFORMED_REQUEST, 0);
    }

    private static void unsupportedVersion(RawDealer d) {
        d.send(new byte[0], new byte[] {Protocol.MAGIC_0, Protocol.MAGIC_1, 4, Protocol.CMD_PULL}, pullBody(42));
        Protocol.ErrorReply e = d.expectError("a version 4 header", ErrorCode.UNSUPPORTED_VERSION, 42);
        assertEquals(1, e.minVersion(), "lowest supported version");
        assertEquals(3, e.maxVersion(), "highest supported version");
    }

    private static void unknownCommand(RawDealer d) {
        d.send(new byte[0], Protocol.header((byte) 0x7E), pullBody(43));
        d.expectError("command 0x7e", ErrorCode.UNKNOWN_COMMAND, 43);
        d.send(new byte[0], Protocol.header(Protocol.CMD_BATCH), pullBody(44));
        d.expectError("a BATCH sent to the producer", ErrorCode.UNKNOWN_COMMAND, 44);
    }

    private static void truncatedPullBody(RawDealer d) {
        byte[] body = pullBody(45);
        d.send(new byte[0], pullHeader(), Arrays.copyOf(body, 20));
        d.expectError("a truncated PULL body", ErrorCode.MALFORMED_REQUEST, 45);
        d.send(new byte[0], pullHeader(), Arrays.copyOf(body, body.length + 3));
        d.expectError("a PULL body with trailing bytes", ErrorCode.MALFORMED_REQUEST, 45);
        d.send(new byte[0], pullHeader(), new byte[3]);
        d.expectError("a PULL body too short for a request id", ErrorCode.MALFORMED_REQUEST, 0);
    }

    private static void wrongProducer(RawDealer d) {
        d.sendPull(pull(46, 0, 10, 0, "orders"));
        Protocol.ErrorReply e = d.expectError("a PULL for another producer", ErrorCode.WRONG_PRODUCER, 46);
        assertTrue(e.message().contains("orders") && e.message().contains(Pipeline.PRODUCER), e.message());
    }

    private static void invalidArguments(RawDealer d) {
        d.sendPull(pull(47, 0, 0, 0, Pipeline.PRODUCER));
        Protocol.ErrorReply e = d.expectError("maxMessages 0", ErrorCode.INVALID_ARGUMENT, 47);
        assertTrue(e.message().contains("maxMessages"), e.message());
        d.sendPull(pull(48, -1, 10, 0, Pipeline.PRODUCER));
        d.expectError("a negative position", ErrorCode.INVALID_ARGUMENT, 48);
        d.sendPull(pull(49, 0, 10, Protocol.MAX_WAIT_LIMIT_MS + 1, Pipeline.PRODUCER));
        d.expectError("a wait above the limit", ErrorCode.INVALID_ARGUMENT, 49);
        d.sendPull(new Protocol.PullRequest(50, 0, 10, 1 << 20, 0, Pipeline.PRODUCER, "bad consumer name"));
        d.expectError("an invalid consumer name", ErrorCode.INVALID_ARGUMENT, 50);
        d.sendPull(new Protocol.PullRequest(54, 5, 10, 1 << 20, 0, Pipeline.PRODUCER, "raw", 6));
        Protocol.ErrorReply committed = d.expectError("a committed position after the afterPosition",
                ErrorCode.INVALID_ARGUMENT, 54);
        assertTrue(committed.message().contains("committedPosition"), committed.message());
    }

    private static void tooManyFrames(RawDealer d) {
        List<byte[]> frames = new ArrayList<>(List.of(new byte[0], pullHeader(), pullBody(51)));
        while (frames.size() < 100) {
            frames.add(new byte[] {7});
        }
        d.send(frames.toArray(new byte[0][]));
        d.expectError("a request of 100 frames", ErrorCode.MALFORMED_REQUEST, 0);
        d.send(new byte[0], pullHeader(), pullBody(52), pullBody(53));
        Protocol.ErrorReply e = d.expectError("a PULL with two body frames", ErrorCode.MALFORMED_REQUEST, 52);
        assertTrue(e.message().contains("one body frame"), e.message());
    }

    private static void validPullStillAnswered(RawDealer d, long head) {
        d.sendPull(pull(60, head, 10, 0, Pipeline.PRODUCER));
        RawDealer.Batch b = d.expectBatch(5_000, "a valid PULL after refused requests", 60);
        assertEquals(0, b.header().count());
    }

    // ---- one test per kind of bad request -------------------------------------------------------------------

    /** A PULL from position 0 on the same connection, after its bad requests, is still answered (with nothing). */
    private static final Consumer<RawDealer> STILL_ANSWERED = d -> validPullStillAnswered(d, 0);

    /**
     * One test per kind of bad request, on the producer this test started: each sends its requests on a connection
     * of its own and expects their replies, within 20 seconds.
     */
    @TestFactory
    Stream<DynamicTest> eachKindOfBadRequestIsRefused() {
        return Stream.of(
                refused("garbageIsRefusedAsMalformedRequest", ProtocolHostileInputContract::garbageSingleFrame,
                        ProtocolHostileInputContract::garbageHeaderMagic, STILL_ANSWERED),
                refused("requestWithoutEmptyDelimiterIsRefusedAsMalformedRequest",
                        ProtocolHostileInputContract::requestWithoutDelimiter,
                        ProtocolHostileInputContract::requestWithoutDelimiterButFourFrames, STILL_ANSWERED),
                refused("version3IsRefusedWithUnsupportedVersionListingVersions1To2",
                        ProtocolHostileInputContract::unsupportedVersion),
                refused("unknownCommandIsRefusedWithUnknownCommand", ProtocolHostileInputContract::unknownCommand),
                refused("truncatedOrPaddedPullBodyIsRefusedAsMalformedRequest",
                        ProtocolHostileInputContract::truncatedPullBody),
                refused("pullForAnotherProducerIsRefusedWithWrongProducer", ProtocolHostileInputContract::wrongProducer),
                refused("outOfRangePullFieldsAreRefusedWithInvalidArgument",
                        ProtocolHostileInputContract::invalidArguments),
                refused("requestWithTooManyFramesIsRefusedAsMalformedRequest",
                        ProtocolHostileInputContract::tooManyFrames, STILL_ANSWERED));
    }

    @SafeVarargs
    private DynamicTest refused(String name, Consumer<RawDealer>... steps) {
        return DynamicTest.dynamicTest(name, () -> assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RawDealer d = new RawDealer(p.endpoint())) {
                for (Consumer<RawDealer> step : steps) {
                    step.accept(d);
                }
            }
        }));
    }

    // ---- legitimate traffic ---------------------------------------------------------------------------------

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void legitimateConsumerReceivesEverythingExactlyOnceWhileAndAfterHostileTrafficIsRefused() {
        StrongZeroConsumer legit = p.startConsumer("legit");
        List<String> sent = p.sendCommittedSeries("before", 5);
        Await.until(Duration.ofSeconds(20), "the first messages applied", () -> p.receivedCount("legit") >= 5,
                () -> p.receivedIds("legit"));

        List<Consumer<RawDealer>> hostile = List.of(
                ProtocolHostileInputContract::garbageSingleFrame,
                ProtocolHostileInputContract::garbageHeaderMagic,
                ProtocolHostileInputContract::requestWithoutDelimiter,
                ProtocolHostileInputContract::requestWithoutDelimiterButFourFrames,
                ProtocolHostileInputContract::unsupportedVersion,
                ProtocolHostileInputContract::unknownCommand,
                ProtocolHostileInputContract::truncatedPullBody,
                ProtocolHostileInputContract::wrongProducer,
                ProtocolHostileInputContract::invalidArguments,
                ProtocolHostileInputContract::tooManyFrames);
        long refusedBefore = p.producer.malformedCount();
        try (RawDealer d = new RawDealer(p.endpoint())) {
            int i = 0;
            for (Consumer<RawDealer> h : hostile) {
                sent.add(p.sendCommitted("during" + i, i));
                i++;
                h.accept(d);
            }
        }
        assertTrue(p.producer.malformedCount() - refusedBefore >= hostile.size(),
                "every hostile request was counted as refused: " + (p.producer.malformedCount() - refusedBefore));
        sent.addAll(p.sendCommittedSeries("after", 5));

        Await.until(Duration.ofSeconds(20), sent.size() + " messages applied", () -> p.receivedCount("legit") >= sent.size(),
                () -> p.receivedIds("legit"));
        Await.until(Duration.ofSeconds(10), "offset at the last message",
                () -> p.committedOffset("legit") == sent.size(), () -> p.committedOffset("legit"));
        assertEquals(sent, p.receivedIds("legit"), "every message arrives once, in order");
        assertEquals(sent.size(), p.receivedCount("legit"), "no duplicates");
        assertEquals(0, legit.failureCount(), "the legitimate consumer saw no failure: " + legit.lastError(Pipeline.PRODUCER));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void validRawPullFromPositionZeroReturnsTheJournalInPositionOrder() {
        List<String> sent = p.sendCommittedSeries("u", 3);
        Await.until(Duration.ofSeconds(10), "3 positions assigned", () -> p.pump.head() >= 3, p.pump::head);
        PayloadCodec codec = PayloadCodec.msgpack();
        try (RawDealer d = new RawDealer(p.endpoint())) {
            d.sendPull(pull(7, 0, 100, 0, Pipeline.PRODUCER));
            RawDealer.Batch b = d.expectBatch(5_000, "a PULL from position 0", 7);
            assertEquals(3, b.header().count());
            assertEquals(3, b.header().headPosition());
            for (int i = 0; i < 3; i++) {
                Envelope e = Protocol.decodeMessage(b.messages().get(i));
                assertEquals(i + 1, e.position());
                assertEquals(sent.get(i), e.id().toString());
                assertEquals(Pipeline.TYPE, e.type());
                assertEquals(PayloadCodec.MSGPACK, e.contentType());
                assertEquals(new Pipeline.User("u" + i, i), codec.decode(e.payload(), Pipeline.User.class));
            }

            d.sendPull(pull(8, 1, 1, 0, Pipeline.PRODUCER));
            RawDealer.Batch one = d.expectBatch(5_000, "a PULL of one message after position 1", 8);
            assertEquals(1, one.header().count(), "maxMessages is honoured");
            Envelope second = Protocol.decodeMessage(one.messages().get(0));
            assertEquals(2, second.position());
            assertEquals(sent.get(1), second.id().toString());
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void pullAtTheHeadIsAnsweredWithAnEmptyBatchAfterItsWait() {
        String id = p.sendCommitted("only", 1);
        Await.until(Duration.ofSeconds(10), "1 position assigned", () -> p.pump.head() >= 1, p.pump::head);
        try (RawDealer d = new RawDealer(p.endpoint())) {
            d.sendPull(pull(9, 1, 100, 300, Pipeline.PRODUCER));
            RawDealer.Batch b = d.expectBatch(10_000, "a PULL at the head with a 300 ms wait", 9);
            assertEquals(0, b.header().count(), "nothing after the head");
            assertEquals(1, b.header().headPosition());
        }
        assertEquals(List.of(id), new ArrayList<>(p.journalIds()));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void parkedPullIsAnsweredAsSoonAsAMessageCommits() {
        try (RawDealer d = new RawDealer(p.endpoint())) {
            d.sendPull(pull(11, 0, 100, 30_000, Pipeline.PRODUCER));
            assertNull(d.receive(300), "nothing to send yet: the pull is parked");

            String id = p.sendCommitted("wakes the parked pull", 1);
            RawDealer.Batch b = d.expectBatch(10_000, "the parked PULL (its own wait is 30 s)", 11);
            assertEquals(1, b.header().count());
            Envelope e = Protocol.decodeMessage(b.messages().get(0));
            assertEquals(1, e.position());
            assertEquals(id, e.id().toString());
        }
    }
}
