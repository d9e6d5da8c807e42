package io.strongzero.core.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with equal jitter (AWS's name for it; not "full jitter", which would draw from the
 * whole step): attempt n waits a random time uniform in {@code [step / 2, step]}, where
 * {@code step = min(cap, base * 2^n)}, and at least 1 ms. Half of each step is kept, so a reconnect never
 * comes much sooner than the step while clients still spread out. The random source is injected for
 * deterministic tests. Internal API.
 */
public final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private final DoubleSupplier random;

    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
        this.random = random;
    }

    /**
     * The delay before retry number {@code attempt} (0-based).
     *
     * @throws IllegalArgumentException if {@code attempt} is negative
     */
    public long delayMillis(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative but was " + attempt);
        }
        // base << attempt exceeds the cap exactly when base > cap >> attempt; testing that first keeps the
        // shift from overflowing (a long shifted left past bit 63 wraps to a small or negative number).
        long exp = attempt >= 63 || baseMillis > (capMillis >> attempt) ? capMillis : baseMillis << attempt;
        double r = random.getAsDouble();
        return Math.max(1, (long) (exp / 2.0 + exp / 2.0 * r));
    }
}
