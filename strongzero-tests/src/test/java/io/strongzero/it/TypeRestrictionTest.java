package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.MessageHandler;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.Envelope;
import io.strongzero.core.internal.Protocol;
import io.strongzero.producer.ProducerSecurity;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Issue 5, part 2: a key restricted to some message types reads only those; the others reach it as
 * redacted entries (position and id only) that advance its position without a gap or a stall.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TypeRestrictionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String P = Pipeline.PRODUCER;
    private static final String SALARY = "user.salary";
    private static final String MARKER = "SALARY-8f2d41c7-never-for-reports";

    private final CurveKeyPair producerKeys = CurveKeyPair.generate();
    private final CurveKeyPair hrKeys = CurveKeyPair.generate();
    private final CurveKeyPair reportsKeys = CurveKeyPair.generate();
    private final List<String> leaked = Collections.synchronizedList(new ArrayList<>());
    private SecureStream s;

    @BeforeEach
    void setUp() {
        s = new SecureStream(ProducerSecurity.builder().keyPair(producerKeys)
                .allow(hrKeys.publicKey())
                .allow(reportsKeys.publicKey(), Set.of(Pipeline.TYPE))
                .build());
    }

    @AfterEach
    void tearDown() {
        if (s != null) {
            s.close();
        }
    }

    /** Records a message like the pipeline's handler does, for the salary type. */
    private static MessageHandler<Pipeline.User> recording(String consumer) {
        return (m, ctx) -> Pipeline.record(ctx.connection(), consumer, m);
    }

    /** Ids sent: of user.created, of user.salary, and all of them in position order. */
    private record Sent(List<String> created, List<String> salary, List<String> all) {
    }

    /** Sends 3 user.created then 2 salary messages, {@code rounds} times: the stream ends with salary messages. */
    private static Sent sendInterleaved(SecureStream s, int rounds) {
        Sent ids = new Sent(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 3; i++) {
                String id = s.pipeline.sendCommitted("user" + r + "-" + i, i);
                ids.created().add(id);
                ids.all().add(id);
            }
            for (int i = 0; i < 2; i++) {
                int n = i;
                String id = s.pipeline.sender.inTransaction(c -> s.pipeline.sender.send(c, SALARY,
                        new Pipeline.User(MARKER + n, 100_000 + n)).toString());
                ids.salary().add(id);
                ids.all().add(id);
            }
        }
        return ids;
    }

    @Test
    void restrictedKeyReadsOnlyItsTypesAndStillReachesTheHeadWithoutGapOrStall() {
        StrongZeroConsumer hr = s.consumer("hr", b -> b.curveKeyPair(hrKeys).producerKey(P, producerKeys.publicKey())
                .handler(SALARY, Pipeline.User.class, recording("hr")));
        // reports has a salary handler: if a salary message ever reached it, it would be recorded as a leak
        StrongZeroConsumer reports = s.consumer("reports", b -> b.curveKeyPair(reportsKeys)
                .producerKey(P, producerKeys.publicKey())
                .handler(SALARY, Pipeline.User.class, (m, ctx) -> leaked.add(m.id() + " " + m.payload().name())));
        // audit uses the same key, has no salary handler and FAIL for unknown types: a redacted entry must not stop it
        StrongZeroConsumer audit = s.consumer("audit", b -> b.curveKeyPair(reportsKeys)
                .producerKey(P, producerKeys.publicKey()).unknownTypePolicy(UnknownTypePolicy.FAIL).transactionSize(3));

        Sent ids = sendInterleaved(s, 40);
        long head = ids.all().size();
        for (StrongZeroConsumer c : List.of(hr, reports, audit)) {
            Await.until(WAIT, c.name() + " at the head " + head, () -> c.position(P) == head, () -> c.position(P));
        }
        assertEquals(ids.all(), s.pipeline.receivedIds("hr"), "an unrestricted key reads every type");
        assertEquals(ids.created(), s.pipeline.receivedIds("reports"), "the restricted key reads its type, in order");
        assertEquals(ids.created(), s.pipeline.receivedIds("audit"));
        assertEquals(List.of(), leaked, "no salary message reached a restricted consumer");
        for (StrongZeroConsumer c : List.of(reports, audit)) {
            assertEquals(ids.salary().size(), c.skippedCount(), c.name() + " skipped exactly the redacted entries");
            assertEquals(ids.created().size(), c.appliedCount());
            assertEquals(0, c.failureCount(), c.name() + ": no gap, protocol or handler error: " + c.lastError(P));
        }
        assertEquals(head, s.pipeline.committedOffset("reports"), "trailing redacted entries are committed too");
        assertEquals(0, hr.skippedCount());
        assertEquals(0, s.producer.malformedCount());
    }

    @Test
    void restrictedConsumerInManualModeRecordsRedactedPositionsWithoutItsHandler() {
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        try (StrongZeroConsumer ledger = StrongZeroConsumer.builder().name("ledger")
                .dataSource(s.pipeline.consumerDb.dataSource()).producer(P, s.endpoint())
                .curveKeyPair(reportsKeys).producerKey(P, producerKeys.publicKey())
                .transactionMode(TransactionMode.MANUAL).longPollWait(Duration.ofSeconds(1))
                .handler(Pipeline.TYPE, Pipeline.User.class, (m, ctx) -> {
                    try (Connection c = s.pipeline.consumerDb.dataSource().getConnection()) {
                        c.setAutoCommit(false);
                        ctx.consumed(c);
                        c.commit();
                        handled.add(m.id().toString());
                    }
                })
                .build()) {
            ledger.start();
            Sent ids = sendInterleaved(s, 10);
            long head = ids.all().size();
            Await.until(WAIT, "ledger at the head " + head, () -> ledger.position(P) == head, () -> ledger.position(P));
            assertEquals(ids.created(), handled);
            assertEquals(ids.salary().size(), ledger.skippedCount());
            assertEquals(0, ledger.failureCount(), String.valueOf(ledger.lastError(P)));
            assertEquals(head, s.pipeline.committedOffset("ledger"));
        }
    }

    @Test
    void redactedEntriesFromTheInMemoryTailCarryPositionAndIdButNoTypeOrPayload() {
        long fromMemory = s.producer.servedFromMemoryCount();
        assertRedactedOnTheWire(s);
        assertTrue(s.producer.servedFromMemoryCount() > fromMemory, "answered from the in-memory tail");
    }

    @Test
    void redactedEntriesFromAJournalReadCarryPositionAndIdButNoTypeOrPayload() {
        try (SecureStream journalOnly = new SecureStream(ProducerSecurity.builder().keyPair(producerKeys)
                .allow(reportsKeys.publicKey(), Set.of(Pipeline.TYPE)).build(), b -> b.tailCache(0, 0))) {
            assertRedactedOnTheWire(journalOnly);
            assertEquals(0, journalOnly.producer.servedFromMemoryCount(), "answered from the journal");
        }
    }

    /** A raw CURVE client with the restricted key pulls the whole stream; checks every frame of the reply. */
    private void assertRedactedOnTheWire(SecureStream stream) {
        Sent ids = sendInterleaved(stream, 4);
        Await.until(WAIT, "the pump stamped everything", () -> stream.pipeline.pump.head() == ids.all().size());
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket raw = ctx.createSocket(SocketType.DEALER);
            raw.setLinger(0);
            raw.setCurvePublicKey(reportsKeys.publicKey().bytes());
            raw.setCurveSecretKey(reportsKeys.secretKey());
            raw.setCurveServerKey(producerKeys.publicKey().bytes());
            raw.setHandshakeIvl(1_000);   // jeromq now and then stalls a handshake; this retries it
            raw.setReceiveTimeOut(20_000);
            raw.connect(stream.endpoint());
            raw.send(new byte[0], ZMQ.SNDMORE);
            raw.send(Protocol.header(Protocol.CMD_PULL), ZMQ.SNDMORE);
            raw.send(Protocol.encodePull(new Protocol.PullRequest(9, 0, 100, 1 << 20, 0, P, "raw")), 0);
            List<byte[]> frames = new ArrayList<>();
            frames.add(raw.recv(0));
            while (raw.hasReceiveMore()) {
                frames.add(raw.recv(0));
            }
            assertEquals(Protocol.CMD_BATCH, Protocol.parseHeader(frames.get(1)));
            Protocol.BatchHeader h = Protocol.decodeBatchHeader(frames.get(2));
            assertEquals(9, h.requestId());
            assertEquals(ids.all().size(), h.count());
            for (int i = 0; i < h.count(); i++) {
                byte[] frame = frames.get(3 + i);
                Envelope e = Protocol.decodeMessage(frame);
                assertEquals(i + 1, e.position(), "contiguous positions");
                assertEquals(ids.all().get(i), e.id().toString(), "every entry keeps its id");
                assertFalse(new String(frame, StandardCharsets.ISO_8859_1).contains("SALARY"), "no salary bytes");
                if (ids.salary().contains(ids.all().get(i))) {
                    assertTrue(Protocol.isRedacted(e), "salary message " + (i + 1) + " is redacted");
                    assertEquals("", e.type());
                    assertEquals(0, e.payload().length);
                    assertEquals(0, e.producedAt());
                } else {
                    assertFalse(Protocol.isRedacted(e));
                    assertEquals(Pipeline.TYPE, e.type());
                    assertTrue(e.payload().length > 0);
                }
            }
        }
        assertEquals(ids.created().size(), stream.producer.servedCount(), "redacted entries are not counted as served");
    }
}
