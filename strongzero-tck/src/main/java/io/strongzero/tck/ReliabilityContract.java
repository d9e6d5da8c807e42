package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.DeadLetters;
import io.strongzero.consumer.IdempotencyGuard;
import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.FlakeId;
import io.strongzero.testing.Await;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retries, dead letters, block policy, idempotency guard, batches and timeouts, per database.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
public abstract class ReliabilityContract extends PipelineSuite {

    static final String FLAKY = "user.flaky";
    static final String POISON = "user.poison";


    @BeforeEach
    void startProducer() {
        p.startProducer();
    }

    private static RetryPolicy fast(int attempts) {
        return RetryPolicy.builder().maxAttempts(attempts).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void handlerFailingTwiceThenSucceedingIsAppliedOnceAfterBackoffWithinPolicyBounds() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).backoff(Duration.ofMillis(60), Duration.ofSeconds(1))
                .jitter(0.5).build();
        List<Long> attemptsAt = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        StrongZeroConsumer c = p.startConsumer("members", b -> b.transactionSize(1).retryPolicy(policy).random(() -> 0.5)
                .handler(FLAKY, Pipeline.User.class, (m, ctx) -> {
                    attemptsAt.add(System.nanoTime());
                    if (calls.incrementAndGet() <= 2) {
                        throw new IllegalStateException("downstream over quota (call " + calls.get() + ")");
                    }
                    Pipeline.record(ctx.connection(), "members", m);
                }));
        String flaky = p.sendCommitted(FLAKY, "flaky", 0);
        String after = p.sendCommitted("after", 1);
        Await.until(Duration.ofSeconds(30), "both applied", () -> p.receivedCount("members") == 2);
        assertEquals(List.of(flaky, after), p.receivedIds("members"), "applied once, in order");
        assertEquals(3, attemptsAt.size(), "two failures, one success");
        long gap1 = TimeUnit.NANOSECONDS.toMillis(attemptsAt.get(1) - attemptsAt.get(0));
        long gap2 = TimeUnit.NANOSECONDS.toMillis(attemptsAt.get(2) - attemptsAt.get(1));
        // random() = 0.5 and jitter 0.5: the delay after attempt n is max(n) * (1 - 0.25)
        assertEquals(45, policy.delayMillis(1, 0.5));
        assertEquals(90, policy.delayMillis(2, 0.5));
        assertTrue(gap1 >= 45, "first backoff waited at least 45 ms but waited " + gap1);
        assertTrue(gap2 >= 90, "second backoff waited at least 90 ms but waited " + gap2);
        Await.until(Duration.ofSeconds(10), "offset 2", () -> p.committedOffset("members") == 2);
        assertEquals(0, c.parkedCount());
        assertEquals(0, c.deadLetters().count());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void poisonMessageIsParkedWithItsHistoryLaterOnesAppliedAndReplayAfterFixRemovesIt() {
        AtomicBoolean fixed = new AtomicBoolean();
        AtomicInteger actionsRun = new AtomicInteger();
        List<DeadLetter> alerts = new CopyOnWriteArrayList<>();
        StrongZeroConsumer c = p.startConsumer("members", b -> b.retryPolicy(POISON, fast(3))
                .deadLetterListener(alerts::add)
                .handler(POISON, Pipeline.User.class, (m, ctx) -> {
                    ctx.afterCommit(actionsRun::incrementAndGet);   // runs only for the attempt that commits
                    if (!fixed.get()) {
                        throw new IllegalArgumentException("cannot handle " + m.payload().name());
                    }
                    Pipeline.record(ctx.connection(), "members", m);
                }));
        Set<String> good = new HashSet<>();
        good.add(p.sendCommitted("a", 1));
        String poison = p.sendCommitted(POISON, "poison", 0);
        good.addAll(p.sendCommittedSeries("b", 10));
        Await.until(Duration.ofSeconds(30), "11 good applied", () -> p.receivedCount("members") == 11);
        assertEquals(good, new HashSet<>(p.receivedIds("members")));
        Await.until(Duration.ofSeconds(10), "offset past everything", () -> p.committedOffset("members") == 12);
        DeadLetters dlq = c.deadLetters();
        assertEquals(1, dlq.count());
        DeadLetter letter = dlq.get(Pipeline.PRODUCER, FlakeId.parse(poison)).orElseThrow();
        assertEquals(DeadLetter.Status.PARKED, letter.status());
        assertEquals(3, letter.attempts());
        assertEquals(2, letter.position());
        assertEquals(POISON, letter.type());
        assertEquals(3, letter.errors().size(), "one history entry per attempt");
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, letter.errors().get(i).attempt());
            assertEquals(IllegalArgumentException.class.getName(), letter.errors().get(i).exceptionClass());
            assertEquals("cannot handle poison", letter.errors().get(i).message());
            assertTrue(letter.errors().get(i).stack().contains("ReliabilityContract"), "stack excerpt present");
        }
        assertFalse(letter.firstFailedAt().isAfter(letter.lastFailedAt()));
        assertEquals(1, alerts.size(), "the listener heard of the parking");
        assertEquals(1, c.parkedCount());

        // a failed replay keeps the row and adds to its history
        DeadLetters.ReplayResult failed = dlq.replay(Pipeline.PRODUCER, letter.id());
        assertFalse(failed.applied());
        assertEquals(4, dlq.get(Pipeline.PRODUCER, letter.id()).orElseThrow().errors().size());
        assertEquals(0, c.replayedCount());

        fixed.set(true);
        DeadLetters.ReplayResult ok = dlq.replay(Pipeline.PRODUCER, letter.id());
        assertTrue(ok.applied(), String.valueOf(ok.failure()));
        assertTrue(dlq.get(Pipeline.PRODUCER, letter.id()).isEmpty(), "replayed row removed");
        assertEquals(0, dlq.count());
        assertTrue(p.receivedIds("members").contains(poison), "replay applied the effect");
        assertEquals(12, p.receivedCount("members"));
        assertEquals(1, c.replayedCount(), "the replay is counted");
        assertEquals(1, actionsRun.get(), "afterCommit ran for the committed replay only, not for the failed attempts");
        assertEquals(11, c.appliedCount(), "the stream's count is not changed by the replay");
        assertEquals(1L, c.health().details().get("replayed"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void replayRequestedLetterCountsAsOpenEverywhereUntilTheConsumerCarriesItOut() {
        StrongZeroConsumer c = p.startConsumer("members", b -> b.retryPolicy(fast(1))
                .handler(POISON, Pipeline.User.class, (m, ctx) -> {
                    throw new IllegalStateException("not yet");
                }));
        String poison = p.sendCommitted(POISON, "poison", 0);
        Await.until(Duration.ofSeconds(30), "parked", () -> c.deadLetters().count() == 1);
        c.close();   // nobody carries the request out while we look
        DeadLetters tool = DeadLetters.open(p.consumerDb.dataSource(), "members", "sz_");
        tool.requestReplay(Pipeline.PRODUCER, FlakeId.parse(poison));
        assertEquals(DeadLetter.Status.REPLAY_REQUESTED,
                tool.get(Pipeline.PRODUCER, FlakeId.parse(poison)).orElseThrow().status());
        assertEquals(1, tool.count());
        assertEquals(List.of(poison), tool.open().stream().map(l -> l.id().toString()).toList());
        assertEquals(1L, c.health().details().get("deadLetters"), "health reports the same figure as count()");
        tool.discard(Pipeline.PRODUCER, FlakeId.parse(poison), "test: not needed");
        assertEquals(0, tool.count());
        assertEquals(List.of(), tool.open());
        assertEquals(0L, c.health().details().get("deadLetters"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void discardingABlockingLetterAfterAReplayRequestMovesTheOffsetPastItSoTheStreamResumes() {
        RetryPolicy block = fast(1).toBuilder().onExhausted(RetryPolicy.OnExhausted.BLOCK).build();
        StrongZeroConsumer c = p.startConsumer("members", b -> b.retryPolicy("user.strict", block)
                .handler("user.strict", Pipeline.User.class, (m, ctx) -> {
                    throw new IllegalStateException("not yet");
                }));
        String strict = p.sendCommitted("user.strict", "strict", 0);
        String after = p.sendCommitted("after", 1);
        Await.until(Duration.ofSeconds(30), "blocked", () -> c.isBlocked(Pipeline.PRODUCER));
        c.close();
        DeadLetters tool = DeadLetters.open(p.consumerDb.dataSource(), "members", "sz_");
        tool.requestReplay(Pipeline.PRODUCER, FlakeId.parse(strict));
        assertEquals(0, p.committedOffset("members"));
        tool.discard(Pipeline.PRODUCER, FlakeId.parse(strict), "test: superseded");
        assertEquals(1, p.committedOffset("members"), "the discard moved the offset past the letter");

        p.startConsumer("members", b -> b.handler("user.strict", Pipeline.User.class, (m, ctx) -> Pipeline.record(ctx.connection(), "members", m)));
        Await.until(Duration.ofSeconds(30), "the stream resumed", () -> p.receivedCount("members") == 1);
        assertEquals(List.of(after), p.receivedIds("members"), "the discarded letter is not applied");
        assertEquals(DeadLetter.Status.DISCARDED,
                tool.get(Pipeline.PRODUCER, FlakeId.parse(strict)).orElseThrow().status());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void blockPolicyStopsTheStreamAtThePoisonMessageUntilItIsDiscardedThenReplayResumesAnother() {
        AtomicBoolean fixed = new AtomicBoolean();
        RetryPolicy block = fast(2).toBuilder().onExhausted(RetryPolicy.OnExhausted.BLOCK).build();
        StrongZeroConsumer c = p.startConsumer("members", b -> b.retryPolicy(block)
                .handler(POISON, Pipeline.User.class, (m, ctx) -> {
                    if (!fixed.get()) {
                        throw new IllegalStateException("poison");
                    }
                    Pipeline.record(ctx.connection(), "members", m);
                }));
        String first = p.sendCommitted("first", 1);
        String poison1 = p.sendCommitted(POISON, "p1", 0);
        String second = p.sendCommitted("second", 2);
        Await.until(Duration.ofSeconds(30), "stream blocked", () -> c.isBlocked(Pipeline.PRODUCER));
        assertEquals(List.of(first), p.receivedIds("members"), "nothing after the blocking message is applied");
        assertEquals(1, p.committedOffset("members"));
        DeadLetter letter = c.deadLetters().get(Pipeline.PRODUCER, FlakeId.parse(poison1)).orElseThrow();
        assertEquals(DeadLetter.Status.BLOCKING, letter.status());

        c.deadLetters().discard(Pipeline.PRODUCER, letter.id(), "bad data from a test");
        Await.until(Duration.ofSeconds(30), "second applied after discard", () -> p.receivedCount("members") == 2);
        assertEquals(List.of(first, second), p.receivedIds("members"));
        DeadLetter discarded = c.deadLetters().get(Pipeline.PRODUCER, letter.id()).orElseThrow();
        assertEquals(DeadLetter.Status.DISCARDED, discarded.status());
        assertEquals("bad data from a test", discarded.discardReason());

        String poison2 = p.sendCommitted(POISON, "p2", 0);
        String third = p.sendCommitted("third", 3);
        Await.until(Duration.ofSeconds(30), "blocked again", () -> c.isBlocked(Pipeline.PRODUCER)
                && c.deadLetters().count() == 1);
        fixed.set(true);
        assertTrue(c.deadLetters().replay(Pipeline.PRODUCER, FlakeId.parse(poison2)).applied());
        Await.until(Duration.ofSeconds(30), "third applied after replay", () -> p.receivedCount("members") == 4);
        assertEquals(List.of(first, second, poison2, third), p.receivedIds("members"));
        Await.until(Duration.ofSeconds(10), "offset 5", () -> p.committedOffset("members") == 5);
        assertFalse(c.isBlocked(Pipeline.PRODUCER));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nonRetryableFailureGoesStraightToTheDeadLetterTable() {
        AtomicInteger calls = new AtomicInteger();
        StrongZeroConsumer c = p.startConsumer("members", b -> b.transactionSize(1).retryPolicy(fast(10))
                .handler(POISON, Pipeline.User.class, (m, ctx) -> {
                    calls.incrementAndGet();
                    throw new NonRetryableException("email address is invalid");
                }));
        String poison = p.sendCommitted(POISON, "x", 0);
        String after = p.sendCommitted("after", 1);
        Await.until(Duration.ofSeconds(30), "after applied", () -> p.receivedCount("members") == 1);
        assertEquals(List.of(after), p.receivedIds("members"));
        DeadLetter letter = c.deadLetters().get(Pipeline.PRODUCER, FlakeId.parse(poison)).orElseThrow();
        assertEquals(1, letter.attempts(), "not retried");
        assertEquals(1, calls.get());
        assertEquals(NonRetryableException.class.getName(), letter.errors().get(0).exceptionClass());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void undecodablePayloadIsAPoisonMessageParkedWithoutRetries() {
        // the sender wrote a user; this consumer expects a number for the type: decoding fails
        StrongZeroConsumer c = p.startConsumer("members", b -> b.retryPolicy(fast(5))
                .handler(POISON, Integer.class, (m, ctx) -> { }));
        String poison = p.sendCommitted(POISON, "not a number", 0);
        String after = p.sendCommitted("after", 1);
        Await.until(Duration.ofSeconds(30), "after applied", () -> p.receivedCount("members") == 1);
        DeadLetter letter = c.deadLetters().get(Pipeline.PRODUCER, FlakeId.parse(poison)).orElseThrow();
        assertEquals(1, letter.attempts());
        assertTrue(letter.errors().get(0).exceptionClass().endsWith("StrongZeroSerializationException"),
                letter.errors().get(0).exceptionClass());
        assertEquals(List.of(after), p.receivedIds("members"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void batchWithOneFailingMessageAppliesEveryOtherOnceAndParksOnlyTheFailingOne() {
        StrongZeroConsumer c = p.startConsumer("members", b -> b.transactionSize(20).retryPolicy(fast(2))
                .handler(POISON, Pipeline.User.class, (m, ctx) -> {
                    throw new IllegalStateException("always fails");
                }));
        c.close(); // stop it, build a backlog, then let a fresh instance take it in one batch
        Set<String> good = new HashSet<>();
        String poison = null;
        for (int i = 0; i < 20; i++) {
            if (i == 7) {
                poison = p.sendCommitted(POISON, "poison", 0);
            } else {
                good.add(p.sendCommitted("u" + i, i));
            }
        }
        StrongZeroConsumer c2 = p.startConsumer("members", b -> b.transactionSize(20).retryPolicy(fast(2))
                .handler(POISON, Pipeline.User.class, (m, ctx) -> {
                    throw new IllegalStateException("always fails");
                }));
        Await.until(Duration.ofSeconds(30), "19 applied", () -> p.receivedCount("members") == 19);
        Await.until(Duration.ofSeconds(10), "offset 20", () -> p.committedOffset("members") == 20);
        List<String> ids = p.receivedIds("members");
        assertEquals(19, new HashSet<>(ids).size(), "each applied once");
        assertEquals(good, new HashSet<>(ids));
        assertEquals(1, c2.deadLetters().count());
        assertTrue(c2.deadLetters().get(Pipeline.PRODUCER, FlakeId.parse(poison)).isPresent());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sideEffectClaimedAfterRunningIsNotRepeatedWhenTheTransactionFailsAndTheMessageIsRedelivered() {
        AtomicInteger emails = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        List<IdempotencyGuard.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        p.startConsumer("members", b -> b.transactionSize(1).retryPolicy(fast(5))
                .handler(FLAKY, Pipeline.User.class, (m, ctx) -> {
                    outcomes.add(ctx.once("welcome-email", emails::incrementAndGet));
                    Pipeline.record(ctx.connection(), "members", m);
                    if (calls.incrementAndGet() == 1) {
                        // crash after the side effect, before the consumer commits
                        throw new IllegalStateException("crash before commit");
                    }
                }));
        p.sendCommitted(FLAKY, "x", 0);
        Await.until(Duration.ofSeconds(30), "applied", () -> p.receivedCount("members") == 1);
        assertEquals(1, emails.get(), "the e-mail went out once");
        assertEquals(List.of(IdempotencyGuard.Outcome.EXECUTED, IdempotencyGuard.Outcome.ALREADY_DONE), outcomes);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sideEffectClaimedButNotCompletedBeforeACrashIsReportedInDoubtAndNotRunAgain() throws Exception {
        // what a process killed between the claim and the side effect leaves behind: a CLAIMED row
        String id = p.sendCommitted(FLAKY, "x", 0);
        Pipeline.exec(p.consumerDb, "INSERT INTO sz_processed (consumer_name, effect_name, message_id, status, claimed_at) "
                + "VALUES ('members', 'welcome-email', ?, 'CLAIMED', 0)", FlakeId.parse(id));
        AtomicInteger emails = new AtomicInteger();
        Map<String, IdempotencyGuard.Outcome> outcome = new ConcurrentHashMap<>();
        p.startConsumer("members", b -> b.handler(FLAKY, Pipeline.User.class, (m, ctx) -> {
            outcome.put(m.id().toString(), ctx.once("welcome-email", emails::incrementAndGet));
            Pipeline.record(ctx.connection(), "members", m);
        }));
        Await.until(Duration.ofSeconds(30), "applied", () -> p.receivedCount("members") == 1);
        assertEquals(IdempotencyGuard.Outcome.IN_DOUBT, outcome.get(id));
        assertEquals(0, emails.get(), "an in-doubt effect is not run again automatically");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void streamRestartsFromTheCommittedOffsetAfterAnUnexpectedFailureInsteadOfStopping() {
        SwitchableDataSource db = new SwitchableDataSource(p.consumerDb.dataSource());
        // handlerTimeout(null): the transaction runs on the stream's own thread, so the failure reaches its loop
        StrongZeroConsumer c = p.startConsumer("members", b -> b.dataSource(db).handlerTimeout(null).transactionSize(1));
        String first = p.sendCommitted("first", 1);
        Await.until(Duration.ofSeconds(30), "first applied", () -> p.receivedCount("members") == 1);
        db.failNextWith(new IllegalStateException("test: a pool bug throws instead of SQLException"));
        String second = p.sendCommitted("second", 2);
        String third = p.sendCommitted("third", 3);
        Await.until(Duration.ofSeconds(30), "all applied after the restart", () -> p.receivedCount("members") == 3,
                () -> p.receivedCount("members") + ", last error " + c.lastError(Pipeline.PRODUCER));
        assertEquals(List.of(first, second, third), p.receivedIds("members"), "each once, in order");
        assertTrue(c.failureCount() >= 1, "the failure was counted");
        Await.until(Duration.ofSeconds(10), "offset 3", () -> p.committedOffset("members") == 3);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void handlerExceedingTheTimeoutIsAbortedAndRetriedWithoutDuplicateEffects() {
        AtomicInteger calls = new AtomicInteger();
        // The limit covers the whole attempt (connection, handler, offset update, commit). It must be far above what a
        // good attempt takes on a loaded 2-core CI machine, or the good attempt times out too (seen at 300 ms on MariaDB).
        p.startConsumer("members", b -> b.transactionSize(1).handlerTimeout(Duration.ofSeconds(2)).retryPolicy(fast(5))
                .handler(FLAKY, Pipeline.User.class, (m, ctx) -> {
                    Pipeline.record(ctx.connection(), "members", m);
                    if (calls.incrementAndGet() == 1) {
                        Thread.sleep(30_000); // stuck downstream call; interrupted by the timeout
                    }
                }));
        String id = p.sendCommitted(FLAKY, "slow", 0);
        String after = p.sendCommitted("after", 1);
        Await.until(Duration.ofSeconds(30), "both applied", () -> p.receivedCount("members") == 2);
        assertEquals(List.of(id, after), p.receivedIds("members"), "the timed-out attempt's effect never committed");
        assertEquals(2, calls.get(), "one timed-out and one good attempt");
        Await.until(Duration.ofSeconds(10), "offset 2", () -> p.committedOffset("members") == 2);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void gracefulCloseFinishesTheMessageInFlightAndCommitsItsOffsetWithIt() {
        java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
        StrongZeroConsumer c = p.startConsumer("members", b -> b.transactionSize(1)
                .handler(FLAKY, Pipeline.User.class, (m, ctx) -> {
                    Pipeline.record(ctx.connection(), "members", m);
                    inHandler.countDown();
                    Thread.sleep(500); // still working when close() is called
                }));
        for (int i = 0; i < 5; i++) {
            p.sendCommitted(FLAKY, "slow" + i, 0);
        }
        Await.until(Duration.ofSeconds(30), "a handler is running", () -> inHandler.getCount() == 0);
        c.close();
        int applied = p.receivedCount("members");
        assertTrue(applied >= 1 && applied < 5, "the in-flight message finished, the rest waited: " + applied);
        assertEquals(applied, p.committedOffset("members"), "effects and offset committed together");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void replayRequestedFromAnotherProcessIsCarriedOutByTheRunningConsumerForParkedAndBlockingLetters() {
        AtomicBoolean fixed = new AtomicBoolean();
        StrongZeroConsumer c = p.startConsumer("members", b -> b.retryPolicy(fast(1))
                .retryPolicy("user.strict", fast(1).toBuilder().onExhausted(RetryPolicy.OnExhausted.BLOCK).build())
                .handler(POISON, Pipeline.User.class, (m, ctx) -> {
                    if (!fixed.get()) {
                        throw new IllegalStateException("not yet");
                    }
                    Pipeline.record(ctx.connection(), "members", m);
                })
                .handler("user.strict", Pipeline.User.class, (m, ctx) -> {
                    if (!fixed.get()) {
                        throw new IllegalStateException("not yet");
                    }
                    Pipeline.record(ctx.connection(), "members", m);
                }));
        String parked = p.sendCommitted(POISON, "parked", 0);
        String strict = p.sendCommitted("user.strict", "strict", 0);
        String after = p.sendCommitted("after", 1);
        Await.until(Duration.ofSeconds(30), "blocked at the strict one", () -> c.isBlocked(Pipeline.PRODUCER)
                && c.deadLetters().count() == 2);
        // an admin tool without handlers (the CLI) only records the request
        DeadLetters tool = DeadLetters.open(p.consumerDb.dataSource(), "members", "sz_");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> tool.replay(Pipeline.PRODUCER, FlakeId.parse(parked)));
        fixed.set(true);
        tool.requestReplay(Pipeline.PRODUCER, FlakeId.parse(parked));
        tool.requestReplay(Pipeline.PRODUCER, FlakeId.parse(strict));
        Await.until(Duration.ofSeconds(30), "all three applied", () -> p.receivedCount("members") == 3,
                () -> p.receivedIds("members"));
        assertEquals(Set.of(parked, strict, after), new HashSet<>(p.receivedIds("members")));
        assertEquals(0, tool.count());
        Await.until(Duration.ofSeconds(10), "offset 3", () -> p.committedOffset("members") == 3);
        assertFalse(c.isBlocked(Pipeline.PRODUCER));
    }
}
