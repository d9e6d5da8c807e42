package io.strongzero.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread naming: every StrongZero thread is called {@code strongzero-<component>-<name>}. Internal API. */
public final class Threads {
    private Threads() {
    }

    /** A factory of daemon threads named {@code strongzero-<component>-<name>-<n>}. */
    public static ThreadFactory factory(String component, String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "strongzero-" + component + "-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A daemon thread named {@code strongzero-<component>-<name>}. */
    public static Thread newThread(String component, String name, Runnable r) {
        Thread t = new Thread(r, "strongzero-" + component + "-" + name);
        t.setDaemon(true);
        return t;
    }

    /** Joins a thread for at most {@code millis}; restores the interrupt flag if interrupted. Returns true if it ended. */
    public static boolean join(Thread t, long millis) {
        if (t == null) {
            return true;
        }
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
