package io.strongzero.pump.internal;

import io.strongzero.core.Envelope;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.SequencerStore;
import io.strongzero.pump.TailListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stamping transaction of the sequencer: under the sequencer row's lock, gives the next committed rows without
 * a position (at most {@code batchSize}) the next positions, commits, and hands the stamped messages to the tail
 * listeners (reading their payloads only when there are listeners, at most {@link #MAX_TAIL_BYTES} per
 * transaction). Used by the sequencer thread only. Internal API.
 *
 * <p>A transaction is five round trips: lock, select, stamp, sequencer update ({@link SequencerStore#stampNext}),
 * commit. A pass that was not started by a wake-up first asks whether anything waits, so an idle pump does not take
 * the lock at every poll.
 */
public final class Stamper {
    /** The pump's logger, as before the stamping had a class of its own. */
    private static final Logger log = LoggerFactory.getLogger("io.strongzero.pump.StrongZeroPump");
    /** Payload bytes read per stamping transaction when tail listeners want content. */
    public static final long MAX_TAIL_BYTES = 8L * 1024 * 1024;

    /**
     * What one transaction did.
     *
     * @param upTo the last position it assigned, the locked head if another instance had stamped everything, or -1
     *             if no committed row was waiting
     * @param rows the rows it stamped
     * @param full true if more rows may be waiting behind it (a full batch, or one cut short by the byte bound)
     */
    public record Result(long upTo, int rows, boolean full) {
    }

    private static final Result NOTHING = new Result(-1, 0, false);

    private final String name;
    private final JournalStore journal;
    private final SequencerStore sequencer;
    private final int batchSize;
    private final String owner;
    private final Clock clock;
    private final Ticker ticker;
    private final StrongZeroMetrics metrics;
    private final List<TailListener> tailListeners;

    /**
     * @param name          the journal's name, for logs and metrics
     * @param journal       the journal table's statements
     * @param sequencer     the sequencer table's statements
     * @param batchSize     most rows stamped per transaction
     * @param owner         recorded in the sequencer row by every stamping transaction
     * @param clock         for the sequencer row's timestamp
     * @param ticker        for the time a transaction takes (the metrics)
     * @param metrics       where stamping is measured
     * @param tailListeners read at each transaction (a concurrent list the pump adds to and removes from)
     */
    public Stamper(String name, JournalStore journal, SequencerStore sequencer, int batchSize, String owner, Clock clock,
                   Ticker ticker, StrongZeroMetrics metrics, List<TailListener> tailListeners) {
        this.name = name;
        this.journal = journal;
        this.sequencer = sequencer;
        this.batchSize = batchSize;
        this.owner = owner;
        this.clock = clock;
        this.ticker = ticker;
        this.metrics = metrics;
        this.tailListeners = tailListeners;
    }

    /** Runs one stamping transaction on {@code c} (auto-commit off), first asking whether anything waits. */
    public Result stampBatch(Connection c) throws SQLException {
        return stampBatch(c, true);
    }

    /**
     * Runs one stamping transaction on {@code c} (auto-commit off) and commits it; with {@code probe}, only if a
     * committed row waits (one cheap query first, no lock taken when none does).
     */
    public Result stampBatch(Connection c, boolean probe) throws SQLException {
        if (probe && !journal.anyWaiting(c)) {
            return NOTHING;
        }
        long t0 = ticker.nanos();
        long last = sequencer.lock(c);
        List<Envelope> stamped = tailListeners.isEmpty() ? null : new ArrayList<>();
        int count = sequencer.stampNext(c, last, batchSize, MAX_TAIL_BYTES, owner, clock.millis(), stamped);
        c.commit();
        if (count == 0) {
            return new Result(last, 0, false);
        }
        if (stamped != null) {
            tell(stamped);
        }
        metrics.sequenced(name, count, ticker.nanos() - t0);
        long upTo = last + count;
        if (log.isDebugEnabled()) {
            log.debug("strongzero-pump[{}]: stamped {} rows as positions {}..{}", name, count, last + 1, upTo);
        }
        // a batch cut short by the byte bound may have more rows behind it: look again at once
        return new Result(upTo, count, count == batchSize || (stamped != null && totalBytes(stamped) >= MAX_TAIL_BYTES / 2));
    }

    /** Hands the stamped rows to the tail listeners; a listener that throws is logged. */
    private void tell(List<Envelope> stamped) {
        List<Envelope> view = Collections.unmodifiableList(stamped);
        for (TailListener l : tailListeners) {
            try {
                l.onStamped(view);
            } catch (RuntimeException x) {
                log.warn("strongzero-pump[{}]: tail listener {} threw; ignored", name, l, x);
            }
        }
    }

    private static long totalBytes(List<Envelope> rows) {
        long n = 0;
        for (Envelope e : rows) {
            n += e.wireSize();
        }
        return n;
    }
}
