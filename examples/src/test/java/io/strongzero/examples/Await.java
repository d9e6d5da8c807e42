package io.strongzero.examples;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for conditions by polling every 10 ms (never a bare sleep). */
public final class Await {

    private Await() {
    }

    /** Polls until the condition holds; fails naming what was awaited and the last observed value. */
    public static void until(Duration timeout, String description, BooleanSupplier condition, Supplier<?> observed) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + description
                        + (observed == null ? "" : "; last observed: " + observed.get()));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + description, e);
            }
        }
    }

    public static void until(Duration timeout, String description, BooleanSupplier condition) {
        until(timeout, description, condition, null);
    }
}
