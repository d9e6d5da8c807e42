package io.strongzero.consumer;

import io.strongzero.core.StrongZeroSerializationException;
import io.strongzero.core.internal.Backoff;
import io.strongzero.core.internal.Checks;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a failing message is retried and what happens after the last attempt. Immutable and
 * thread-safe; build with {@link #builder()}, change with {@link #toBuilder()}.
 *
 * <p>Attempt {@code n} (1-based) that fails is followed by a delay of {@code min(cap, base * 2^(n-1))},
 * reduced by a random fraction of up to {@code jitter} of itself, so it lies in
 * {@code [d * (1 - jitter), d]} for that step {@code d} (never under 1 ms). This is proportional jitter:
 * the default 0.5 keeps at least half of each step ("equal jitter" in AWS's naming), 1 draws from the
 * whole step ("full jitter"), 0 turns jitter off. A failure whose exception is a
 * {@link NonRetryableException}, a {@link StrongZeroSerializationException} (the payload cannot be
 * decoded) or one of the {@linkplain Builder#nonRetryable configured types} is not retried.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .maxAttempts(8).backoff(Duration.ofMillis(200), Duration.ofSeconds(30)).jitter(0.5)
 *         .onExhausted(RetryPolicy.OnExhausted.DEAD_LETTER)
 *         .build();
 * }</pre>
 */
public final class RetryPolicy {

    /** What happens when a message has used its attempts (or failed with a non-retryable error). */
    public enum OnExhausted {
        /**
         * Park it in the dead-letter table, in the same transaction that moves the offset past it, and
         * carry on with the next message. Default.
         */
        DEAD_LETTER,
        /**
         * Stop this producer's stream at the message (recorded in the dead-letter table as BLOCKING) until
         * an operator replays or discards it; for users who need strict order over availability.
         */
        BLOCK
    }

    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final double jitter;
    private final OnExhausted onExhausted;
    private final Set<Class<? extends Throwable>> nonRetryable;
    /** The steps: attempt {@code n} (1-based) is the library backoff's retry {@code n - 1}. */
    private final Backoff backoff;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.base = b.base;
        this.cap = b.cap;
        this.jitter = b.jitter;
        this.onExhausted = b.onExhausted;
        this.nonRetryable = Set.copyOf(b.nonRetryable);
        this.backoff = Backoff.exponential(base, cap).withJitter(jitter, () -> 0);
    }

    /** The default: 5 attempts, 100 ms doubling up to 30 s, jitter 0.5, then dead-letter. */
    public static RetryPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this policy's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxAttempts = maxAttempts;
        b.base = base;
        b.cap = cap;
        b.jitter = jitter;
        b.onExhausted = onExhausted;
        b.nonRetryable.addAll(nonRetryable);
        return b;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration backoffBase() {
        return base;
    }

    public Duration backoffCap() {
        return cap;
    }

    public double jitter() {
        return jitter;
    }

    public OnExhausted onExhausted() {
        return onExhausted;
    }

    /**
     * The delay after failed attempt {@code attempt} (1-based), given a random number in [0, 1).
     * Always within [{@link #minDelayMillis}, {@link #maxDelayMillis}] of that attempt.
     */
    public long delayMillis(int attempt, double random) {
        return backoff.delayMillis(step(attempt), random);
    }

    /** The largest delay after failed attempt {@code attempt} (1-based): {@code min(cap, base * 2^(attempt-1))}. */
    public long maxDelayMillis(int attempt) {
        return backoff.stepMillis(step(attempt));
    }

    /**
     * The smallest delay after failed attempt {@code attempt}: the largest reduced by the whole jitter
     * fraction, {@code max(1, maxDelayMillis * (1 - jitter))}.
     */
    public long minDelayMillis(int attempt) {
        return backoff.minDelayMillis(step(attempt));
    }

    /** The backoff's 0-based retry number of 1-based {@code attempt}. */
    private static int step(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based but was " + attempt);
        }
        return attempt - 1;
    }

    /** True if a failure with this cause must not be retried. */
    public boolean isRetryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NonRetryableException || t instanceof StrongZeroSerializationException) {
                return false;
            }
            for (Class<? extends Throwable> c : nonRetryable) {
                if (c.isInstance(t)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Equal when every setting is. */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof RetryPolicy p && maxAttempts == p.maxAttempts && base.equals(p.base)
                && cap.equals(p.cap) && Double.compare(jitter, p.jitter) == 0 && onExhausted == p.onExhausted
                && nonRetryable.equals(p.nonRetryable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, base, cap, jitter, onExhausted, nonRetryable);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + base.toMillis() + ".." + cap.toMillis()
                + " ms, jitter=" + jitter + ", onExhausted=" + onExhausted + ", nonRetryable=" + nonRetryable + "]";
    }

    /** Builds a {@link RetryPolicy}; setters validate at once. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = 5;
        private Duration base = Duration.ofMillis(100);
        private Duration cap = Duration.ofSeconds(30);
        private double jitter = 0.5;
        private OnExhausted onExhausted = OnExhausted.DEAD_LETTER;
        private final Set<Class<? extends Throwable>> nonRetryable = new LinkedHashSet<>();

        private Builder() {
        }

        /** Attempts in total, including the first: 1 to 1000, default 5. */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = Checks.between("maxAttempts", attempts, 1, 1000);
            return this;
        }

        /**
         * Exponential backoff: first delay {@code base}, doubling up to {@code cap};
         * {@code 1 ms <= base <= cap <= 24 h}.
         */
        public Builder backoff(Duration base, Duration cap) {
            Checks.backoff("backoff", base, cap);
            this.base = base;
            this.cap = cap;
            return this;
        }

        /**
         * The fraction (0 to 1, default 0.5) by which each delay is randomly shortened: each delay is drawn
         * uniformly from {@code [step * (1 - jitter), step]}.
         */
        public Builder jitter(double jitter) {
            Checks.require(jitter >= 0 && jitter <= 1, "jitter", jitter, "be between 0 and 1");
            this.jitter = jitter;
            return this;
        }

        /** What to do after the last attempt. Default {@link OnExhausted#DEAD_LETTER}. */
        public Builder onExhausted(OnExhausted action) {
            this.onExhausted = Objects.requireNonNull(action, "action");
            return this;
        }

        /** Exception types (and their subtypes, anywhere in the cause chain) that are never retried. */
        @SafeVarargs
        public final Builder nonRetryable(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> t : types) {
                nonRetryable.add(Objects.requireNonNull(t, "type"));
            }
            return this;
        }

        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
