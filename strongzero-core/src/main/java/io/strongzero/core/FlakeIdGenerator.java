package io.strongzero.core;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Generates {@link FlakeId}s that are unique and strictly increasing within this generator, even when
 * the wall clock steps backwards.
 *
 * <p>Rules:
 * <ul>
 *   <li>While the clock moves forward, the id's time part is the clock's millisecond.</li>
 *   <li>If the clock steps back, the generator keeps using the last millisecond it issued (ids never
 *       decrease) until the clock catches up.</li>
 *   <li>When the 65,536 sequence numbers of one millisecond are used up, the generator waits for the
 *       clock's next millisecond; it never wraps. If the clock is behind the last issued millisecond
 *       (it stepped back), waiting could take as long as the step, so the generator moves its logical
 *       millisecond forward by one instead.</li>
 * </ul>
 *
 * <p>The node id is 48 bits. Set it explicitly when you can guarantee uniqueness across your sender
 * nodes; otherwise {@link #defaultNodeId()} derives one from the process id (distinct for two JVMs on
 * one host) and 26 random bits (distinct, with high probability, across hosts and containers). A clash
 * of two nodes can only produce a duplicate key error on insert, never a lost message.
 *
 * <p>Thread-safe: {@link #next()} may be called from any number of threads.
 */
public final class FlakeIdGenerator {

    private static final long PID_BITS = 22;

    private final long node;
    private final Clock clock;
    private long lastMillis = -1;
    private int sequence;

    private FlakeIdGenerator(long node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    /** A generator with the given 48-bit node id and the system UTC clock. */
    public static FlakeIdGenerator create(long node) {
        return create(node, Clock.systemUTC());
    }

    /** A generator with the given node id and clock (tests inject a controllable clock). */
    public static FlakeIdGenerator create(long node, Clock clock) {
        if (node < 0 || node > FlakeId.MAX_NODE) {
            throw new IllegalArgumentException("node must be between 0 and " + FlakeId.MAX_NODE + " but was " + node);
        }
        return new FlakeIdGenerator(node, Objects.requireNonNull(clock, "clock"));
    }

    /** A generator with {@link #defaultNodeId()} and the system UTC clock. */
    public static FlakeIdGenerator create() {
        return create(defaultNodeId());
    }

    /**
     * A node id for this process: the low 22 bits are the process id (Linux pids fit 22 bits, so two
     * JVMs on one host always differ), the upper 26 bits are random per call. Never fails, whether or
     * not the machine has a hardware address.
     */
    public static long defaultNodeId() {
        long pid;
        try {
            pid = ProcessHandle.current().pid();
        } catch (UnsupportedOperationException e) {
            pid = new SecureRandom().nextLong();
        }
        long random = new SecureRandom().nextLong() & ((1L << (48 - PID_BITS)) - 1);
        return (random << PID_BITS) | (pid & ((1L << PID_BITS) - 1));
    }

    /** This generator's node id. */
    public long node() {
        return node;
    }

    /** The next id: greater than every id this generator returned before. */
    public FlakeId next() {
        long millis;
        int seq;
        synchronized (this) {
            long now = clock.millis();
            if (now > lastMillis) {
                lastMillis = now;
                sequence = 0;
            } else if (sequence < FlakeId.MAX_SEQUENCE) {
                sequence++;
            } else if (now < lastMillis) {
                // Clock is behind (it stepped back): waiting for it could take as long as the step.
                lastMillis++;
                sequence = 0;
            } else {
                // Sequence exhausted in the current millisecond: wait for the next one, never wrap.
                while ((now = clock.millis()) <= lastMillis) {
                    if (now < lastMillis) {
                        now = lastMillis + 1;
                        break;
                    }
                    LockSupport.parkNanos(50_000);
                }
                lastMillis = now;
                sequence = 0;
            }
            millis = lastMillis;
            seq = sequence;
        }
        return FlakeId.of(millis, node, seq);
    }
}
