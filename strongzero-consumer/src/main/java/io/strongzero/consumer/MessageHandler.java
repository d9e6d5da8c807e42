package io.strongzero.consumer;

/**
 * Applies messages of one type. Registered with
 * {@link StrongZeroConsumer.Builder#handler(String, Class, MessageHandler)}.
 *
 * <p>Called on the consumer's thread for that producer, one message at a time, in position order.
 * A thrown exception rolls the transaction back; the message is retried (nothing after it is applied
 * first), so handlers see every message at least once and, in {@link TransactionMode#AUTO}, their
 * database effects commit exactly once.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface MessageHandler<T> {
    void handle(Message<T> message, HandlerContext context) throws Exception;
}
