package io.strongzero.it.faults;

import io.strongzero.testing.ForwardingDataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A data source whose connections call a {@link Hook} around {@code prepareStatement} and
 * {@code commit}: the test apps use it to stop at an exact moment (the pump holding the sequencer lock,
 * a consumer transaction about to commit) and tell the driver to kill them there. Thread-safe if the
 * hook is.
 */
final class HookedDataSource extends ForwardingDataSource {

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

    private final Hook hook;

    HookedDataSource(DataSource target, Hook hook) {
        super(target);
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
        return wrap(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(super.getConnection(username, password));
    }
}
