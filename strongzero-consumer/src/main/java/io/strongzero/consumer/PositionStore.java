package io.strongzero.consumer;

import io.strongzero.consumer.internal.OffsetStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a consumer keeps its position (the last applied message) per producer. The default, {@link #jdbc}, is
 * the offset table of the consumer's database, updated in the same transaction as the handlers' effects. A sink
 * that is not a database (a Kafka transaction, say) can hold the position itself: it writes it in the
 * transaction that {@link ConsumerTransactions} runs, and may ignore the connection it is handed. Set with
 * {@link StrongZeroConsumer.Builder#positionStore}.
 *
 * <p>{@link #advance} must be a compare-and-set: it moves the position only if it stands at {@code expected}, so
 * that two instances of one consumer can never both apply a message. Implementations must be thread-safe (one
 * stream per producer calls them).
 */
public interface PositionStore {

    /**
     * The committed position of {@code consumer} for {@code producer}, creating it at 0 if there is none. Runs
     * outside a transaction (auto-commit) when the stream starts and after a conflict.
     */
    long loadOrCreate(Connection c, String consumer, String producer, long nowMillis) throws SQLException;

    /** The committed position, or null if there is none. */
    Long load(Connection c, String consumer, String producer) throws SQLException;

    /**
     * Moves the position from {@code expected} to {@code position} (the message {@code messageId}) in the transaction
     * of {@code c}. Returns false, changing nothing, if it was not at {@code expected}.
     */
    boolean advance(Connection c, String consumer, String producer, long expected, long position, FlakeId messageId,
                    long nowMillis) throws SQLException;

    /** The default: the offset table {@code <tablePrefix>offset} of the consumer's database. */
    static PositionStore jdbc(Dialect dialect, String tablePrefix) {
        return new OffsetStore(dialect, tablePrefix);
    }
}
