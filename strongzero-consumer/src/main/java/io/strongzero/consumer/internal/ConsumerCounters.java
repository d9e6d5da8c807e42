package io.strongzero.consumer.internal;

import java.util.concurrent.atomic.AtomicLong;

/** A consumer's counts since start, shared by its streams. Thread-safe. Internal API. */
public final class ConsumerCounters {
    final AtomicLong applied = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong parked = new AtomicLong();
    final AtomicLong replayed = new AtomicLong();

    /** Messages applied (committed). */
    public long applied() {
        return applied.get();
    }

    /** Messages skipped (unknown type under SKIP, redacted). */
    public long skipped() {
        return skipped.get();
    }

    /** Failed attempts. */
    public long failures() {
        return failures.get();
    }

    /** Messages parked as dead letters. */
    public long parked() {
        return parked.get();
    }

    /** Dead letters replayed. */
    public long replayed() {
        return replayed.get();
    }

    /** Counts a replay that committed. */
    public void replayCommitted() {
        replayed.incrementAndGet();
    }
}
