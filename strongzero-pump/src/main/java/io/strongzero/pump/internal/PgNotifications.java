package io.strongzero.pump.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The one class that touches pgjdbc ({@code org.postgresql.jdbc}, an optional dependency of the pump): it waits for
 * the notifications a listening connection receives. {@link HeadNotifications} loads it only when it listens, and
 * treats a missing pgjdbc ({@link LinkageError}) as "no notifications here". Confined to the listener thread.
 * Internal API.
 */
final class PgNotifications implements HeadNotifications.Source {

    private final PGConnection pg;

    private PgNotifications(PGConnection pg) {
        this.pg = pg;
    }

    /**
     * The notification source of {@code c}, or null if {@code c} is not (and does not wrap) a pgjdbc connection.
     *
     * @throws LinkageError if pgjdbc is not on the class or module path
     */
    static PgNotifications of(Connection c) throws SQLException {
        return c.isWrapperFor(PGConnection.class) ? new PgNotifications(c.unwrap(PGConnection.class)) : null;
    }

    @Override
    public long backendPid() {
        return pg.getBackendPID();
    }

    /**
     * Waits up to {@code millis} for notifications and returns the highest head they carry: -1 if none came,
     * {@link Long#MAX_VALUE} if a payload is not a position (the listener then reads the head itself).
     */
    @Override
    public long await(int millis) throws SQLException {
        PGNotification[] received = pg.getNotifications(millis);
        long highest = -1;
        if (received != null) {
            for (PGNotification n : received) {
                highest = Math.max(highest, position(n.getParameter()));
            }
        }
        return highest;
    }

    private static long position(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
