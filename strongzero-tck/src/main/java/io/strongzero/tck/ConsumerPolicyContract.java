package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.MessageHandler;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.testing.Await;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the consumer treats unknown types, failing handlers, transaction modes and concurrent instances,
 * run once per database.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
public abstract class ConsumerPolicyContract extends PipelineSuite {

    private static final Duration DELIVERY = Duration.ofSeconds(20);
    private static final String UNKNOWN = "user.unknown";
    private static final String FLAKY = "user.flaky";
    private static final String MANUAL = "user.manual";
    private static final String COMMITTER = "user.committer";


    /** Every handler invocation (not only the committed ones), as message ids, in call order. */
    private final List<String> invocations = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @BeforeEach
    void startProducer() {
        p.startProducer();
    }

    private int attempt(Pipeline.User payload, String id) {
        invocations.add(id);
        return attempts.computeIfAbsent(payload.name(), k -> new AtomicInteger()).incrementAndGet();
    }

    private int attemptsOf(String name) {
        AtomicInteger n = attempts.get(name);
        return n == null ? 0 : n.get();
    }

    private void awaitOffset(String consumer, long position) {
        Await.until(DELIVERY, "offset of " + consumer + " at " + position, () -> p.committedOffset(consumer) == position,
                () -> "offset " + p.committedOffset(consumer) + ", received " + p.receivedIds(consumer));
    }

    /** Counters move just after the commit: wait for them, then check they did not overshoot. */
    private static void assertCountReaches(long expected, java.util.function.LongSupplier counter, String what) {
        Await.until(Duration.ofSeconds(10), what + " reaching " + expected, () -> counter.getAsLong() >= expected,
                counter::getAsLong);
        assertEquals(expected, counter.getAsLong(), what);
    }

    private void awaitHead(long head) {
        Await.until(Duration.ofSeconds(10), "pump head " + head, () -> p.pump.head() >= head, p.pump::head);
    }

    // ---- unknown types ------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void unknownTypeUnderFailStopsTheStreamAtThatMessageUntilAnInstanceWithAHandlerResumes() {
        // retries that outlast the test: an unknown type is a failure retried under the policy (then parked,
        // see ReliabilityContract), and nothing after it is applied meanwhile
        StrongZeroConsumer first = p.startConsumer("strict", b -> b.retryPolicy(io.strongzero.consumer.RetryPolicy.builder()
                .maxAttempts(1000).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build()));
        String m1 = p.sendCommitted("known 1", 1);
        String m2 = p.sendCommitted(UNKNOWN, "unknown", 2);
        String m3 = p.sendCommitted("known 3", 3);
        awaitHead(3);
        Await.until(DELIVERY, "the first message applied and the unknown one retried",
                () -> p.receivedCount("strict") >= 1 && first.failureCount() >= 3,
                () -> p.receivedIds("strict") + ", failures " + first.failureCount());

        assertEquals(List.of(m1), p.receivedIds("strict"), "nothing after the unknown message is applied");
        assertEquals(1, p.committedOffset("strict"), "the offset stays before the unknown message");
        assertEquals(1, first.position(Pipeline.PRODUCER));
        assertEquals(0, first.skippedCount());
        String error = first.lastError(Pipeline.PRODUCER);
        assertNotNull(error);
        assertTrue(error.contains(UNKNOWN) && error.contains(m2), "the error names the type and the message id: " + error);
        first.close();
        assertEquals(List.of(m1), p.receivedIds("strict"), "closing does not skip the stuck message");
        assertEquals(1, p.committedOffset("strict"));

        StrongZeroConsumer second = p.startConsumer("strict",
                b -> b.handler(UNKNOWN, Pipeline.User.class, PipelineSupport.recording("strict")));
        awaitOffset("strict", 3);
        assertEquals(List.of(m1, m2, m3), p.receivedIds("strict"), "the new instance resumes at the stuck message");
        assertCountReaches(2, second::appliedCount, "applied by the second instance");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void unknownTypeUnderSkipIsCountedAndTheOffsetMovesPastIt() {
        StrongZeroConsumer c = p.startConsumer("lenient", b -> b.unknownTypePolicy(UnknownTypePolicy.SKIP));
        String m1 = p.sendCommitted("known 1", 1);
        p.sendCommitted(UNKNOWN, "unknown", 2);
        String m3 = p.sendCommitted("known 3", 3);
        awaitOffset("lenient", 3);

        assertEquals(List.of(m1, m3), p.receivedIds("lenient"), "the messages around the unknown one are applied");
        assertCountReaches(1, c::skippedCount, "skipped");
        assertCountReaches(2, c::appliedCount, "applied");
        assertEquals(0, c.failureCount(), "a skip is not a failure");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void unknownTypeUnderSkipInManualModeMovesTheOffsetPastIt() {
        StrongZeroConsumer c = p.startConsumer("manual-lenient", b -> b.unknownTypePolicy(UnknownTypePolicy.SKIP)
                .transactionMode(TransactionMode.MANUAL).handler(MANUAL, Pipeline.User.class, manualHandler("manual-lenient", null)));
        String m1 = p.sendCommitted(MANUAL, "manual 1", 1);
        p.sendCommitted(UNKNOWN, "unknown", 2);
        String m3 = p.sendCommitted(MANUAL, "manual 3", 3);
        awaitOffset("manual-lenient", 3);

        assertEquals(List.of(m1, m3), p.receivedIds("manual-lenient"));
        assertCountReaches(1, c::skippedCount, "skipped");
        assertCountReaches(2, c::appliedCount, "applied");
    }

    // ---- failing handlers ---------------------------------------------------------------------------------

    /** Records the message; throws on the first {@code failures} attempts for the payload named {@code failing}. */
    private MessageHandler<Pipeline.User> failing(String consumer, String failingName, int failures) {
        return (m, ctx) -> {
            int n = attempt(m.payload(), m.id().toString());
            Pipeline.record(ctx.connection(), consumer, m);
            if (m.payload().name().equals(failingName) && n <= failures) {
                throw new IllegalStateException("transient failure " + n + " of " + failingName);
            }
        };
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void handlerThatThrowsTwiceThenSucceedsIsAppliedOnceAndNothingAfterItIsAttemptedFirst() {
        List<String> sent = p.sendCommitted(FLAKY, List.of("a", "flaky", "c"));
        awaitHead(3);
        StrongZeroConsumer c = p.startConsumer("retrying", b -> b.handler(FLAKY, Pipeline.User.class,
                failing("retrying", "flaky", 2)));
        awaitOffset("retrying", 3);

        assertEquals(sent, p.receivedIds("retrying"), "each message applied once, in position order");
        assertEquals(3, attemptsOf("flaky"), "two failures, then success");
        int thirdAttemptOfFlaky = indexOfNth(invocations, sent.get(1), 3);
        assertTrue(invocations.indexOf(sent.get(2)) > thirdAttemptOfFlaky,
                "the message after the failing one is first attempted after it succeeded: " + invocations);
        assertCountReaches(3, c::appliedCount, "applied");
        Await.until(Duration.ofSeconds(5), "the last error cleared by the success",
                () -> c.lastError(Pipeline.PRODUCER) == null, () -> c.lastError(Pipeline.PRODUCER));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void afterCommitActionsRunOnceTheirTransactionCommittedAndNeverForRolledBackAttempts() {
        List<String> sent = p.sendCommitted(FLAKY, List.of("a", "flaky", "c"));
        awaitHead(3);
        List<String> ran = new CopyOnWriteArrayList<>();
        List<String> notYetVisible = new CopyOnWriteArrayList<>();
        MessageHandler<Pipeline.User> flaky = failing("hooks", "flaky", 2);
        // the three arrive in one batch: its first attempt fails at "flaky" and is rolled back, then they are
        // applied one by one, "flaky" failing once more
        StrongZeroConsumer c = p.startConsumer("hooks", b -> b.handler(FLAKY, Pipeline.User.class, (m, ctx) -> {
            String id = m.id().toString();
            if (m.payload().name().equals("a")) {
                ctx.afterCommit(() -> {
                    throw new IllegalStateException("a failing action does not stop the others");
                });
            }
            ctx.afterCommit(() -> {
                ran.add(id);
                if (!p.receivedIds("hooks").contains(id)) {
                    notYetVisible.add(id);   // read on another connection: the effect must be committed
                }
            });
            flaky.handle(m, ctx);
        }));
        awaitOffset("hooks", 3);
        Await.until(DELIVERY, "three actions ran", () -> ran.size() >= 3, () -> ran);

        assertEquals(sent, ran, "one action per committed message, in order; none for the rolled-back attempts");
        assertEquals(List.of(), notYetVisible, "every action ran after its transaction committed");
        assertEquals(sent, p.receivedIds("hooks"));
        assertEquals(3, attemptsOf("flaky"));
        assertCountReaches(3, c::appliedCount, "applied");
    }

    private static int indexOfNth(List<String> list, String value, int nth) {
        int seen = 0;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).equals(value) && ++seen == nth) {
                return i;
            }
        }
        throw new AssertionError(value + " occurs fewer than " + nth + " times in " + list);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void transactionOfSeveralMessagesWithOneFailureIsRolledBackAndReappliedOneByOne() {
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            sent.add(p.sendCommitted(FLAKY, "m" + i, i));
        }
        awaitHead(5);
        StrongZeroConsumer c = p.startConsumer("batched", b -> b.transactionSize(10)
                .handler(FLAKY, Pipeline.User.class, failing("batched", "m3", 1)));
        awaitOffset("batched", 5);

        assertEquals(sent, p.receivedIds("batched"), "each message recorded exactly once");
        assertEquals(5, p.receivedCount("batched"));
        assertEquals(2, attemptsOf("m1"), "m1 ran in the failed transaction and again alone");
        assertEquals(2, attemptsOf("m2"));
        assertEquals(2, attemptsOf("m3"), "m3 failed once, then succeeded");
        assertEquals(1, attemptsOf("m4"), "nothing after the failing handler ran in the failed transaction");
        assertEquals(1, attemptsOf("m5"));
        assertCountReaches(5, c::appliedCount, "applied");
    }

    // ---- transaction modes --------------------------------------------------------------------------------

    /**
     * A MANUAL handler: its own connection and transaction, records the message, calls consumed and commits.
     * While {@code forget} is true, the message named "forgetful" returns without doing anything.
     */
    private MessageHandler<Pipeline.User> manualHandler(String consumer, AtomicBoolean forget) {
        return (m, ctx) -> {
            attempt(m.payload(), m.id().toString());
            if (forget != null && forget.get() && m.payload().name().equals("forgetful")) {
                return;
            }
            try (Connection c = p.consumerDb.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try {
                    Pipeline.record(c, consumer, m);
                    ctx.consumed(c);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        };
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void manualHandlerThatCallsConsumedAndCommitsAppliesEachMessageOnceWithTheOffset() {
        AtomicReference<Throwable> connectionCall = new AtomicReference<>();
        AtomicReference<Throwable> afterCommitCall = new AtomicReference<>();
        MessageHandler<Pipeline.User> manual = manualHandler("manual", null);
        StrongZeroConsumer c = p.startConsumer("manual", b -> b.transactionMode(TransactionMode.MANUAL)
                .handler(MANUAL, Pipeline.User.class, (m, ctx) -> {
                    try {
                        ctx.connection();
                    } catch (IllegalStateException e) {
                        connectionCall.compareAndSet(null, e);
                    }
                    try {
                        ctx.afterCommit(() -> { });
                    } catch (IllegalStateException e) {
                        afterCommitCall.compareAndSet(null, e);
                    }
                    manual.handle(m, ctx);
                }));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(p.sendCommitted(MANUAL, "manual " + i, i));
        }
        awaitOffset("manual", 5);

        assertEquals(sent, p.receivedIds("manual"));
        assertEquals(5, p.receivedCount("manual"));
        assertCountReaches(5, c::appliedCount, "applied");
        assertEquals(0, c.failureCount());
        assertTrue(connectionCall.get() instanceof IllegalStateException,
                "ctx.connection() is refused in MANUAL mode: " + connectionCall.get());
        assertTrue(afterCommitCall.get() instanceof IllegalStateException,
                "ctx.afterCommit() is refused in MANUAL mode: " + afterCommitCall.get());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void manualHandlerThatForgetsConsumedIsRetriedAndTheOffsetStaysBeforeIt() {
        AtomicBoolean forget = new AtomicBoolean(true);
        StrongZeroConsumer c = p.startConsumer("forgetful", b -> b.transactionMode(TransactionMode.MANUAL)
                .handler(MANUAL, Pipeline.User.class, manualHandler("forgetful", forget)));
        String m1 = p.sendCommitted(MANUAL, "fine", 1);
        String m2 = p.sendCommitted(MANUAL, "forgetful", 2);
        String m3 = p.sendCommitted(MANUAL, "fine later", 3);
        awaitHead(3);
        Await.until(DELIVERY, "the forgetful message retried", () -> attemptsOf("forgetful") >= 3,
                () -> attemptsOf("forgetful"));

        assertEquals(List.of(m1), p.receivedIds("forgetful"), "nothing after the forgetful message is applied");
        assertEquals(1, p.committedOffset("forgetful"));
        assertEquals(0, attemptsOf("fine later"), "the next message is not attempted while this one fails");
        assertTrue(c.failureCount() >= 2, "forgetting consumed() counts as a failure");
        String error = c.lastError(Pipeline.PRODUCER);
        assertTrue(error != null && error.contains("consumed"), "the error says what was forgotten: " + error);

        forget.set(false);
        awaitOffset("forgetful", 3);
        assertEquals(List.of(m1, m2, m3), p.receivedIds("forgetful"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void autoModeHandlerCannotCommitRollBackOrCloseTheConsumersConnection() {
        List<Throwable> refused = new CopyOnWriteArrayList<>();
        StrongZeroConsumer c = p.startConsumer("guarded", b -> b.handler(COMMITTER, Pipeline.User.class, (m, ctx) -> {
            int n = attempt(m.payload(), m.id().toString());
            Pipeline.record(ctx.connection(), "guarded", m);
            try {
                switch (n) {
                    case 1 -> ctx.connection().commit();
                    case 2 -> ctx.connection().rollback();
                    case 3 -> ctx.connection().setAutoCommit(true);
                    case 4 -> ctx.connection().close();
                    default -> {
                        return;
                    }
                }
            } catch (RuntimeException e) {
                refused.add(e);
                throw e;
            }
        }));
        String id = p.sendCommitted(COMMITTER, "committer", 1);
        awaitOffset("guarded", 1);

        assertEquals(4, refused.size(), "commit, rollback, setAutoCommit and close were each refused: " + refused);
        List<String> methods = List.of("commit", "rollback", "setAutoCommit", "close");
        for (int i = 0; i < 4; i++) {
            Throwable t = refused.get(i);
            assertTrue(t instanceof IllegalStateException, "IllegalStateException, not " + t);
            assertTrue(t.getMessage().contains("Connection." + methods.get(i) + "()"), t.getMessage());
        }
        assertEquals(5, attemptsOf("committer"), "each refusal failed the message and it was retried");
        assertEquals(List.of(id), p.receivedIds("guarded"), "the rows of the refused attempts were rolled back");
        assertCountReaches(1, c::appliedCount, "applied");
    }

    // ---- several consumers --------------------------------------------------------------------------------

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void consumersWithDifferentNamesSeeTheSameMessagesInTheSameOrder() {
        List<String> sent = p.sendCommittedSeries("early", 10);
        p.startConsumer("alpha");
        sent.addAll(p.sendCommittedSeries("middle", 10));
        p.startConsumer("beta");
        sent.addAll(p.sendCommittedSeries("late", 10));
        awaitOffset("alpha", 30);
        awaitOffset("beta", 30);

        Map<Long, String> alpha = PipelineSupport.positionsToIds(p, "alpha");
        Map<Long, String> beta = PipelineSupport.positionsToIds(p, "beta");
        assertEquals(alpha, beta, "same position -> id sequence");
        assertEquals(LongStream.rangeClosed(1, 30).boxed().collect(Collectors.toList()), new ArrayList<>(alpha.keySet()));
        assertEquals(sent, new ArrayList<>(alpha.values()));
        assertEquals(30, p.receivedCount("alpha"));
        assertEquals(30, p.receivedCount("beta"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoInstancesWithTheSameNameNeverBothApplyAMessage() {
        StrongZeroConsumer one = p.startConsumer("twin", b -> b.transactionSize(3));
        StrongZeroConsumer two = p.startConsumer("twin", b -> b.transactionSize(3));
        List<String> sent = p.sendCommittedSeries("twin", 60);
        awaitOffset("twin", 60);

        assertEquals(List.of(), PipelineSupport.duplicates(p, "twin"), "no message applied twice");
        assertEquals(60, p.receivedCount("twin"));
        assertEquals(new LinkedHashSet<>(sent), new LinkedHashSet<>(p.receivedIds("twin")));
        assertEquals(sent, p.receivedIds("twin"));
        assertCountReaches(60, () -> one.appliedCount() + two.appliedCount(), "applied by both instances together");
    }
}
