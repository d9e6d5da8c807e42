package io.strongzero.examples;

import io.strongzero.producer.AfterCommitRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

/**
 * A minimal thread-bound transaction manager, to show what StrongZero expects from one (Spring's
 * {@code DataSourceTransactionManager} with a {@code TransactionAwareDataSourceProxy} does the same):
 *
 * <ul>
 *   <li>{@link #dataSource()} is <em>transaction-aware</em>: inside {@link #inTransaction} its
 *       {@code getConnection()} returns the current transaction's connection, whose {@code close()} does
 *       nothing; outside, a plain connection.</li>
 *   <li>It is an {@link AfterCommitRegistry}: actions registered inside a transaction run after it commits,
 *       and are dropped if it rolls back.</li>
 * </ul>
 *
 * Not for production: no nesting, no propagation settings, no timeouts. Thread-safe.
 */
public final class SimpleTransactions implements AfterCommitRegistry {

    private static final class Tx {
        final Connection connection;
        final List<Runnable> afterCommit = new ArrayList<>();

        Tx(Connection connection) {
            this.connection = connection;
        }
    }

    private final DataSource target;
    private final ThreadLocal<Tx> current = new ThreadLocal<>();
    private final DataSource aware;

    public SimpleTransactions(DataSource target) {
        this.target = Objects.requireNonNull(target, "target");
        this.aware = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Tx tx = current.get();
                    if (method.getName().equals("getConnection") && tx != null) {
                        return unclosable(tx.connection);
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The transaction-aware data source: hand it to the sender and to your data access code. */
    public DataSource dataSource() {
        return aware;
    }

    /** Runs {@code work} in a new transaction on this thread: commits and runs after-commit actions, or rolls back. */
    public <T> T inTransaction(Callable<T> work) throws Exception {
        if (current.get() != null) {
            throw new IllegalStateException("a transaction is already open on this thread (nesting is not supported)");
        }
        Tx tx;
        T result;
        try (Connection c = target.getConnection()) {
            c.setAutoCommit(false);
            tx = new Tx(c);
            current.set(tx);
            try {
                result = work.call();
                c.commit();
            } catch (Exception | Error e) {
                try {
                    c.rollback();
                } catch (SQLException x) {
                    e.addSuppressed(x);
                }
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        }
        for (Runnable action : tx.afterCommit) {
            action.run();
        }
        return result;
    }

    @Override
    public boolean afterCommit(Runnable action) {
        Tx tx = current.get();
        if (tx == null) {
            return false;
        }
        tx.afterCommit.add(action);
        return true;
    }

    private static Connection unclosable(Connection c) {
        return (Connection) Proxy.newProxyInstance(SimpleTransactions.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;                       // the transaction manager closes it
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
