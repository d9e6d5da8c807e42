package io.strongzero.tck;

import io.strongzero.testing.ForwardingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * A data source a test can take "down": getConnection then fails as if the server were unreachable. It
 * remembers the connection it handed out last, for tests that break a component's connection.
 */
final class SwitchableDataSource extends ForwardingDataSource {
    private volatile boolean down;
    private volatile Connection last;
    private final java.util.concurrent.atomic.AtomicReference<RuntimeException> failNext =
            new java.util.concurrent.atomic.AtomicReference<>();

    public SwitchableDataSource(DataSource target) {
        super(target);
    }

    public void down() {
        down = true;
    }

    public void up() {
        down = false;
    }

    /** The next getConnection throws {@code e} (once): a failure no caller anticipated. */
    public void failNextWith(RuntimeException e) {
        failNext.set(e);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("test: database is down", "08001");
        }
        RuntimeException unexpected = failNext.getAndSet(null);
        if (unexpected != null) {
            throw unexpected;
        }
        Connection c = delegate().getConnection();
        last = c;
        return c;
    }

    /** The connection handed out most recently (null before the first). */
    public Connection lastConnection() {
        return last;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }
}
