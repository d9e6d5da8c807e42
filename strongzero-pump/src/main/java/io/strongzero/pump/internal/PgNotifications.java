package io.strongzero.pump.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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

    @Override
    public List<String> await(int millis) throws SQLException {
        PGNotification[] received = pg.getNotifications(millis);
        if (received == null || received.length == 0) {
            return List.of();
        }
        List<String> payloads = new ArrayList<>(received.length);
        for (PGNotification n : received) {
            payloads.add(n.getParameter());
        }
        return payloads;
    }
}
