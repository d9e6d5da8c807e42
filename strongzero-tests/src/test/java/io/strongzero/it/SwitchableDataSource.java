package io.strongzero.it;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source a test can take "down": getConnection then fails as if the server were unreachable. It
 * remembers the connection it handed out last, for tests that break a component's connection.
 */
public final class SwitchableDataSource implements DataSource {
    private final DataSource target;
    private volatile boolean down;
    private volatile Connection last;
    private final java.util.concurrent.atomic.AtomicReference<RuntimeException> failNext =
            new java.util.concurrent.atomic.AtomicReference<>();

    public SwitchableDataSource(DataSource target) {
        this.target = target;
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
        Connection c = target.getConnection();
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

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }
}
