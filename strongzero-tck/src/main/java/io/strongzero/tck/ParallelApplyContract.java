package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.consumer.internal.LaneHash;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-key ordered parallel apply ({@code concurrency(n)}), run once per database: each key's messages are applied in
 * position order and exactly once, however many lanes apply at once, across producers, across restarts with another
 * lane count, with a parked message in a lane, with contention failures, and with a key that does not move; the
 * buffer of pulled messages stays within its bound; a pool too small for the lanes is refused.
 *
 * <p>Every test records each applied message in {@code lane_applied} (no unique key, so a duplicate would show) with
 * a sequence number taken in the handler: within a lane, handlers run one after another and only committed rows
 * remain, so sorting a key's rows by it gives the order in which its messages were applied.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ParallelApplyContract extends PipelineSuite {

    private static final Duration DELIVERY = Duration.ofSeconds(60);
    /** Shorter than a long poll of a minute. */
    private static final Duration RELEASE = Duration.ofSeconds(30);
    private static final String TYPE = "order.changed";

    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    /** Keys whose handler waits while {@link #hold} is set (and fails once {@link #abort} is set). */
    private final Map<String, Boolean> heldKeys = new ConcurrentHashMap<>();
    private volatile boolean hold;
    private volatile boolean abort;
    /** Messages named "poison..." fail while this is set. */
    private volatile boolean poisonFails = true;
    private final List<AutoCloseable> extra = new ArrayList<>();

    @BeforeEach
    void effectsTable() {
        Pipeline.exec(p.consumerDb, "CREATE TABLE lane_applied (producer_name VARCHAR(64) NOT NULL, msg_key VARCHAR(255), "
                + "pos BIGINT NOT NULL, seq BIGINT NOT NULL)");
    }

    @AfterEach
    void closeExtra() throws Exception {
        hold = false;
        for (int i = extra.size() - 1; i >= 0; i--) {
            extra.get(i).close();
        }
    }

    /** A consumer of {@code concurrency} lanes whose handler records each message, after {@code delay} of waiting. */
    private StrongZeroConsumer consumer(int concurrency, int maxDelayMicros, Consumer<StrongZeroConsumer.Builder> more) {
        return p.startConsumer("lanes", b -> {
            b.concurrency(concurrency).handler(TYPE, Pipeline.User.class, (m, ctx) -> {
                int now = inFlight.incrementAndGet();
                mostInFlight.accumulateAndGet(now, Math::max);
                try {
                    String key = m.key().orElse(null);
                    if (key != null && heldKeys.containsKey(key)) {
                        while (hold) {
                            if (abort) {
                                throw new IllegalStateException("held key " + key + " aborted by the test");
                            }
                            LockSupport.parkNanos(1_000_000);
                        }
                    }
                    if (m.payload().name().startsWith("poison") && poisonFails) {
                        throw new IllegalStateException("poison message " + m.payload().name());
                    }
                    if (maxDelayMicros > 0) {
                        LockSupport.parkNanos(1_000L * new Random().nextInt(maxDelayMicros));
                    }
                    record(ctx.connection(), m.producer(), key, m.position());
                } finally {
                    inFlight.decrementAndGet();
                }
            });
            more.accept(b);
        });
    }

    private void record(Connection c, String producer, String key, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO lane_applied (producer_name, msg_key, pos, seq) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, producer);
            ps.setString(2, key);
            ps.setLong(3, position);
            ps.setLong(4, sequence.incrementAndGet());
            ps.executeUpdate();
        }
    }

    /** Sends {@code count} messages in transactions of 1 to 20, keyed {@code keys.apply(i)} (null: no key). */
    private static void send(StrongZeroSender sender, int count, java.util.function.IntFunction<String> keys) {
        Random random = new Random(count);
        int i = 0;
        while (i < count) {
            int size = Math.min(count - i, 1 + random.nextInt(20));
            int from = i;
            sender.inTransaction(c -> {
                for (int j = from; j < from + size; j++) {
                    String key = keys.apply(j);
                    if (key == null) {
                        sender.send(c, TYPE, new Pipeline.User("m" + j, j));
                    } else {
                        sender.send(c, TYPE, key, new Pipeline.User("m" + j, j));
                    }
                }
                return null;
            });
            i += size;
        }
    }

    private int applied() {
        return Pipeline.count(p.consumerDb, "SELECT COUNT(*) FROM lane_applied");
    }

    /**
     * Every position 1..{@code sent} of {@code producer} applied exactly once, and each key's messages (and the
     * keyless ones) applied in position order.
     */
    private void assertOnceAndInKeyOrder(String producer, int sent) {
        Map<Long, Integer> times = new HashMap<>();
        Map<String, Long> lastPositionOfKey = new HashMap<>();
        List<String> outOfOrder = new ArrayList<>();
        Pipeline.query(p.consumerDb, "SELECT msg_key, pos FROM lane_applied WHERE producer_name = '" + producer
                + "' ORDER BY seq", rs -> {
                    String key = rs.getString(1) == null ? "<no key>" : rs.getString(1);
                    long pos = rs.getLong(2);
                    times.merge(pos, 1, Integer::sum);
                    Long before = lastPositionOfKey.put(key, pos);
                    if (before != null && before > pos && outOfOrder.size() < 10) {
                        outOfOrder.add(key + ": " + pos + " after " + before);
                    }
                });
        List<String> wrong = new ArrayList<>();
        for (long pos = 1; pos <= sent; pos++) {
            int n = times.getOrDefault(pos, 0);
            if (n != 1 && wrong.size() < 10) {
                wrong.add(pos + " applied " + n + " times");
            }
        }
        assertEquals(List.of(), wrong, "producer " + producer + ": every message exactly once");
        assertEquals(sent, times.size(), "producer " + producer + ": nothing beyond what was sent");
        assertEquals(List.of(), outOfOrder, "producer " + producer + ": each key's messages in position order");
    }

    /** A second journal, pump, producer and sender named {@code name}, closed after the test. */
    private StrongZeroSender secondProducer(String name) {
        TestDatabase.Instance db = database().create("prod2");
        extra.add(db);
        Schema.create(db.dataSource(), database().dialect(), Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
        StrongZeroPump pump = StrongZeroPump.builder().name(name).dataSource(db.dataSource())
                .pollInterval(Duration.ofMillis(100)).build();
        extra.add(pump);
        StrongZeroProducer producer = StrongZeroProducer.builder().pump(pump).bind("tcp://127.0.0.1:*")
                .heartbeat(Duration.ofMillis(500)).build().start();
        extra.add(producer);
        StrongZeroSender sender = StrongZeroSender.builder().producer(producer).dataSource(db.dataSource()).build();
        extra.add(sender);
        secondEndpoint = producer.endpoints().get(0);
        return sender;
    }

    private String secondEndpoint;

    @Test
    void eachOfTwoThousandKeysIsAppliedInOrderAndOnceWhileEightLanesApplyTwoProducersStreamsWithRandomDelays() {
        p.startProducer();
        StrongZeroSender orders = secondProducer("orders");
        int perProducer = 3_000;
        // 1,000 keys per producer, and every tenth message without a key (those share one lane and keep their order)
        send(p.sender, perProducer, i -> i % 10 == 0 ? null : "user-" + (i * 7919 % 1_000));
        send(orders, perProducer, i -> i % 10 == 0 ? null : "order-" + (i * 104729 % 1_000));
        consumer(8, 2_000, b -> b.producer("orders", secondEndpoint));
        Await.until(DELIVERY, "all " + 2 * perProducer + " messages applied", () -> applied() >= 2 * perProducer,
                this::applied);
        assertOnceAndInKeyOrder(Pipeline.PRODUCER, perProducer);
        assertOnceAndInKeyOrder("orders", perProducer);
        assertTrue(mostInFlight.get() > 1, "handlers ran at the same time (at most " + mostInFlight.get() + ")");
        assertEquals(2 * 8, Pipeline.count(p.consumerDb, "SELECT COUNT(*) FROM sz_offset WHERE consumer_name = 'lanes' "
                + "AND lanes = 8"), "one offset row per lane and producer, recorded under 8 lanes");
    }

    @Test
    void changingTheLaneCountBetweenRunsFinishesTheOldLanesFirstAndAppliesEveryMessageOnceInKeyOrder() {
        p.startProducer();
        int[] counts = {8, 3, 16, 1};
        int sent = 0;
        for (int round = 0; round < counts.length; round++) {
            int n = counts[round];
            int from = sent;
            String heldKey = "held-" + round;
            heldKeys.clear();
            heldKeys.put(heldKey, true);
            hold = true;
            abort = false;
            // the held key's messages first, so that its lane stays behind the others
            send(p.sender, 300, i -> i < 5 ? heldKey : (from + i) % 13 == 0 ? null : "k-" + ((from + i) * 31 % 97));
            sent += 300;
            int target = sent;
            // a held handler aborted for the close fails; it must not use up its attempts before the close stops it
            StrongZeroConsumer c = consumer(n, 500, b -> b.retryPolicy(RetryPolicy.builder().maxAttempts(100)
                    .backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).build()));
            if (round == counts.length - 1) {
                hold = false;   // the last run applies everything
                Await.until(DELIVERY, "all " + target + " messages applied", () -> applied() >= target, this::applied);
                c.close();
                break;
            }
            // all but what the held key's lane holds back is applied; then stop with the lanes apart
            Await.until(DELIVERY, "most messages applied while one key is held", () -> applied() >= target - 300 / 2,
                    this::applied);
            abort = true;
            c.close();
            assertFalse(lanePositionsUniform(), "the lanes stopped apart (round " + round + ")");
            hold = false;
        }
        assertOnceAndInKeyOrder(Pipeline.PRODUCER, sent);
        assertEquals(1, Pipeline.count(p.consumerDb, "SELECT COUNT(*) FROM sz_offset WHERE consumer_name = 'lanes'"),
                "one offset row once the lane count is back to 1");
        assertEquals(sent, Pipeline.count(p.consumerDb, "SELECT MAX(pos) FROM sz_offset WHERE consumer_name = 'lanes' "
                + "AND lane = 0 AND lanes = 1"), "the single row at the last position");
    }

    private boolean lanePositionsUniform() {
        return Pipeline.count(p.consumerDb, "SELECT COUNT(DISTINCT pos) FROM sz_offset WHERE consumer_name = 'lanes'") == 1;
    }

    @Test
    void aKeyThatDoesNotMoveHoldsTheOthersBackOnlyOnceTheBufferIsFullAndTheBufferStaysWithinItsBound() {
        p.startProducer();
        AtomicLong fullWaits = new AtomicLong();
        StrongZeroMetrics metrics = new StrongZeroMetrics() {
            @Override
            public void bufferFull(String consumer, String producer, long nanos) {
                fullWaits.incrementAndGet();
            }
        };
        heldKeys.put("stuck", true);
        hold = true;
        send(p.sender, 3, i -> "stuck");
        send(p.sender, 600, i -> "k-" + (i % 200));
        StrongZeroConsumer c = consumer(4, 0, b -> b.maxBufferedMessages(40).metrics(metrics));
        Await.until(DELIVERY, "the buffer full behind the stuck key, and the other lanes done with what they had",
                () -> Boolean.TRUE.equals(stream(c).get("bufferFull")) && appliedSettled(), () -> stream(c));
        int appliedWhileStuck = applied();
        assertTrue(appliedWhileStuck > 0, "keys in other lanes went on while one key was stuck");
        assertTrue(appliedWhileStuck < 600, "the stuck key's lane held the rest back once the buffer was full: "
                + appliedWhileStuck);
        int most = 0;
        for (int i = 0; i < 50; i++) {
            most = Math.max(most, ((Number) stream(c).get("buffered")).intValue());
            LockSupport.parkNanos(10_000_000);
        }
        assertTrue(most <= 40, "at most maxBufferedMessages buffered: " + most);
        assertTrue(fullWaits.get() > 0, "the waits with a full buffer were measured");
        assertTrue(applied() < 600, "still held back while the key does not move: " + applied());
        assertEquals(603, c.lagMessages(Pipeline.PRODUCER),
                "lag counts from the lowest lane position: the stuck key's lane is before its first message");
        long lagMillis = ((Number) stream(c).get("lagMillis")).longValue();
        assertTrue(lagMillis >= 200, "lagMillis counts from the stuck message, sent before the consumer started and "
                + "waiting for more than the 200 ms the test waited: " + lagMillis);
        hold = false;
        Await.until(DELIVERY, "all 603 applied once the key moves", () -> applied() >= 603, this::applied);
        assertOnceAndInKeyOrder(Pipeline.PRODUCER, 603);
    }

    /** True if nothing was applied in the last 200 ms (and something was). */
    private boolean appliedSettled() {
        int before = applied();
        LockSupport.parkNanos(200_000_000);
        return before > 0 && applied() == before;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stream(StrongZeroConsumer c) {
        List<Map<String, Object>> producers = (List<Map<String, Object>>) c.health().details().get("producers");
        return producers.get(0);
    }

    @Test
    void aParkedMessageDoesNotStopItsLaneNorItsKey() {
        p.startProducer();
        send(p.sender, 200, i -> "k-" + (i % 5));
        StrongZeroConsumer c = consumer(4, 0, b -> b.handler("poison", Pipeline.User.class, (m, ctx) -> {
            throw new NonRetryableException("poison");
        }));
        p.sender.inTransaction(conn -> p.sender.send(conn, "poison", "k-1", new Pipeline.User("poison", 0)));
        send(p.sender, 100, i -> "k-" + (i % 5));
        Await.until(DELIVERY, "the 300 other messages applied", () -> applied() >= 300, this::applied);
        List<DeadLetter> letters = c.deadLetters().list(Pipeline.PRODUCER, null, DeadLetter.Status.PARKED, 10);
        assertEquals(1, letters.size(), "the poison message parked");
        assertEquals(201, letters.get(0).position());
        Await.until(DELIVERY, "the lowest lane position passes every message",
                () -> Pipeline.count(p.consumerDb, "SELECT MIN(pos) FROM sz_offset WHERE consumer_name = 'lanes'") == 301,
                () -> Pipeline.count(p.consumerDb, "SELECT MIN(pos) FROM sz_offset WHERE consumer_name = 'lanes'"));
        Await.until(DELIVERY, "no lag once the lowest lane position is at the head",
                () -> c.lagMessages(Pipeline.PRODUCER) == 0, () -> c.lagMessages(Pipeline.PRODUCER));
    }

    /** Sends one message named {@code name} with {@code key} in its own transaction; returns its position later. */
    private String sendOne(String key, String name) {
        return p.sender.inTransaction(c -> p.sender.send(c, TYPE, key, new Pipeline.User(name, 0)).toString());
    }

    /** A key other than {@code key} in the same lane of {@code lanes}. */
    private static String neighbourOf(String key, int lanes) {
        for (int i = 0; ; i++) {
            String candidate = "neighbour-" + i;
            if (LaneHash.laneOf(candidate, lanes) == LaneHash.laneOf(key, lanes)) {
                return candidate;
            }
        }
    }

    private List<String> appliedNamesOf(String key) {
        List<String> names = new ArrayList<>();
        Pipeline.query(p.consumerDb, "SELECT pos FROM lane_applied WHERE msg_key = '" + key + "' ORDER BY seq",
                rs -> names.add(String.valueOf(rs.getLong(1))));
        return names;
    }

    private int heldCount(String key) {
        return Pipeline.count(p.consumerDb, "SELECT COUNT(*) FROM sz_held WHERE consumer_name = 'lanes' AND msg_key = '"
                + key + "'");
    }

    private static Consumer<StrongZeroConsumer.Builder> blockingPolicy() {
        return b -> b.retryPolicy(RetryPolicy.builder().maxAttempts(2).backoff(Duration.ofMillis(5), Duration.ofMillis(10))
                .onExhausted(RetryPolicy.OnExhausted.BLOCK).build());
    }

    @Test
    void aBlockedKeyHoldsBackOnlyItsOwnLaterMessagesEvenInItsLaneAndReleasesThemInOrderOnReplayAfterARestart() {
        p.startProducer();
        String victim = "victim";
        String neighbour = neighbourOf(victim, 4);
        sendOne(victim, "v0");
        String poison = sendOne(victim, "poison");
        for (int i = 1; i <= 3; i++) {
            sendOne(victim, "v" + i);
            sendOne(neighbour, "n" + i);
        }
        send(p.sender, 100, i -> "other-" + (i % 7));
        StrongZeroConsumer c = consumer(4, 0, blockingPolicy());
        // 1 + 3 neighbour + 100 others applied; the victim's 3 later messages held; nothing else waits for them
        Await.until(DELIVERY, "everything but the victim's key applied", () -> applied() == 104 && heldCount(victim) == 3,
                () -> applied() + " applied, " + heldCount(victim) + " held");
        assertEquals(List.of("1"), appliedNamesOf(victim), "only the victim's message before the poison");
        assertEquals(3, appliedNamesOf(neighbour).size(), "the key sharing the victim's lane went on");
        List<DeadLetter> blocking = c.deadLetters().list(Pipeline.PRODUCER, null, DeadLetter.Status.BLOCKING, 10);
        assertEquals(1, blocking.size());
        assertEquals(poison, blocking.get(0).id().toString());
        Await.until(DELIVERY, "every lane past the held messages", () -> Pipeline.count(p.consumerDb,
                "SELECT MIN(pos) FROM sz_offset WHERE consumer_name = 'lanes'") == 108, () -> Pipeline.count(p.consumerDb,
                "SELECT MIN(pos) FROM sz_offset WHERE consumer_name = 'lanes'"));

        // a restart keeps the key held back: a new message of it is held too
        c.close();
        StrongZeroConsumer again = consumer(4, 0, blockingPolicy());
        sendOne(victim, "v4");
        sendOne(neighbour, "n4");
        Await.until(DELIVERY, "the new messages: the neighbour's applied, the victim's held",
                () -> applied() == 105 && heldCount(victim) == 4, () -> applied() + " applied, " + heldCount(victim) + " held");

        poisonFails = false;
        assertTrue(again.deadLetters().replay(Pipeline.PRODUCER, blocking.get(0).id()).applied());
        sendOne(victim, "v5");
        Await.until(DELIVERY, "the victim's poison, held and later messages applied", () -> applied() == 111,
                this::applied);
        assertEquals(0, heldCount(victim), "nothing held any more");
        assertEquals(List.of("1", "2", "3", "5", "7", "109", "111"), appliedNamesOf(victim),
                "the victim's messages in position order: the replayed one, the held ones, then the later one");
        assertOnceAndInKeyOrder(Pipeline.PRODUCER, 111);
    }

    @Test
    void aKeyWhoseReplayWasRequestedWhileTheConsumerWasDownStaysHeldBackUntilTheReplayIsApplied() {
        p.startProducer();
        String victim = "victim";
        sendOne(victim, "v0");
        String poison = sendOne(victim, "poison");
        send(p.sender, 50, i -> "other-" + (i % 5));
        StrongZeroConsumer c = consumer(4, 0, blockingPolicy());
        Await.until(DELIVERY, "all but the poison applied", () -> applied() == 51, this::applied);
        c.close();
        // an operator's tool asks for the replay while the consumer is down (no later message of the key is held yet),
        // and a later message of the key arrives
        io.strongzero.consumer.DeadLetters.open(p.consumerDb.dataSource(), "lanes", Schema.DEFAULT_PREFIX)
                .requestReplay(Pipeline.PRODUCER, io.strongzero.core.FlakeId.parse(poison));
        sendOne(victim, "v1");
        StrongZeroConsumer again = consumer(4, 0, blockingPolicy());
        // the replay fails again: the dead letter is BLOCKING again, and the later message is held, not applied
        Await.until(DELIVERY, "the replay failed and the later message is held", () -> heldCount(victim) == 1
                && again.deadLetters().list(Pipeline.PRODUCER, null, DeadLetter.Status.BLOCKING, 10).size() == 1,
                () -> heldCount(victim) + " held, " + again.deadLetters().open());
        assertEquals(List.of("1"), appliedNamesOf(victim));
        assertFalse(again.isBlocked(Pipeline.PRODUCER), "only the key is held back, not the stream");
        poisonFails = false;
        assertTrue(again.deadLetters().replay(Pipeline.PRODUCER, io.strongzero.core.FlakeId.parse(poison)).applied());
        Await.until(DELIVERY, "everything applied", () -> applied() == 53, this::applied);
        assertEquals(List.of("1", "2", "53"), appliedNamesOf(victim),
                "the replayed message, then the one sent while the consumer was down");
        assertOnceAndInKeyOrder(Pipeline.PRODUCER, 53);
    }

    @Test
    void aDiscardedBlockingMessageReleasesItsKeyAndAHeldMessageThatFailsBlocksTheKeyAgain() {
        p.startProducer();
        String victim = "victim";
        sendOne(victim, "v0");
        String poison = sendOne(victim, "poison-1");
        sendOne(victim, "v1");
        String second = sendOne(victim, "poison-2");
        sendOne(victim, "v2");
        send(p.sender, 50, i -> "other-" + (i % 5));
        // a long poll of a minute: a key is released while the stream's pull waits, not once the pull is answered
        StrongZeroConsumer c = consumer(4, 0, blockingPolicy().andThen(b -> b.longPollWait(Duration.ofSeconds(60))));
        Await.until(DELIVERY, "all but the victim's applied", () -> applied() == 51 && heldCount(victim) == 3,
                () -> applied() + " applied, " + heldCount(victim) + " held");
        c.deadLetters().discard(Pipeline.PRODUCER, io.strongzero.core.FlakeId.parse(poison), "test: not needed");
        // v1 is applied; poison-2 fails again and blocks the key; v2 stays held
        Await.until(RELEASE, "poison-2 blocking", () -> c.deadLetters().list(Pipeline.PRODUCER, null,
                DeadLetter.Status.BLOCKING, 10).size() == 1 && heldCount(victim) == 1, () -> heldCount(victim) + " held");
        assertEquals(second, c.deadLetters().list(Pipeline.PRODUCER, null, DeadLetter.Status.BLOCKING, 10).get(0).id()
                .toString());
        assertEquals(List.of("1", "3"), appliedNamesOf(victim));
        c.deadLetters().discard(Pipeline.PRODUCER, io.strongzero.core.FlakeId.parse(second), "test: not needed either");
        Await.until(RELEASE, "v2 released", () -> heldCount(victim) == 0 && appliedNamesOf(victim).size() == 3,
                () -> appliedNamesOf(victim));
        assertEquals(List.of("1", "3", "5"), appliedNamesOf(victim), "v0, v1, v2 in order; both poisons discarded");
    }

    @Test
    void inManualModeEachLaneHandlerCommitsItsEffectsWithItsLanePositionOnceAndInKeyOrder() {
        p.startProducer();
        send(p.sender, 600, i -> i % 9 == 0 ? null : "k-" + (i % 40));
        StrongZeroConsumer c = p.startConsumer("lanes", b -> b.concurrency(6).transactionMode(TransactionMode.MANUAL)
                .handler(TYPE, Pipeline.User.class, (m, ctx) -> {
                    try (Connection conn = p.consumerDb.dataSource().getConnection()) {
                        conn.setAutoCommit(false);
                        record(conn, m.producer(), m.key().orElse(null), m.position());
                        ctx.consumed(conn);
                        conn.commit();
                    }
                }));
        Await.until(DELIVERY, "all 600 applied", () -> applied() >= 600, this::applied);
        assertOnceAndInKeyOrder(Pipeline.PRODUCER, 600);
        Await.until(DELIVERY, "the lowest lane position at the end", () -> c.lagMessages(Pipeline.PRODUCER) == 0,
                () -> c.lagMessages(Pipeline.PRODUCER));
    }

    @Test
    void aSerializationFailureOrDeadlockIsTriedAgainWithoutUsingUpAnAttempt() {
        p.startProducer();
        AtomicInteger failuresLeft = new AtomicInteger(6);
        StrongZeroConsumer c = consumer(4, 0, b -> b
                .retryPolicy(RetryPolicy.builder().maxAttempts(1).build())
                .handler("contended", Pipeline.User.class, (m, ctx) -> {
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new IllegalStateException("wrapped", new SQLTransactionRollbackException(
                                "could not serialize access", failuresLeft.get() % 2 == 0 ? "40001" : "40P01"));
                    }
                    record(ctx.connection(), m.producer(), m.key().orElse(null), m.position());
                }));
        p.sender.inTransaction(conn -> p.sender.send(conn, "contended", "hot", new Pipeline.User("x", 0)));
        Await.until(DELIVERY, "the contended message applied", () -> applied() == 1, this::applied);
        assertTrue(failuresLeft.get() <= 0, "it failed 6 times first");
        assertEquals(0, c.deadLetters().list(Pipeline.PRODUCER, null, null, 10).size(),
                "with maxAttempts(1) it was not parked: the contention failures used up no attempt");
    }

    @Test
    void aPoolWithFewerThanConcurrencyPlusOneConnectionsIsRefusedAtStart() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(p.consumerDb.jdbcUrl());
        config.setUsername(p.consumerDb.user());
        config.setPassword(p.consumerDb.password());
        config.setMaximumPoolSize(8);
        try (HikariDataSource small = new HikariDataSource(config)) {
            StrongZeroConsumer c = Pipeline.consumerBuilder("small", small, "tcp://127.0.0.1:1", 0).concurrency(8).build();
            StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, c::start);
            assertTrue(e.getMessage().contains("holds at most 8 connections but at least 9 are needed"), e.getMessage());
            c.close();
            StrongZeroConsumer fits = Pipeline.consumerBuilder("small", small, "tcp://127.0.0.1:1", 0).concurrency(7)
                    .build();
            fits.start();
            fits.close();
        }
    }
}
