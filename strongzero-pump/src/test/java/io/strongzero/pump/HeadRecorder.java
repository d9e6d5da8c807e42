package io.strongzero.pump;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Records the heads a pump reports and lets a test wait for one, with a time limit. Thread-safe. */
final class HeadRecorder implements HeadListener {

    /** How long a test waits for a head it expects. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private final List<Long> heads = new ArrayList<>();

    @Override
    public synchronized void onHeadAdvanced(long head) {
        heads.add(head);
        notifyAll();
    }

    /** Every head reported so far, in order. */
    synchronized List<Long> heads() {
        return List.copyOf(heads);
    }

    /** The last head reported, or -1 if none. */
    synchronized long last() {
        return heads.isEmpty() ? -1 : heads.get(heads.size() - 1);
    }

    /** Waits up to {@link #WAIT} until a head of at least {@code expected} is reported; returns the last head. */
    synchronized long awaitAtLeast(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (last() < expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no head of at least " + expected + " reported within " + WAIT + "; reported: " + heads);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return last();
    }
}
