package io.strongzero.core.internal;

import io.strongzero.core.Ticker;

/**
 * Milliseconds on the system's monotonic clock ({@link Ticker#system()}), for code that is not given a
 * {@link Ticker}: a wall clock that steps must not stretch or cut a wait. Never for display or storage.
 * Internal API.
 */
public final class Monotonic {
    private Monotonic() {
    }

    /** The monotonic clock in milliseconds; only differences between two readings mean anything. */
    public static long millis() {
        return Ticker.system().millis();
    }
}
