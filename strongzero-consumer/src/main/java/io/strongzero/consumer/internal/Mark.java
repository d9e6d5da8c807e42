package io.strongzero.consumer.internal;

import io.strongzero.core.Envelope;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a transaction records how far it got: the stream's single position ({@link #single}), or one lane's
 * ({@link #lane}). Either way a compare-and-set from {@code expected}: a transaction that finds the position moved
 * rolls back. A lane may record more than its last message's position ({@code through}): every message of the lane
 * up to there has been applied, the positions between belonging to other lanes. Immutable. Internal API.
 *
 * @param lanes    the lane count the position is recorded under, or 0 for the stream's single position
 * @param lane     the lane (0 when {@code lanes} is 0)
 * @param expected where the position must stand
 * @param through  the lowest position the lane records once the transaction commits, or -1 for none
 */
public record Mark(int lanes, int lane, long expected, long through) {

    /** The stream's single position, standing at {@code expected}. */
    public static Mark single(long expected) {
        return new Mark(0, 0, expected, -1);
    }

    /** Lane {@code lane} of a {@code lanes}-lane generation, at {@code expected}; it records at least {@code through}. */
    public static Mark lane(int lanes, int lane, long expected, long through) {
        return new Mark(lanes, lane, expected, through);
    }

    /** The position recorded once message {@code to} is applied. */
    public long target(Envelope to) {
        return Math.max(through, to.position());
    }

    /**
     * Moves the position to {@link #target(Envelope) target(to)} in the transaction of {@code c}; false, changing
     * nothing, if it did not stand at {@code expected}.
     */
    boolean move(ConsumerStores stores, Connection c, String producer, Envelope to) throws SQLException {
        long now = stores.clock().millis();
        if (lanes == 0) {
            return stores.positions().advance(c, stores.consumer(), producer, expected, to.position(), to.id(), now);
        }
        return ((OffsetStore) stores.positions()).advanceLane(c, stores.consumer(), producer, lanes, lane, expected,
                target(to), to.id(), now);
    }

    /** Where this stands, for messages: "5" or "5 in lane 3 of 8". */
    String describe() {
        return lanes == 0 ? String.valueOf(expected) : expected + " in lane " + lane + " of " + lanes;
    }
}
