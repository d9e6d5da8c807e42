package io.strongzero.it.faults;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose connections call a {@link Hook} around {@code prepareStatement} and
 * {@code commit}: the test apps use it to stop at an exact moment (the pump holding the sequencer lock,
 * a consumer transaction about to commit) and tell the driver to kill them there. Thread-safe if the
 * hook is.
 */
final class HookedDataSource implements DataSource {

    /** Called on the thread that uses the connection. Must not throw unless the test wants the call to fail. */
    interface Hook {
        default void beforePrepare(String sql) {
        }

        default void beforeCommit() {
        }

        default void afterCommit() {
        }

        default void afterRollback() {
        }
    }

    private final DataSource target;
    private final Hook hook;

    HookedDataSource(DataSource target, Hook hook) {
        this.target = target;
        this.hook = hook;
    }

    private Connection wrap(Connection c) {
        InvocationHandler h = new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                String name = method.getName();
                if (name.equals("prepareStatement") && args != null && args.length > 0 && args[0] instanceof String sql) {
                    hook.beforePrepare(sql);
                } else if (name.equals("commit") && args == null) {
                    hook.beforeCommit();
                } else if (name.equals("equals") && args != null && args.length == 1) {
                    return proxy == args[0];
                } else if (name.equals("hashCode") && args == null) {
                    return System.identityHashCode(proxy);
                }
                Object result;
                try {
                    result = method.invoke(c, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (name.equals("commit") && args == null) {
                    hook.afterCommit();
                } else if (name.equals("rollback") && args == null) {
                    hook.afterRollback();
                }
                return result;
            }
        };
        return (Connection) Proxy.newProxyInstance(HookedDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, h);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
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
