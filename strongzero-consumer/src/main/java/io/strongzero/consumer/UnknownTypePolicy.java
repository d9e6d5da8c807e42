package io.strongzero.consumer;

/** What the consumer does with a message whose type has no registered handler. */
public enum UnknownTypePolicy {
    /**
     * Default. Treat it as a handler failure: it is retried under the type's {@link RetryPolicy} and then
     * parked in the dead-letter table (replay it once a handler is deployed) or, with
     * {@link RetryPolicy.OnExhausted#BLOCK}, stops the stream until it is replayed or discarded. Nothing
     * is lost and nothing after it is applied before its retries are over.
     */
    FAIL,
    /**
     * Skip it: the offset moves past it in the same transaction as the neighbouring messages, the skip
     * is counted ({@link StrongZeroConsumer#skippedCount()}) and logged at WARN with id and type.
     */
    SKIP
}
