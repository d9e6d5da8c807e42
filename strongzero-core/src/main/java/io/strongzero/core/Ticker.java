package io.strongzero.core;

import java.util.concurrent.TimeUnit;

/**
 * A monotonic time source for deadlines, timeouts and intervals, beside the wall {@link java.time.Clock} used
 * for timestamps that are stored or shown. Only the difference between two readings means anything. The
 * components read time through the ticker they are given, so a test can drive timeouts and retries with a
 * ticker it advances by hand instead of waiting.
 *
 * <p>Implementations must be thread-safe and cheap: the components read the ticker on their hot paths.
 */
@FunctionalInterface
public interface Ticker {

    /** The current reading in nanoseconds; never decreases. */
    long nanos();

    /** The current reading in milliseconds. */
    default long millis() {
        return TimeUnit.NANOSECONDS.toMillis(nanos());
    }

    /** The system's monotonic clock ({@link System#nanoTime()}), the default of every component. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

/** {@link System#nanoTime()} as a {@link Ticker}. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "Ticker.system()";
    }
}
