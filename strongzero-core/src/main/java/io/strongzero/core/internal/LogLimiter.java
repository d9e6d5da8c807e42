package io.strongzero.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Allows one log line per interval and counts the ones it held back, so that a flood of bad input
 * cannot flood the log. Thread-safe.
 *
 * <pre>{@code
 * long held = limiter.acquire(System.currentTimeMillis());
 * if (held >= 0) {
 *     log.warn("refused a request ({} similar ones not logged)", held);
 * }
 * }</pre>
 *
 * <p>Internal API: not for use outside StrongZero; may change without notice.
 */
public final class LogLimiter {

    private final long intervalMillis;
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong held = new AtomicLong();

    public LogLimiter(long intervalMillis) {
        if (intervalMillis < 0) {
            throw new IllegalArgumentException("intervalMillis must not be negative but was " + intervalMillis);
        }
        this.intervalMillis = intervalMillis;
    }

    /**
     * Returns the number of events held back since the last allowed one if this event may be logged,
     * or -1 if it must not (and counts it).
     */
    public long acquire(long nowMillis) {
        long previous = last.get();
        if ((previous == Long.MIN_VALUE || nowMillis - previous >= intervalMillis) && last.compareAndSet(previous, nowMillis)) {
            return held.getAndSet(0);
        }
        held.incrementAndGet();
        return -1;
    }
}
