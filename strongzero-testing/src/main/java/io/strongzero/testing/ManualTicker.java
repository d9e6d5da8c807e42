package io.strongzero.testing;

import io.strongzero.core.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when a test advances it, so a test of a timeout or a retry interval needs
 * no real waiting. Thread-safe.
 */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos;

    /** A ticker at an arbitrary non-zero reading (readings are only ever compared). */
    public ManualTicker() {
        this(1_000_000_000L);
    }

    /** A ticker at {@code startNanos}. */
    public ManualTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    /** Moves the reading forward by {@code amount}; a negative amount is refused (a ticker never goes back). */
    public ManualTicker advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a ticker never goes back but amount was " + amount);
        }
        nanos.addAndGet(amount.toNanos());
        return this;
    }

    @Override
    public String toString() {
        return "ManualTicker[" + nanos.get() + " ns]";
    }
}
