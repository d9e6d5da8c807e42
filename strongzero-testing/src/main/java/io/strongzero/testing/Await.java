package io.strongzero.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it every 10 ms, so a test never needs a bare sleep.
 *
 * <p>Thread-safe (stateless). A wait runs on the calling thread and ends when the condition holds, when the
 * timeout passes (an {@link AssertionError} naming what was awaited) or when the thread is interrupted (an
 * {@link AssertionError}, with the interrupt flag set again).
 */
public final class Await {

    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /**
     * Polls every 10 ms until {@code condition} holds.
     *
     * @param timeout     how long to wait at most
     * @param description what is awaited, for the failure message
     * @param condition   polled on the calling thread
     * @param observed    if not null, its value goes into the failure message ("last observed: ...")
     * @throws AssertionError on timeout or interrupt
     */
    public static void until(Duration timeout, String description, BooleanSupplier condition, Supplier<?> observed) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + description
                        + (observed == null ? "" : "; last observed: " + observed.get()));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + description, e);
            }
        }
    }

    /**
     * Polls every 10 ms until {@code condition} holds.
     *
     * @param timeout     how long to wait at most
     * @param description what is awaited, for the failure message
     * @param condition   polled on the calling thread
     * @throws AssertionError on timeout or interrupt
     */
    public static void until(Duration timeout, String description, BooleanSupplier condition) {
        until(timeout, description, condition, null);
    }
}
