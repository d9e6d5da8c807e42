package io.strongzero.spring.boot.internal;

import io.strongzero.core.StrongZeroException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The sender's view of StrongZero's {@link DataSource}: {@code getConnection()} returns the connection of the current
 * Spring-managed transaction on that DataSource (the one a {@code DataSourceTransactionManager} or a
 * {@code JpaTransactionManager} bound to the thread), whose {@code close()} leaves it to the transaction. It refuses,
 * with an exception that says what to change, a transaction whose manager bound another DataSource and, when
 * {@code requireTransaction}, a call outside any transaction. Internal API.
 */
public final class SpringSenderDataSource extends DelegatingDataSource {

    private final DataSource target;
    private final TransactionAwareDataSourceProxy aware;
    private final boolean requireTransaction;

    /** Over {@code target}, the DataSource the application's transaction manager manages. */
    public SpringSenderDataSource(DataSource target, boolean requireTransaction) {
        super(target);
        this.target = target;
        this.aware = new TransactionAwareDataSourceProxy(target);
        this.requireTransaction = requireTransaction;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            if (!TransactionSynchronizationManager.hasResource(target)) {
                throw new StrongZeroException("send(...) runs in a Spring transaction that is not on StrongZero's "
                        + "DataSource (" + target + "): the transaction manager of this transaction bound "
                        + describe(boundDataSources()) + ". The message would not commit with your change. Send from "
                        + "a transaction of the transaction manager of StrongZero's DataSource (for example "
                        + "@Transactional(transactionManager = \"...\")), or give StrongZero that DataSource");
            }
        } else if (requireTransaction) {
            throw new StrongZeroException("send(...) was called outside a transaction: the message would commit on its "
                    + "own, apart from your business change. Call it from a @Transactional method (or a "
                    + "TransactionTemplate) whose transaction manager manages StrongZero's DataSource, or set "
                    + "strongzero.sender.require-transaction=false to let such a message commit on its own");
        }
        return aware.getConnection();
    }

    private static List<DataSource> boundDataSources() {
        List<DataSource> bound = new ArrayList<>();
        for (Object key : TransactionSynchronizationManager.getResourceMap().keySet()) {
            if (key instanceof DataSource ds) {
                bound.add(ds);
            }
        }
        return bound;
    }

    private static String describe(List<DataSource> bound) {
        return bound.isEmpty() ? "no DataSource (is it a JTA or non-JDBC transaction manager? StrongZero needs a "
                + "local JDBC transaction)" : "another one: " + bound;
    }
}
