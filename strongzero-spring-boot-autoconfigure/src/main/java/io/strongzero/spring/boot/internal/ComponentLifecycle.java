package io.strongzero.spring.boot.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops one StrongZero component in Spring's phased lifecycle: started when the context has created every
 * bean (lower phases first), stopped when it closes (higher phases first). Internal API.
 */
public final class ComponentLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ComponentLifecycle.class);

    private final String component;
    private final int phase;
    private final Runnable start;
    private final Runnable stop;
    private volatile boolean running;

    /** {@code component} is named in the log; {@code start} and {@code stop} run on the context's thread. */
    public ComponentLifecycle(String component, int phase, Runnable start, Runnable stop) {
        this.component = component;
        this.phase = phase;
        this.start = start;
        this.stop = stop;
    }

    @Override
    public void start() {
        start.run();
        running = true;
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        log.info("strongzero: stopping {}", component);
        stop.run();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }

    @Override
    public String toString() {
        return "ComponentLifecycle[" + component + ", phase " + phase + "]";
    }
}
