package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.core.Envelope;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.Backoff;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class RetryExecutorTest {

    private final Envelope message = Messages.json(5, "t", "x");
    private final List<Long> waits = new ArrayList<>();
    private final List<Throwable> seen = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final RetryPolicy policy = RetryPolicy.builder().maxAttempts(3)
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).jitter(0).build();
    private final RetryExecutor retries = new RetryExecutor("c", "p",
            Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(40)), () -> 0.5,
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), waits::add, running::get, StrongZeroMetrics.NONE, seen::add);

    private static BatchApplier.Committed committed() {
        return new BatchApplier.Committed(5, 1, 0, 0, null);
    }

    private BatchApplier.Failed failed(Throwable cause) {
        return new BatchApplier.Failed(message, cause, false);
    }

    /** Fails with {@code failures} in turn, then commits; records the attempt numbers it was called with. */
    private IntFunction<BatchApplier.Result> script(List<Integer> attempts, BatchApplier.Result... results) {
        return n -> {
            attempts.add(n);
            return attempts.size() <= results.length ? results[attempts.size() - 1] : committed();
        };
    }

    @Test
    void retriesWithThePolicysBackoffUntilItCommits() {
        List<Integer> attempts = new ArrayList<>();
        RetryExecutor.Outcome o = retries.execute(message, policy, null,
                script(attempts, failed(new IllegalStateException("1")), failed(new IllegalStateException("2"))));
        assertInstanceOf(RetryExecutor.Applied.class, o);
        assertEquals(List.of(1, 2, 3), attempts);
        assertEquals(List.of(100L, 200L), waits);
        assertEquals(2, seen.size());
    }

    @Test
    void aFailureAlreadySeenIsAttemptOne() {
        List<Integer> attempts = new ArrayList<>();
        retries.execute(message, policy, failed(new IllegalStateException("first")), script(attempts));
        assertEquals(List.of(2), attempts);
        assertEquals(List.of(100L), waits);
    }

    @Test
    void isExhaustedAfterMaxAttemptsWithTheWholeHistory() {
        IntFunction<BatchApplier.Result> alwaysFails = n -> failed(new IllegalStateException("attempt " + n));
        RetryExecutor.Exhausted x = assertInstanceOf(RetryExecutor.Exhausted.class,
                retries.execute(message, policy, null, alwaysFails));
        assertTrue(x.retryable());
        assertSame(policy, x.policy());
        assertEquals(List.of(1, 2, 3), x.history().stream().map(f -> f.attempt()).toList());
        assertEquals("attempt 3", x.history().get(2).message());
        assertEquals(List.of(100L, 200L), waits);
    }

    @Test
    void aNonRetryableFailureIsExhaustedAtOnce() {
        RetryExecutor.Exhausted x = assertInstanceOf(RetryExecutor.Exhausted.class, retries.execute(message, policy,
                null, n -> failed(new NonRetryableException("bad payload"))));
        assertTrue(!x.retryable());
        assertEquals(1, x.history().size());
        assertTrue(waits.isEmpty());
    }

    @Test
    void anUnavailableDatabaseWaitsWithTheReconnectBackoffWithoutUsingAnAttempt() {
        List<Integer> attempts = new ArrayList<>();
        BatchApplier.Result down = new BatchApplier.Failed(message, new SQLException("down"), true);
        RetryExecutor.Outcome o = retries.execute(message, policy, null, script(attempts, down, down, down, down));
        assertInstanceOf(RetryExecutor.Applied.class, o);
        assertEquals(List.of(1, 1, 1, 1, 1), attempts);
        assertEquals(List.of(10L, 20L, 40L, 40L), waits);
        assertEquals(4, seen.size());
    }

    @Test
    void aConflictEndsTheRetries() {
        RetryExecutor.Conflict c = assertInstanceOf(RetryExecutor.Conflict.class, retries.execute(message, policy, null,
                n -> new BatchApplier.Conflict("moved")));
        assertEquals("moved", c.message());
    }

    @Test
    void stopsWhenTheConsumerCloses() {
        RetryExecutor.Outcome o = retries.execute(message, policy, null, n -> {
            running.set(false);
            return failed(new IllegalStateException("x"));
        });
        assertInstanceOf(RetryExecutor.Stopped.class, o);
    }
}
