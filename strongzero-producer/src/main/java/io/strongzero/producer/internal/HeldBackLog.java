package io.strongzero.producer.internal;

import java.util.TreeMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Rate-limits a WARN that hostile input can repeat (refused requests, failed handshakes, refused keys): at most
 * one detailed line per interval, and the events held back in between summarized (how many, of which kinds) by
 * {@link #tick()} once the interval has passed, even when no later event comes, and by {@link #flush()} at
 * close. A burst of 80,000 malformed requests thus leaves a detailed line for the first and a summary line for
 * the rest, instead of a single line whose count of held-back events would only appear with the next event.
 *
 * <pre>{@code
 * if (refusals.acquire("MALFORMED_REQUEST")) {
 *     log.warn("refused a request from {} ...", peer);   // the detailed line
 * }
 * ...
 * refusals.tick();   // from a loop that runs at least every few hundred ms
 * }</pre>
 *
 * <p>Thread-safe (synchronized): events may come from one thread and ticks from another. Internal API.
 */
public final class HeldBackLog {

    /** Writes the summary line. */
    @FunctionalInterface
    public interface Summary {
        /**
         * @param held  events held back since the last line
         * @param kinds their number per kind, in the order of the kinds' names, for example "MALFORMED_REQUEST 3, UNKNOWN_COMMAND 1"
         * @param total events since start
         */
        String line(long held, String kinds, long total);
    }

    private final long intervalMillis;
    private final LongSupplier clock;
    private final Consumer<String> warn;
    private final Summary summary;
    private final Map<String, Long> held = new TreeMap<>();
    private long heldTotal;
    private long total;
    /** Clock reading of the last line written (detail or summary); Long.MIN_VALUE before the first. */
    private long lastLine = Long.MIN_VALUE;

    /**
     * @param intervalMillis at most one line per interval (a summary may follow the detailed line one interval later)
     * @param clock          epoch or monotonic milliseconds
     * @param warn           where the summary lines go (the component's logger at WARN)
     * @param summary        the summary line's text
     */
    public HeldBackLog(long intervalMillis, LongSupplier clock, Consumer<String> warn, Summary summary) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis must be positive but was " + intervalMillis);
        }
        this.intervalMillis = intervalMillis;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.warn = Objects.requireNonNull(warn, "warn");
        this.summary = Objects.requireNonNull(summary, "summary");
    }

    /**
     * One event of the given kind. True if the caller should log it in detail now (no line was written in the
     * last interval; the summary of those held back, if any, has just been written); false if it was counted for
     * the next summary.
     */
    public boolean acquire(String kind) {
        return acquire(kind, 1);
    }

    /** {@code count} events of the given kind at once; as {@link #acquire(String)}. */
    public synchronized boolean acquire(String kind, long count) {
        total += count;
        long now = clock.getAsLong();
        if (!due(now)) {
            held.merge(kind, count, Long::sum);
            heldTotal += count;
            return false;
        }
        summarize(now);
        lastLine = now;
        return true;
    }

    /** Writes the summary of the events held back if the interval since the last line has passed. */
    public synchronized void tick() {
        long now = clock.getAsLong();
        if (heldTotal > 0 && due(now)) {
            summarize(now);
        }
    }

    /** Writes the summary of the events held back, if any, whatever the interval (at close). */
    public synchronized void flush() {
        summarize(clock.getAsLong());
    }

    /** Events counted since start. */
    public synchronized long total() {
        return total;
    }

    /** The interval, for the detailed line's text. */
    public long intervalMillis() {
        return intervalMillis;
    }

    private boolean due(long now) {
        return lastLine == Long.MIN_VALUE || now - lastLine >= intervalMillis;
    }

    private void summarize(long now) {
        if (heldTotal == 0) {
            return;
        }
        StringBuilder kinds = new StringBuilder();
        held.forEach((kind, n) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(kind).append(' ').append(n));
        warn.accept(summary.line(heldTotal, kinds.toString(), total));
        held.clear();
        heldTotal = 0;
        lastLine = now;
    }
}
