package io.strongzero.core.internal;

import java.util.function.Supplier;

/**
 * The life of a component that starts once and closes once (the pump, the producer, the consumer): {@link #start}
 * refuses a started or closed component, {@link #close()} is idempotent, and nothing starts again after a close.
 * Starting and closing hold this object's lock, so a close waits for a start in progress. Thread-safe. Internal API.
 */
public final class Lifecycle {

    private final String component;
    private volatile boolean running;
    private volatile boolean closed;

    /** @param component how the refusals name the component, for example {@code "pump users"} */
    public Lifecycle(String component) {
        this.component = component;
    }

    /**
     * Runs {@code steps} to start the component; they call {@link #markRunning()} once it counts as running.
     *
     * @param <T>   what the steps return (the component)
     * @param steps the start steps
     * @return what {@code steps} returned
     * @throws IllegalStateException if the component is closed ("{@code <component> is closed; build a new one}") or
     *     already started ("{@code <component> is already started}")
     */
    public synchronized <T> T start(Supplier<T> steps) {
        if (closed) {
            throw new IllegalStateException(component + " is closed; build a new one");
        }
        if (running) {
            throw new IllegalStateException(component + " is already started");
        }
        return steps.get();
    }

    /** Runs {@code start} unless the component was started or closed already. */
    public synchronized void startIfNew(Runnable start) {
        if (!running && !closed) {
            start.run();
        }
    }

    /** Called by a start step: the component runs from now on. */
    public void markRunning() {
        running = true;
    }

    /**
     * Marks the component closed and no longer running.
     *
     * @return true the first time, so the caller's close steps run once; false if it was closed already
     */
    public synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        running = false;
        return true;
    }

    /** True from {@link #markRunning()} until {@link #close()}. */
    public boolean isRunning() {
        return running;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Why the component does not run ({@code "closed"}, {@code "not started"}), or null while it runs. */
    public String notRunning() {
        return running ? null : closed ? "closed" : "not started";
    }
}
