package io.strongzero.consumer.internal;

import java.sql.SQLException;

/**
 * Recognizes the failures that concurrent transactions cause one another (a serialization failure, a deadlock, a
 * lock wait that timed out) anywhere in a cause chain: with lanes, two lanes' handlers touching the same rows meet
 * them, and they say nothing about the message, so they are tried again without counting as an attempt. Stateless.
 * Internal API.
 */
final class SqlFailures {

    /** SQLState 40001: serialization failure (PostgreSQL, H2, and MariaDB's deadlock, error 1213). */
    private static final String SERIALIZATION_FAILURE = "40001";
    /** SQLState 40P01: PostgreSQL's deadlock. */
    private static final String POSTGRES_DEADLOCK = "40P01";
    /** MariaDB error 1213 (deadlock found when trying to get lock) and 1205 (lock wait timeout exceeded). */
    private static final int MARIADB_DEADLOCK = 1213;
    private static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;
    /** H2 error 50200 (LOCK_TIMEOUT_1), SQLState HYT00. */
    private static final int H2_LOCK_TIMEOUT = 50200;

    private SqlFailures() {
    }

    /** True if {@code failure} or one of its causes is a serialization failure, a deadlock or a lock wait timeout. */
    static boolean isContention(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SQLException s) {
                int chained = 0;
                for (SQLException e = s; e != null && chained < 8; e = e.getNextException(), chained++) {
                    if (isContention(e)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isContention(SQLException e) {
        String state = e.getSQLState();
        if (SERIALIZATION_FAILURE.equals(state) || POSTGRES_DEADLOCK.equals(state)) {
            return true;
        }
        int code = e.getErrorCode();
        return code == MARIADB_DEADLOCK || code == MARIADB_LOCK_WAIT_TIMEOUT
                || code == H2_LOCK_TIMEOUT && "HYT00".equals(state);
    }
}
