package io.strongzero.core.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Small JDBC helpers. Internal API. */
public final class Jdbc {
    private Jdbc() {
    }

    /** True for an integrity constraint violation (SQLState class 23), such as a duplicate key. */
    public static boolean isIntegrityViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && state.startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /** Rolls back, adding any failure as suppressed to {@code primary} (if given). */
    public static void rollbackQuietly(Connection c, Throwable primary) {
        if (c == null) {
            return;
        }
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }

    /** Closes, adding any failure as suppressed to {@code primary} (if given). */
    public static void closeQuietly(Connection c, Throwable primary) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
