package io.strongzero.consumer.internal;

import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.FailureRecord;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.core.Envelope;
import io.strongzero.core.internal.Backoff;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a message that used up its attempts (and to the dead letters an operator asks to replay,
 * {@link #replayRequested}): under {@link RetryPolicy.OnExhausted#DEAD_LETTER} it is
 * parked (dead letter written and the position moved past it, in one transaction) and the stream goes on; under
 * {@link RetryPolicy.OnExhausted#BLOCK} it is written as BLOCKING and the stream stops. A database failure is retried
 * with the stream's backoff; metrics and the dead-letter listener are told. Confined to its stream's thread.
 */
final class DeadLetterParking {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterParking.class);

    private final StreamWorker.Shared shared;
    private final String name;
    private final String producer;
    private final StreamState state;
    private final Waiter waiter;
    private final Backoff.Attempts failures;

    DeadLetterParking(StreamWorker.Shared shared, String producer, StreamState state, Waiter waiter,
                      Backoff.Attempts failures) {
        this.shared = shared;
        this.name = shared.config().name();
        this.producer = producer;
        this.state = state;
        this.waiter = waiter;
        this.failures = failures;
    }

    /**
     * Parks or blocks {@code e}, moving {@code mark} past a parked one. True if the stream may go on after it (parked:
     * the caller records its new position); false if it blocks the stream, the consumer closes, or the position moved
     * (then {@code onConflict} was told).
     */
    boolean park(Envelope e, RetryExecutor.Exhausted exhausted, Mark mark, Consumer<String> onConflict) {
        return park(e, exhausted, mark, false, onConflict);
    }

    /**
     * As {@link #park(Envelope, RetryExecutor.Exhausted, Mark, Consumer)}, for a stream applied in lanes: there a
     * BLOCKING message moves its lane past it too, and only its key stops (the caller holds the key's later messages),
     * so the lane may go on (true) either way; {@code fromHeld}: the message comes out of the held table.
     */
    boolean parkInLane(Envelope e, RetryExecutor.Exhausted exhausted, Mark mark, boolean fromHeld,
                       Consumer<String> onConflict) {
        return park(e, exhausted, mark, fromHeld, onConflict);
    }

    private boolean park(Envelope e, RetryExecutor.Exhausted exhausted, Mark mark, boolean fromHeld,
                         Consumer<String> onConflict) {
        boolean perKey = mark == null || mark.lanes() > 0;
        RetryPolicy policy = exhausted.policy();
        List<FailureRecord> history = exhausted.history();
        boolean retryable = exhausted.retryable();
        FailureRecord last = history.get(history.size() - 1);
        String why = retryable ? "after " + history.size() + " attempts" : "with a non-retryable failure";
        DeadLetter.Status status = policy.onExhausted() == RetryPolicy.OnExhausted.BLOCK
                ? DeadLetter.Status.BLOCKING : DeadLetter.Status.PARKED;
        while (shared.running().getAsBoolean()) {
            BatchApplier.Result r = shared.applier().recordDeadLetter(producer, e, status, history, mark, fromHeld);
            if (r instanceof BatchApplier.Conflict c) {
                onConflict.accept(c.message());
                return false;
            }
            if (r instanceof BatchApplier.Failed f) {
                shared.counters().failures.incrementAndGet();
                state.lastError = f.cause().toString();
                log.warn("strongzero-consumer[{}]: cannot record dead letter {} ({}); retrying", name, e.id(),
                        f.cause().toString());
                waiter.pause(failures.next());
                continue;
            }
            List<FailureRecord> all = ((BatchApplier.Recorded) r).history();
            if (status == DeadLetter.Status.PARKED) {
                shared.counters().parked.incrementAndGet();
                log.warn("strongzero-consumer[{}]: parked message {} (producer {}, position {}, type {}) in {} {}: "
                        + "{}: {}", name, e.id(), producer, e.position(), e.type(), shared.stores().letters().table(), why,
                        last.exceptionClass(), last.message());
            } else if (perKey) {
                log.error("strongzero-consumer[{}]: message {} (producer {}, position {}, type {}) failed {} and BLOCKS "
                        + "its key {}: later messages of the key are held until it is replayed or discarded; other keys "
                        + "go on: {}: {}", name, e.id(), producer, e.position(), e.type(), why,
                        e.key() == null ? "(messages without a key)" : e.key(), last.exceptionClass(), last.message());
            } else {
                state.blocked = true;
                log.error("strongzero-consumer[{}]: message {} (producer {}, position {}, type {}) failed {} and "
                        + "BLOCKS the stream until it is replayed or discarded: {}: {}", name, e.id(), producer,
                        e.position(), e.type(), why, last.exceptionClass(), last.message());
            }
            shared.metrics().deadLettered(name, producer, e.type(), status == DeadLetter.Status.BLOCKING);
            notifyListener(e, status, all);
            return status == DeadLetter.Status.PARKED || perKey;
        }
        return false;
    }

    /**
     * Replays the dead letters an operator asked to replay (status REPLAY_REQUESTED) with the current handlers; one
     * that fails again goes back to BLOCKING if it holds the stream back (the stream stands just before it) or, in
     * lanes ({@code inLanes}), if its type's policy blocks; else to PARKED. Returns true if the stream's single
     * position moved (a replayed message the stream had stopped at): the caller loads it again.
     */
    boolean replayRequested(boolean inLanes) {
        ConsumerStores stores = shared.stores();
        List<DeadLetter> requested;
        try (Connection c = stores.dataSource().getConnection()) {
            requested = Transactions.autoCommit(c, ac -> stores.letters().list(ac, name, producer, null,
                    DeadLetter.Status.REPLAY_REQUESTED, 1000));
        } catch (SQLException e) {
            state.lastError = e.toString();
            return false;
        }
        boolean moved = false;
        long before = state.position;
        for (DeadLetter l : requested) {
            if (!shared.replayer().replay(producer, l.id())) {
                // failed again: back to its previous state, with the failure in its history
                try (Connection c = stores.dataSource().getConnection()) {
                    Transactions.useAutoCommit(c, ac -> {
                        boolean holds = inLanes
                                ? shared.config().retryPolicyFor(l.type()).onExhausted() == RetryPolicy.OnExhausted.BLOCK
                                : l.position() == state.position + 1;
                        DeadLetter.Status back = holds ? DeadLetter.Status.BLOCKING : DeadLetter.Status.PARKED;
                        stores.letters().setStatus(ac, name, producer, l.id(), back);
                        if (back == DeadLetter.Status.BLOCKING && !inLanes) {
                            state.blocked = true;   // in lanes only its key is held back: the stream goes on
                        }
                    });
                } catch (SQLException e) {
                    state.lastError = e.toString();
                }
            } else if (!inLanes && l.position() == before + 1) {
                moved = true;
            }
        }
        return moved;
    }

    private void notifyListener(Envelope e, DeadLetter.Status status, List<FailureRecord> history) {
        try {
            List<FailureRecord> kept = DeadLetterStore.bound(history);
            shared.listener().onDeadLetter(new DeadLetter(name, producer, e.id(), e.position(), e.type(),
                    e.contentType(), e.payload(), Instant.ofEpochMilli(e.producedAt()), status,
                    history.get(history.size() - 1).attempt(), kept.get(0).at(), kept.get(kept.size() - 1).at(),
                    kept, null, e.key(), e.headers().asMap()));
        } catch (RuntimeException x) {
            log.warn("strongzero-consumer[{}]: dead-letter listener threw; ignored", name, x);
        }
    }

}
