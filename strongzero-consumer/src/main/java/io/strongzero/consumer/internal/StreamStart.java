package io.strongzero.consumer.internal;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how one producer's stream resumes from its stored positions: in order on the stream's thread, or in lanes.
 * With the default position store the offset rows say under which lane count they were recorded: the same count as
 * configured resumes; another count whose lanes all stand at one position is recorded anew there at once; else the
 * old lanes first apply, under the old assignment, everything up to the highest position they recorded, and then
 * {@link #recordNewLaneCount} writes the configured count there. A stream stopped by a BLOCKING dead letter stays on
 * its thread until it is replayed or discarded. Sets the stream's position and blocked state. Confined to the
 * stream's thread. Internal API.
 */
final class StreamStart {

    private static final Logger log = LoggerFactory.getLogger(StreamStart.class);

    /** How the stream goes on: its lanes (not started), or null for in order on its thread; and why, for the log. */
    record Resume(LaneSet lanes, String how) {
    }

    private final StreamWorker.Shared shared;
    private final ConsumerConfig config;
    private final String name;
    private final String producer;
    private final StreamState state;

    StreamStart(StreamWorker.Shared shared, String producer, StreamState state) {
        this.shared = shared;
        this.config = shared.config();
        this.name = config.name();
        this.producer = producer;
        this.state = state;
    }

    /** How the stream resumes, read on {@code c}; null if the rows changed meanwhile (load them again). */
    Resume resume(Connection c) throws SQLException {
        return shared.stores().positions() instanceof OffsetStore offsets ? plan(c, offsets)
                : new Resume(null, plainPosition(c));
    }

    /**
     * Records {@code old}, the positions of lanes that applied everything up to {@code at}, as the configured lane
     * count at {@code at}, in one transaction (logged; a change of the rows meanwhile, or a failure, is logged and
     * the stream reloads them).
     */
    void recordNewLaneCount(LanePositions old, long at) {
        ConsumerStores stores = shared.stores();
        OffsetStore offsets = (OffsetStore) stores.positions();
        try (Connection c = stores.dataSource().getConnection()) {
            boolean reset = Transactions.inTransaction(c, tx -> offsets.resetLanes(tx, name, producer, old,
                    config.concurrency(), at, stores.clock().millis()));
            if (reset) {
                log.info("strongzero-consumer[{}]: producer {}: the {} lanes recorded before are done up to position {};"
                        + " applying in {} lane(s) from there", name, producer, old.lanes(), at, config.concurrency());
            } else {
                log.warn("strongzero-consumer[{}]: producer {}: the lane positions changed under this consumer "
                        + "(another instance with the same name?); reloading them", name, producer);
            }
        } catch (SQLException e) {
            state.lastError = Secrets.redact(e.toString());
            shared.counters().failures.incrementAndGet();
            log.warn("strongzero-consumer[{}]: cannot record the new lane count for producer {}: {}; reloading the "
                    + "offsets", name, producer, state.lastError);
        }
    }

    /** One position (a position store of the application's, or a single lane), in order on the stream's thread. */
    private String plainPosition(Connection c) throws SQLException {
        ConsumerStores stores = shared.stores();
        Transactions.useAutoCommit(c, ac -> {
            state.position = stores.positions().loadOrCreate(ac, name, producer, stores.clock().millis());
            DeadLetter blocking = stores.letters().blocking(ac, name, producer);
            state.blocked = blocking != null && blocking.position() == state.position + 1;
        });
        return state.blocked ? " (blocked by a dead letter: replay or discard it)" : "";
    }

    /**
     * The keys held back (as {@link LaneSet#blocked()} holds them): those of a BLOCKING dead letter, or of a
     * replay-requested one of a type whose policy blocks, that the lanes have passed (at or below their position),
     * and those with held messages.
     */
    private Set<String> heldBackKeys(Connection c, LanePositions recorded) throws SQLException {
        ConsumerStores stores = shared.stores();
        return Transactions.autoCommit(c, ac -> {
            Set<String> keys = new HashSet<>();
            for (DeadLetterStore.Hold h : stores.letters().holds(ac, name, producer)) {
                // a replay-requested one was BLOCKING if its type blocks (else it was parked: it holds nothing back)
                boolean blocks = h.blocking()
                        || config.retryPolicyFor(h.type()).onExhausted() == RetryPolicy.OnExhausted.BLOCK;
                if (blocks && h.position() <= recorded.position(LaneHash.laneOf(h.key(), recorded.lanes()))) {
                    keys.add(LaneSet.blockedKey(h.key()));
                }
            }
            for (String k : stores.held().keys(ac, name, producer)) {
                keys.add(LaneSet.blockedKey(k));
            }
            return keys;
        });
    }

    /** The default offset table: see the class comment. Null if the rows changed meanwhile. */
    private Resume plan(Connection c, OffsetStore offsets) throws SQLException {
        ConsumerStores stores = shared.stores();
        int n = config.concurrency();
        LanePositions recorded = Transactions.autoCommit(c, ac -> offsets.loadLanes(ac, name, producer));
        if (recorded == null) {
            if (n == 1) {
                return new Resume(null, plainPosition(c));
            }
            return Transactions.inTransaction(c, tx -> offsets.resetLanes(tx, name, producer, null, n, 0,
                    stores.clock().millis())) ? plan(c, offsets) : null;
        }
        Set<String> keys = heldBackKeys(c, recorded);
        if (recorded.lanes() == 1) {
            String how = plainPosition(c);
            if (state.blocked || n == 1 && keys.isEmpty()) {
                return new Resume(null, how);   // blocked: lanes once the dead letter is replayed or discarded
            }
            if (n == 1) {
                // keys held back by dead letters of an earlier run in lanes: one lane releases them in key order
                return new Resume(new LaneSet(shared, producer, state, recorded, 1, Long.MAX_VALUE, keys),
                        " in one lane, with keys held back by dead letters: " + keys.size());
            }
        }
        if (recorded.lanes() != n && recorded.uniform()) {
            boolean reset = Transactions.inTransaction(c, tx -> offsets.resetLanes(tx, name, producer, recorded, n,
                    recorded.highest(), stores.clock().millis()));
            if (reset) {
                log.info("strongzero-consumer[{}]: producer {}: offsets recorded in {} lane(s) at position {}; now in {}",
                        name, producer, recorded.lanes(), recorded.highest(), n);
            }
            return null;
        }
        state.blocked = false;
        if (recorded.lanes() == n) {
            return new Resume(new LaneSet(shared, producer, state, recorded, n, Long.MAX_VALUE, keys),
                    " in " + n + " lanes (lowest lane; lane positions " + recorded + ")");
        }
        // another lane count, lanes apart: the old assignment decides up to the highest position recorded under it
        return new Resume(new LaneSet(shared, producer, state, recorded, Math.min(recorded.lanes(), n),
                recorded.highest(), keys), ": the offsets were recorded in " + recorded.lanes() + " lanes (" + recorded
                + "), " + n + " configured; finishing the old lanes up to position " + recorded.highest() + " first");
    }
}
