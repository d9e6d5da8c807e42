package io.strongzero.pump;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.strongzero.testing.ForwardingDataSource;
import javax.sql.DataSource;

/**
 * A data source a test can take down and bring back. While it is down, {@link #getConnection()} fails as
 * if the server were unreachable and every connection it handed out earlier fails on every call but
 * {@code close()} and {@code isClosed()}, as a connection to a server that went away does. It can also make
 * the next call on a connection throw an unexpected {@link RuntimeException}. Thread-safe.
 */
final class FlakyDataSource extends ForwardingDataSource {

    private volatile boolean down;
    private final AtomicReference<RuntimeException> failNextCall = new AtomicReference<>();
    private final AtomicInteger connectionsHandedOut = new AtomicInteger();
    private final Semaphore refusedConnections = new Semaphore(0);

    FlakyDataSource(DataSource target) {
        super(target);
    }

    void down() {
        down = true;
    }

    void up() {
        down = false;
    }

    /** The next call on any connection handed out by this data source throws {@code e} (once). */
    void failNextCallWith(RuntimeException e) {
        failNextCall.set(e);
    }

    /** True once the failure set by {@link #failNextCallWith} was thrown. */
    boolean injectedFailureThrown() {
        return failNextCall.get() == null;
    }

    /** How many connections were handed out so far. */
    int connectionsHandedOut() {
        return connectionsHandedOut.get();
    }

    /** Waits until {@code n} more calls of {@link #getConnection()} were refused while down; false on time-out. */
    boolean awaitRefusedConnections(int n, Duration timeout) throws InterruptedException {
        return refusedConnections.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            refusedConnections.release();
            throw new SQLTransientConnectionException("test: the database is down", "08001");
        }
        Connection real = delegate().getConnection();
        connectionsHandedOut.incrementAndGet();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> call(real, method, args));
    }

    private Object call(Connection real, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        boolean closing = name.equals("close") || name.equals("isClosed");
        if (!closing) {
            if (down) {
                throw new SQLTransientConnectionException("test: the connection to the database broke", "08006");
            }
            RuntimeException unexpected = failNextCall.getAndSet(null);
            if (unexpected != null) {
                throw unexpected;
            }
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }
}
