package io.strongzero.pump.internal;

import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Jdbc;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BiConsumer;
import javax.sql.DataSource;

/**
 * One pooled connection kept across the sequencer's short transactions, set up once (auto-commit off, the given
 * isolation): setting auto-commit and isolation on every pass cost 2-4 round trips, a query each on some drivers.
 * It goes back to the pool (its settings restored) after {@code holdFor} on the {@link Ticker}, after any failure
 * ({@link #release()}) and on close, so pool limits such as a maximum lifetime still apply. Used by one thread at a
 * time (the caller synchronizes): not thread-safe. Internal API.
 */
public final class HeldConnection {

    private final DataSource dataSource;
    private final int isolation;
    private final long holdNanos;
    private final Ticker ticker;
    private final BiConsumer<String, Throwable> debug;
    private Connection held;
    private long heldSince;
    /** The held connection's auto-commit mode and isolation as the pool gave it, restored before it goes back. */
    private Transactions.Settings heldSettings;

    /**
     * @param debug where failures to restore or close are reported (a message and the failure); never thrown
     */
    public HeldConnection(DataSource dataSource, int isolation, Duration holdFor, Ticker ticker,
                          BiConsumer<String, Throwable> debug) {
        this.dataSource = dataSource;
        this.isolation = isolation;
        this.holdNanos = holdFor.toNanos();
        this.ticker = ticker;
        this.debug = debug;
    }

    /** The held connection, or a new one from the pool if none is held or it was held for {@code holdFor}. */
    public Connection get() throws SQLException {
        if (held != null && ticker.nanos() - heldSince > holdNanos) {
            release();
        }
        if (held == null) {
            Connection c = dataSource.getConnection();
            try {
                heldSettings = Transactions.Settings.set(c, false, isolation);
            } catch (SQLException | RuntimeException e) {
                Jdbc.closeQuietly(c, e);
                throw e;
            }
            held = c;
            heldSince = ticker.nanos();
        }
        return held;
    }

    /** True while a connection is held. */
    public boolean isHeld() {
        return held != null;
    }

    /** Rolls back, restores the held connection's settings and returns it to the pool; never throws. */
    public void release() {
        Connection c = held;
        held = null;
        if (c == null) {
            return;
        }
        try {
            c.rollback();
            heldSettings.restore(c);
        } catch (SQLException | RuntimeException e) {
            debug.accept("restoring the sequencer connection's settings failed", e);
        } finally {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                debug.accept("closing the sequencer connection failed", e);
            }
        }
    }
}
