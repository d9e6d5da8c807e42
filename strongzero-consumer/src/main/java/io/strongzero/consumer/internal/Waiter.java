package io.strongzero.consumer.internal;

import io.strongzero.core.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits between attempts. The parts take one so that their tests can record the waits instead of sleeping. */
@FunctionalInterface
interface Waiter {

    /** Waits at least {@code millis} unless the consumer closes meanwhile. */
    void pause(long millis);

    /**
     * Sleeps in slices of at most 50 ms while {@code running}, so that closing ends the wait early; measured on
     * {@code ticker}, so that a wall clock that steps, or its millisecond granularity, cannot shorten a backoff.
     * Restores the interrupt flag and returns if interrupted.
     */
    static Waiter sliced(BooleanSupplier running, Ticker ticker) {
        return millis -> {
            long end = ticker.nanos() + TimeUnit.MILLISECONDS.toNanos(millis);
            try {
                while (running.getAsBoolean()) {
                    long left = end - ticker.nanos();
                    if (left <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
