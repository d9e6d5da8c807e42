package io.strongzero.pump.internal;

import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.Threads;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the dialect's journal upkeep (PostgreSQL: {@code VACUUM} of the journal) after every {@code every} stamped
 * rows, on its own thread and connection, so the sequencer never waits for it and a slow upkeep is never started
 * twice. An upkeep the database refuses (for example a user that does not own the table) is logged once as a
 * warning and not tried again. Thread-safe; {@link #stamped} is called by the sequencer thread. Internal API.
 */
public final class JournalUpkeep implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JournalUpkeep.class);

    private final String name;
    private final DataSource dataSource;
    private final JournalStore journal;
    private final long every;
    private final AtomicLong sinceLast = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong runs = new AtomicLong();
    private volatile boolean disabled;
    private volatile boolean closed;

    /**
     * @param every stamped rows between two upkeeps, at least 1
     */
    public JournalUpkeep(String name, DataSource dataSource, JournalStore journal, long every) {
        this.name = name;
        this.dataSource = dataSource;
        this.journal = journal;
        this.every = every;
    }

    /**
     * Counts {@code rows} stamped rows and starts an upkeep once {@code every} have been counted since the last one
     * started; while one runs the count goes on, and the first stamping after it ended starts the next.
     */
    public void stamped(int rows) {
        if (disabled || closed || sinceLast.addAndGet(rows) < every || !running.compareAndSet(false, true)) {
            return;
        }
        sinceLast.set(sinceLast.get() % every); // the rows past the mark count towards the next one
        Thread t = Threads.newThread("pump-upkeep", name, this::run);
        t.start();
    }

    private void run() {
        long t0 = System.nanoTime();
        boolean done = false;
        try (Connection c = dataSource.getConnection()) {
            Transactions.useAutoCommit(c, journal::upkeep);
            done = true;
            if (log.isDebugEnabled()) {
                log.debug("strongzero-pump[{}]: journal upkeep of {} took {} ms", name, journal.table(),
                        (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (SQLException | RuntimeException e) {
            disabled = true;
            log.warn("strongzero-pump[{}]: the journal upkeep of {} failed and is off until the pump restarts: {}."
                            + " Stamping goes on, but slows down as stamped rows pile up unless (auto)vacuum removes them;"
                            + " let the pump's user own the table, or set vacuumEvery(0) and vacuum the journal yourself"
                            + " (docs/operations.md)", name, journal.table(), Secrets.redact(e.toString()));
        } finally {
            running.set(false); // before counting it: whoever sees the count can start the next one
            if (done) {
                runs.incrementAndGet();
            }
        }
    }

    /** Upkeeps that completed. */
    public long runs() {
        return runs.get();
    }

    /** Starts no further upkeep; one that runs finishes on its own thread. */
    @Override
    public void close() {
        closed = true;
    }
}
