package io.strongzero.consumer.internal;

import io.strongzero.consumer.FailureRecord;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.core.Envelope;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.Backoff;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one message under its {@link RetryPolicy}: tries again after each failure with the policy's backoff until
 * it commits or its attempts are used up, and returns an {@link Outcome} value. An outage of the consumer's own
 * database says nothing about the message: it waits for the database (reconnect backoff) without using up an
 * attempt. Confined to its stream's thread.
 */
final class RetryExecutor {

    private static final Logger log = LoggerFactory.getLogger(RetryExecutor.class);

    /** What became of the message. */
    sealed interface Outcome permits Applied, Exhausted, Conflict, Stopped {
    }

    /** It committed. */
    record Applied(BatchApplier.Committed committed) implements Outcome {
    }

    /**
     * It used up its attempts ({@code retryable}) or failed with a non-retryable error; {@code history} holds each
     * failed attempt.
     */
    record Exhausted(RetryPolicy policy, List<FailureRecord> history, boolean retryable) implements Outcome {
    }

    /** The position moved under the stream. */
    record Conflict(String message) implements Outcome {
    }

    /** The consumer is closing. */
    record Stopped() implements Outcome {
    }

    private final String consumer;
    private final String producer;
    private final Backoff reconnect;
    private final DoubleSupplier random;
    private final Clock clock;
    private final Waiter waiter;
    private final BooleanSupplier running;
    private final StrongZeroMetrics metrics;
    private final Consumer<Throwable> failureSeen;

    /**
     * @param reconnect   the backoff while the database is unavailable
     * @param random      the jitter source of the policies' delays
     * @param clock       the clock of the failure records
     * @param failureSeen told of each failed attempt (counting, last error), before anything else happens
     */
    RetryExecutor(String consumer, String producer, Backoff reconnect, DoubleSupplier random, Clock clock, Waiter waiter,
                  BooleanSupplier running, StrongZeroMetrics metrics, Consumer<Throwable> failureSeen) {
        this.consumer = consumer;
        this.producer = producer;
        this.reconnect = reconnect;
        this.random = random;
        this.clock = clock;
        this.waiter = waiter;
        this.running = running;
        this.metrics = metrics;
        this.failureSeen = failureSeen;
    }

    /**
     * Applies {@code e} with {@code attempt.apply(n)} for attempt {@code n} (1-based); {@code first} is the failure of
     * attempt 1 if it was already made, else null.
     */
    Outcome execute(Envelope e, RetryPolicy policy, BatchApplier.Failed first, IntFunction<BatchApplier.Result> attempt) {
        List<FailureRecord> history = new ArrayList<>();
        BatchApplier.Failed failure = first;
        int n = 1;
        Backoff.Attempts unavailable = reconnect.attempts();
        while (running.getAsBoolean()) {
            if (failure == null) {
                BatchApplier.Result r = attempt.apply(n);
                if (r instanceof BatchApplier.Committed c) {
                    return new Applied(c);
                } else if (r instanceof BatchApplier.Conflict c) {
                    return new Conflict(c.message());
                } else if (r instanceof BatchApplier.Failed f) {
                    failure = f;
                } else {
                    throw new IllegalStateException("unexpected result of an apply: " + r);
                }
            }
            Throwable cause = failure.cause();
            failureSeen.accept(cause);
            if (failure.databaseUnavailable()) {
                if (unavailable.failures() == 0) {
                    log.warn("strongzero-consumer[{}]: no connection to the consumer's database ({}); message {} "
                            + "(producer {}, position {}) waits for it", consumer, cause.toString(), e.id(), producer,
                            e.position());
                }
                failure = null;
                waiter.pause(unavailable.next());
                continue;
            }
            history.add(FailureRecord.of(n, clock.instant(), cause));
            boolean retryable = policy.isRetryable(cause);
            if (!retryable || n >= policy.maxAttempts()) {
                return new Exhausted(policy, history, retryable);
            }
            long delay = policy.delayMillis(n, random.getAsDouble());
            metrics.retried(consumer, producer, e.type());
            log.debug("strongzero-consumer[{}]: message {} (producer {}, position {}, type {}) failed on attempt {} of {};"
                    + " retrying in {} ms: {}", consumer, e.id(), producer, e.position(), e.type(), n,
                    policy.maxAttempts(), delay, cause.toString());
            n++;
            failure = null;
            waiter.pause(delay);
        }
        return new Stopped();
    }
}
