package io.strongzero.consumer;

import io.strongzero.consumer.internal.JdbcTransactions;
import io.strongzero.core.StrongZeroException;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * How a consumer opens, commits and rolls back the transactions it runs on its database: the apply transaction
 * of {@link TransactionMode#AUTO} (handlers' effects and the new position), the transaction that records a dead
 * letter, and a dead letter's replay. Set with {@link StrongZeroConsumer.Builder#transactions}; the default,
 * {@link #jdbc()}, is plain JDBC.
 *
 * <p>An implementation runs {@code work} in one transaction on the consumer's {@link DataSource} and hands it
 * the {@link Connection} bound to that transaction; it commits when the work returns and rolls back when the work
 * throws (and then rethrows that exception unchanged). A transaction manager such as Spring's
 * {@code TransactionTemplate} fits: {@code template.execute(status -> work.run(DataSourceUtils.getConnection(ds)))},
 * with checked exceptions wrapped and unwrapped. The consumer keeps the connection's isolation level; an
 * implementation may set its own. When no transaction can begin because the database cannot be reached, throw
 * {@link Unavailable}: the consumer then waits for the database without counting an attempt against the message.
 *
 * <p>Implementations must be thread-safe: each producer's stream (and its handler thread, with a handler timeout)
 * calls them concurrently. With a handler timeout the consumer may {@linkplain Connection#abort abort} the
 * connection of a transaction whose handler overran, so that it can never commit.
 */
public interface ConsumerTransactions {

    /** Work in a transaction: gets the transaction's connection and must not commit, roll back or close it. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} in one transaction on {@code dataSource}: commits if it returns, rolls back and rethrows if
     * it throws.
     *
     * @throws Unavailable if no transaction could begin because no connection could be had
     * @throws Exception   what the work threw, or a failure to commit
     */
    <T> T inTransaction(DataSource dataSource, Work<T> work) throws Exception;

    /**
     * The default: a connection from the data source, auto-commit off (isolation kept), commit or rollback,
     * auto-commit put back, connection closed.
     */
    static ConsumerTransactions jdbc() {
        return JdbcTransactions.INSTANCE;
    }

    /** No transaction could begin: the consumer's database cannot be reached. Not the message's fault. */
    final class Unavailable extends StrongZeroException {
        private static final long serialVersionUID = 1L;

        /** The database could not be reached; {@code cause} (kept as it is) says why. */
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
