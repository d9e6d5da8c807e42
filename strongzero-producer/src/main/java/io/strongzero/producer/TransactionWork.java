package io.strongzero.producer;

import java.sql.Connection;

/**
 * Work done inside a transaction opened by {@link StrongZeroSender#inTransaction(TransactionWork)}.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TransactionWork<T> {
    /** Runs on {@code connection}, whose transaction commits when this returns and rolls back if it throws. */
    T run(Connection connection) throws Exception;
}
