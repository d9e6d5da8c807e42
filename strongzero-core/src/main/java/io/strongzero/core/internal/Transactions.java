package io.strongzero.core.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs JDBC work in a transaction ({@code inTransaction}, or {@code useTransaction} without a result), or in auto-commit mode, on a connection and puts the connection back the
 * way it was: auto-commit mode and isolation level are restored on every path. On failure the transaction is
 * rolled back and the original exception is thrown unchanged; a failed rollback or restore is attached to it
 * as a suppressed exception, never thrown instead of it. In the spirit of JDBI's {@code Handle.inTransaction}.
 * Internal API.
 */
public final class Transactions {

    /** Work on a connection that returns a value. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Work on a connection that returns nothing. */
    @FunctionalInterface
    public interface SqlAction {
        void run(Connection c) throws SQLException;
    }

    /** Keep the connection's isolation level. */
    public static final int KEEP_ISOLATION = -1;

    private Transactions() {
    }

    /** Runs {@code work} in one transaction on {@code c} and commits it; rolls back if it fails. */
    public static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        return inTransaction(c, KEEP_ISOLATION, work);
    }

    /** {@link #inTransaction(Connection, SqlWork)} without a result. */
    public static void useTransaction(Connection c, SqlAction work) throws SQLException {
        inTransaction(c, KEEP_ISOLATION, asWork(work));
    }

    /**
     * Runs {@code work} in one transaction at the given isolation level ({@link Connection#TRANSACTION_READ_COMMITTED}
     * and so on, or {@link #KEEP_ISOLATION}) and commits it; rolls back if it fails.
     */
    public static <T> T inTransaction(Connection c, int isolation, SqlWork<T> work) throws SQLException {
        Settings held = Settings.set(c, false, isolation);
        T result;
        try {
            result = work.run(c);
            c.commit();
        } catch (SQLException | RuntimeException | Error e) {
            Jdbc.rollbackQuietly(c, e);
            held.restoreQuietly(c, e);
            throw e;
        }
        held.restore(c);
        return result;
    }

    /** Runs {@code work} on {@code c} in auto-commit mode (each statement commits by itself). */
    public static <T> T autoCommit(Connection c, SqlWork<T> work) throws SQLException {
        Settings held = Settings.set(c, true, KEEP_ISOLATION);
        T result;
        try {
            result = work.run(c);
        } catch (SQLException | RuntimeException | Error e) {
            held.restoreQuietly(c, e);
            throw e;
        }
        held.restore(c);
        return result;
    }

    /** {@link #autoCommit(Connection, SqlWork)} without a result. */
    public static void useAutoCommit(Connection c, SqlAction work) throws SQLException {
        autoCommit(c, asWork(work));
    }

    /** Opens a connection, runs {@code work} in one transaction on it and closes it. */
    public static <T> T inTransaction(DataSource dataSource, SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, work);
        }
    }

    /** Opens a connection, runs {@code work} in auto-commit mode on it and closes it. */
    public static <T> T autoCommit(DataSource dataSource, SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return autoCommit(c, work);
        }
    }

    private static SqlWork<Void> asWork(SqlAction action) {
        return c -> {
            action.run(c);
            return null;
        };
    }

    /**
     * A connection's auto-commit mode and isolation level as they were before {@link #set}, to put back
     * afterwards. Public for the few places that hold a transaction open across calls (the pump's sequencer
     * connection), which cannot use a lambda.
     */
    public static final class Settings {
        private final boolean autoCommit;
        private final int isolation;
        private final boolean changedAutoCommit;
        private final boolean changedIsolation;

        private Settings(boolean autoCommit, int isolation, boolean changedAutoCommit, boolean changedIsolation) {
            this.autoCommit = autoCommit;
            this.isolation = isolation;
            this.changedAutoCommit = changedAutoCommit;
            this.changedIsolation = changedIsolation;
        }

        /** Switches {@code c} to the given mode and isolation ({@link #KEEP_ISOLATION} keeps it) and returns what it was. */
        public static Settings set(Connection c, boolean autoCommit, int isolation) throws SQLException {
            boolean heldAuto = c.getAutoCommit();
            int heldIsolation = isolation == KEEP_ISOLATION ? KEEP_ISOLATION : c.getTransactionIsolation();
            boolean changeIsolation = isolation != KEEP_ISOLATION && heldIsolation != isolation;
            if (heldAuto != autoCommit) {
                c.setAutoCommit(autoCommit);
            }
            if (changeIsolation) {
                try {
                    c.setTransactionIsolation(isolation);
                } catch (SQLException | RuntimeException e) {
                    new Settings(heldAuto, heldIsolation, heldAuto != autoCommit, false).restoreQuietly(c, e);
                    throw e;
                }
            }
            return new Settings(heldAuto, heldIsolation, heldAuto != autoCommit, changeIsolation);
        }

        /** Puts the settings back; throws if the connection refuses. */
        public void restore(Connection c) throws SQLException {
            if (changedIsolation) {
                c.setTransactionIsolation(isolation);
            }
            if (changedAutoCommit) {
                c.setAutoCommit(autoCommit);
            }
        }

        /** Puts the settings back, attaching a failure to {@code primary} instead of throwing it. */
        public void restoreQuietly(Connection c, Throwable primary) {
            try {
                restore(c);
            } catch (SQLException | RuntimeException e) {
                if (primary != null && primary != e) {
                    primary.addSuppressed(e);
                }
            }
        }
    }
}
