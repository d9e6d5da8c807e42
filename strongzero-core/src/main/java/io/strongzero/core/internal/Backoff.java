package io.strongzero.core.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The one exponential backoff of the library: retry number {@code n} (0-based) waits
 * {@code step(n) = min(cap, base * 2^n)} reduced by a random part of at most {@code jitter * step(n)}, and at
 * least 1 ms. With jitter 0 the delays are exact; with jitter 0.5 (AWS's "equal jitter") they are uniform in
 * {@code [step / 2, step]}, so clients spread out while a retry never comes much sooner than its step. The
 * random source is injected for deterministic tests. Immutable and thread-safe; the attempt count lives in an
 * {@link Attempts}, one per retry loop. Internal API.
 */
public final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private final double jitter;
    private final DoubleSupplier random;

    private Backoff(long baseMillis, long capMillis, double jitter, DoubleSupplier random) {
        this.baseMillis = Math.max(1, baseMillis);
        this.capMillis = Math.max(this.baseMillis, capMillis);
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1 but was " + jitter);
        }
        this.jitter = jitter;
        this.random = random;
    }

    /** Exact delays, {@code min(cap, base * 2^n)}, without jitter. */
    public static Backoff exponential(Duration base, Duration cap) {
        return new Backoff(base.toMillis(), cap.toMillis(), 0, () -> 0);
    }

    /**
     * Equal jitter: delay {@code n} uniform in {@code [step / 2, step]}, where {@code random} returning 0 gives
     * the shortest delay and 1 the longest.
     */
    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
        this(base.toMillis(), cap.toMillis(), 0.5, () -> 1 - random.getAsDouble());
    }

    /**
     * This backoff with {@code fraction} of each step random: delay {@code n} is
     * {@code step(n) - step(n) * fraction * r} for {@code r} drawn from {@code random} in {@code [0, 1]}.
     */
    public Backoff withJitter(double fraction, DoubleSupplier random) {
        return new Backoff(baseMillis, capMillis, fraction, random);
    }

    /**
     * The longest delay before retry number {@code attempt} (0-based): {@code min(cap, base * 2^attempt)}.
     *
     * @throws IllegalArgumentException if {@code attempt} is negative
     */
    public long stepMillis(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative but was " + attempt);
        }
        // base << attempt exceeds the cap exactly when base > cap >> attempt; testing that first keeps the
        // shift from overflowing (a long shifted left past bit 63 wraps to a small or negative number).
        return attempt >= 63 || baseMillis > (capMillis >> attempt) ? capMillis : baseMillis << attempt;
    }

    /** The shortest delay before retry number {@code attempt}: the step less its whole jitter part. */
    public long minDelayMillis(int attempt) {
        long step = stepMillis(attempt);
        return Math.max(1, step - (long) (step * jitter));
    }

    /**
     * The delay before retry number {@code attempt} (0-based), drawing from the random source if there is jitter.
     *
     * @throws IllegalArgumentException if {@code attempt} is negative
     */
    public long delayMillis(int attempt) {
        long step = stepMillis(attempt);
        return jitter == 0 ? step : delayMillis(attempt, random.getAsDouble());
    }

    /** The delay before retry number {@code attempt} for the random value {@code r} in {@code [0, 1]}. */
    public long delayMillis(int attempt, double r) {
        long step = stepMillis(attempt);
        return Math.max(1, step - (long) (step * jitter * r));
    }

    /** A fresh attempt counter over this backoff, for one retry loop (not thread-safe). */
    public Attempts attempts() {
        return new Attempts(this);
    }

    @Override
    public String toString() {
        return "Backoff[" + baseMillis + ".." + capMillis + " ms, jitter " + jitter + "]";
    }

    /**
     * The attempt count of one retry loop: {@link #next()} after each failure, {@link #reset()} after a
     * success. Confined to the thread of its loop.
     */
    public static final class Attempts {
        private final Backoff backoff;
        private int failures;

        private Attempts(Backoff backoff) {
            this.backoff = backoff;
        }

        /** Counts one more failure and returns the delay to wait before the next try. */
        public long next() {
            long delay = backoff.delayMillis(Math.min(failures, 62));
            if (failures < Integer.MAX_VALUE) {
                failures++;
            }
            return delay;
        }

        /** The delay {@link #next()} would give, without counting a failure (the exact step's bound). */
        public long peekStepMillis() {
            return backoff.stepMillis(Math.min(failures, 62));
        }

        /** Starts over after a success: the next failure waits the first step again. */
        public void reset() {
            failures = 0;
        }

        /** Failures counted since the last {@link #reset()}. */
        public int failures() {
            return failures;
        }
    }
}
