package io.strongzero.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests set and step by hand, and that counts how often it was read. Thread-safe. */
final class MutableClock extends Clock {

    private final AtomicLong millis;
    private final AtomicLong reads = new AtomicLong();

    MutableClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    void set(long newMillis) {
        millis.set(newMillis);
    }

    /** How many times {@link #millis()} or {@link #instant()} was called. */
    long reads() {
        return reads.get();
    }

    @Override
    public long millis() {
        reads.incrementAndGet();
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("MutableClock is always UTC");
    }
}
