package io.strongzero.spring.boot;

import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.core.StrongZeroConfigException;
import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The consumer's transactions run by a Spring {@link PlatformTransactionManager}: the apply transaction of
 * {@code AUTO} mode (handlers' effects and the new offset), the dead-letter transaction and a replay each begin a new
 * Spring transaction, so that a handler's JdbcTemplate, JPA or jOOQ writes on the same DataSource join it and commit
 * with the offset, or roll back with it.
 *
 * <p>The transaction manager must manage the consumer's DataSource: a {@code DataSourceTransactionManager} on it, or a
 * {@code JpaTransactionManager} whose EntityManagerFactory uses it. Each transaction checks that the manager bound a
 * connection of that DataSource, and fails with a {@link StrongZeroConfigException} otherwise (the auto-configuration
 * runs one such transaction at start-up, so a wrong manager stops the application before any message is applied).
 * A transaction that cannot begin because the database is unreachable ({@link CannotCreateTransactionException})
 * becomes {@link ConsumerTransactions.Unavailable}: the consumer waits for the database without counting an attempt.
 * JTA transaction managers are not supported.
 *
 * <p>Thread-safe.
 */
public final class SpringConsumerTransactions implements ConsumerTransactions {

    private final PlatformTransactionManager transactionManager;
    private final DefaultTransactionDefinition definition;

    /** Transactions of {@code transactionManager}, each a new one ({@code PROPAGATION_REQUIRES_NEW}). */
    public SpringConsumerTransactions(PlatformTransactionManager transactionManager) {
        this.transactionManager = Objects.requireNonNull(transactionManager, "transactionManager");
        this.definition = new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.definition.setName("strongzero-consumer");
    }

    /** The transaction manager the transactions run through. */
    public PlatformTransactionManager transactionManager() {
        return transactionManager;
    }

    @Override
    public <T> T inTransaction(DataSource dataSource, Work<T> work) throws Exception {
        TransactionStatus status;
        try {
            status = transactionManager.getTransaction(definition);
        } catch (CannotCreateTransactionException e) {
            throw new ConsumerTransactions.Unavailable("cannot begin a transaction with " + transactionManager
                    + ": " + e.getMessage(), e);
        }
        T result;
        try {
            if (!TransactionSynchronizationManager.hasResource(dataSource)) {
                throw new StrongZeroConfigException("the transaction manager " + transactionManager + " does not "
                        + "manage the consumer's DataSource (" + dataSource + "): the offset would not commit with the "
                        + "handlers' writes. Give the consumer the DataSource of that transaction manager, or a "
                        + "transaction manager of its DataSource (a StrongZeroConsumerCustomizer can set "
                        + "transactions(new SpringConsumerTransactions(manager)))");
            }
            Connection connection = DataSourceUtils.getConnection(dataSource);
            result = work.run(connection);
        } catch (Throwable t) {
            try {
                transactionManager.rollback(status);
            } catch (RuntimeException | Error e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        transactionManager.commit(status);
        return result;
    }

    @Override
    public String toString() {
        return "SpringConsumerTransactions[" + transactionManager + "]";
    }
}
