package io.strongzero.testing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that forwards every call to a delegate: extend it and override only what a test changes
 * (refuse connections, wrap them, count them).
 *
 * <p>{@link #unwrap(Class)} and {@link #isWrapperFor(Class)} answer for this object first (a subclass or any
 * type it implements) and then ask the delegate, as the JDBC {@link java.sql.Wrapper} contract asks of a
 * wrapper. {@link DataSource#createConnectionBuilder()} is not forwarded: a builder of the delegate's would
 * hand out connections that bypass this class's {@code getConnection} overrides, so it keeps the interface's
 * default (not supported).
 *
 * <p>Thread-safe if the delegate is and the subclass's overrides are.
 */
public abstract class ForwardingDataSource implements DataSource {

    private final DataSource delegate;

    /**
     * @param delegate the data source every call goes to
     */
    protected ForwardingDataSource(DataSource delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the data source every call goes to */
    protected final DataSource delegate() {
        return delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return delegate.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    /** This object if it is an {@code iface}, else what the delegate unwraps to. */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }

    /** True if this object is an {@code iface} or the delegate is or wraps one. */
    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        return (name.isEmpty() ? getClass().getName() : name) + "[" + delegate + "]";
    }
}
