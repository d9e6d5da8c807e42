package io.strongzero.consumer;

/** Who owns the transaction in which a message's effects and the consumer's offset commit. */
public enum TransactionMode {
    /**
     * The consumer opens a transaction on its data source, runs the handler(s) on
     * {@link HandlerContext#connection()}, updates the offset and commits. Default.
     */
    AUTO,
    /**
     * The handler runs its own transaction and calls {@link HandlerContext#consumed(java.sql.Connection)}
     * in it before committing. One message per transaction.
     */
    MANUAL
}
