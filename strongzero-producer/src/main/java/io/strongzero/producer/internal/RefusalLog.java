package io.strongzero.producer.internal;

import io.strongzero.core.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The WARN lines for refused requests: at most one detailed line per interval, and the refusals held back in
 * between summarized (how many, of which kinds) by {@link #tick()} once the interval has passed, even when no
 * later refusal comes, and by {@link #flush()} at close. A burst of 80,000 malformed requests thus leaves a
 * detailed line for the first and a summary line for the rest, instead of a single line whose count of
 * held-back refusals would only appear with the next refusal.
 *
 * <p>Thread-safe (synchronized; the producer calls it from its frontend thread). Internal API.
 */
public final class RefusalLog {

    private final String producer;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final Consumer<String> warn;
    private final Map<ErrorCode, Long> held = new EnumMap<>(ErrorCode.class);
    private long heldTotal;
    private long total;
    /** Clock reading of the last line written (detail or summary); Long.MIN_VALUE before the first. */
    private long lastLine = Long.MIN_VALUE;

    /**
     * @param producer       the producer's name, for the line prefix
     * @param intervalMillis at most one line per interval (a summary may follow the detailed line one interval later)
     * @param clock          epoch or monotonic milliseconds
     * @param warn           where the lines go (the producer's logger at WARN)
     */
    public RefusalLog(String producer, long intervalMillis, LongSupplier clock, Consumer<String> warn) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis must be positive but was " + intervalMillis);
        }
        this.producer = Objects.requireNonNull(producer, "producer");
        this.intervalMillis = intervalMillis;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.warn = Objects.requireNonNull(warn, "warn");
    }

    /**
     * One refused request: logged in detail if no line was written in the last interval (after the summary of
     * those held back, if any), else counted for the next summary.
     *
     * @param code   the error the request was answered with
     * @param from   who sent it ("a peer", an address, "... with key ...")
     * @param reason the error message sent back
     */
    public synchronized void refused(ErrorCode code, String from, String reason) {
        total++;
        long now = clock.getAsLong();
        if (!due(now)) {
            held.merge(code, 1L, Long::sum);
            heldTotal++;
            return;
        }
        summarize(now);
        lastLine = now;
        warn.accept("strongzero-producer[" + producer + "]: refused a request from " + from + " (" + total
                + " refused so far; further refusals within " + intervalMillis / 1000.0 + " s are summarized): " + reason);
    }

    /** Writes the summary of the refusals held back if the interval since the last line has passed. */
    public synchronized void tick() {
        long now = clock.getAsLong();
        if (heldTotal > 0 && due(now)) {
            summarize(now);
        }
    }

    /** Writes the summary of the refusals held back, if any, whatever the interval (at close). */
    public synchronized void flush() {
        summarize(clock.getAsLong());
    }

    /** Refusals counted since start. */
    public synchronized long total() {
        return total;
    }

    private boolean due(long now) {
        return lastLine == Long.MIN_VALUE || now - lastLine >= intervalMillis;
    }

    private void summarize(long now) {
        if (heldTotal == 0) {
            return;
        }
        StringBuilder kinds = new StringBuilder();
        held.forEach((code, n) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(code).append(' ').append(n));
        warn.accept("strongzero-producer[" + producer + "]: refused " + heldTotal + " more request"
                + (heldTotal == 1 ? "" : "s") + " not logged one by one (" + kinds + "; " + total + " refused so far)");
        held.clear();
        heldTotal = 0;
        lastLine = now;
    }
}
