package io.strongzero.consumer;

import java.sql.Connection;

/**
 * What a handler gets besides the message. Valid only during the handler call, on the handler's thread.
 */
public interface HandlerContext {
    /**
     * In {@link TransactionMode#AUTO}: the connection of the consumer's open transaction. Write the
     * handler's effects on it and do not commit, roll back or close it: the consumer commits them
     * together with the new offset.
     *
     * @throws IllegalStateException in {@link TransactionMode#MANUAL}, where the handler uses its own connection
     */
    Connection connection();

    /**
     * In {@link TransactionMode#MANUAL}: records this message as consumed on {@code connection}, in the
     * handler's own open transaction; the handler then commits. Must be called exactly once per message.
     *
     * @throws IllegalStateException in {@link TransactionMode#AUTO}, or if called twice
     * @throws io.strongzero.core.StrongZeroStorageException if the offset row was moved by someone else
     *     (another consumer instance with the same name): roll back
     */
    void consumed(Connection connection);

    /** This delivery's attempt number: 1 for the first, higher for retries and replays. */
    int attempt();

    /**
     * Runs a side effect outside the consumer database at most once per message and effect name; see
     * {@link IdempotencyGuard} for the exact guarantee and the in-doubt window.
     */
    IdempotencyGuard.Outcome once(String effectName, IdempotencyGuard.SideEffect effect) throws Exception;

    /**
     * In {@link TransactionMode#AUTO}: runs {@code action} once the transaction that holds this handler's
     * effects has committed, and never if it rolls back (a failed attempt, a batch re-applied one by one, an
     * offset conflict). The typical use is waking a pump after the handler sent a message on
     * {@link #connection()}, for example in a saga step: {@code ctx.afterCommit(sender::updated)}.
     *
     * <p>Actions run on the consumer's stream thread, in the order they were registered, before the next
     * transaction starts: keep them short and non-blocking. One that throws is logged at WARN and the others
     * still run; the commit stands. A process that dies between the commit and the action skips it, so use it
     * for hints (wake-ups, cache invalidation), never for effects that must happen.
     *
     * @throws IllegalStateException in {@link TransactionMode#MANUAL}, where the handler commits and can act
     *     after its own commit
     */
    void afterCommit(Runnable action);
}
