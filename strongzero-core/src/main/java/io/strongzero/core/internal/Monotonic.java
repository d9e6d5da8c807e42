package io.strongzero.core.internal;

import java.util.concurrent.TimeUnit;

/**
 * Milliseconds on the monotonic clock ({@link System#nanoTime()}), for deadlines and intervals: a wall clock that
 * steps must not stretch or cut a wait. Never for display or storage. Internal API.
 */
public final class Monotonic {
    private Monotonic() {
    }

    /** The monotonic clock in milliseconds; only differences between two readings mean anything. */
    public static long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }
}
