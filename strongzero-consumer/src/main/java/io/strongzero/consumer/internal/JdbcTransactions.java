package io.strongzero.consumer.internal;

import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.core.internal.Jdbc;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConsumerTransactions#jdbc()}: a connection from the data source with auto-commit off (isolation kept),
 * committed when the work returns, rolled back when it throws; auto-commit is put back quietly (the connection may
 * have been aborted by a handler timeout) and the connection closed. Stateless; thread-safe. Internal API.
 */
public enum JdbcTransactions implements ConsumerTransactions {
    /** The one instance. */
    INSTANCE;

    private static final Logger log = LoggerFactory.getLogger(JdbcTransactions.class);

    @Override
    public <T> T inTransaction(DataSource dataSource, Work<T> work) throws Exception {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new Unavailable("no connection to the consumer's database", e);
        }
        try (c) {
            Transactions.Settings held = null;
            try {
                held = Transactions.Settings.set(c, false, Transactions.KEEP_ISOLATION);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Exception e) {
                Jdbc.rollbackQuietly(c, e);
                throw e;
            } finally {
                try {
                    if (held != null && !c.isClosed()) {
                        held.restore(c);
                    }
                } catch (SQLException e) {
                    log.debug("strongzero-consumer: restoring auto-commit failed", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ConsumerTransactions.jdbc()";
    }
}
