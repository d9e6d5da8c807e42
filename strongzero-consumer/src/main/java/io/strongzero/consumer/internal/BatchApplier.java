package io.strongzero.consumer.internal;

import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.FailureRecord;
import io.strongzero.consumer.IdempotencyGuard;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.core.Envelope;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.Ticker;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Applies messages in the consumer's transactions and reports what happened as a {@link Result} value. Two
 * strategies, by {@link TransactionMode}: AUTO runs the handlers of a chunk and moves the position in one
 * transaction of {@link ConsumerTransactions}; MANUAL hands each message to its handler, which commits its own
 * transaction after {@code consumed(connection)}. It also writes dead letters (with the position move past a parked
 * message) and replays them, so that a stream and {@link io.strongzero.consumer.DeadLetters} apply alike.
 * Thread-safe: the streams share it. Internal API.
 *
 * @param stores      the stores this applier writes to
 * @param invoker     runs the handlers
 * @param idempotency the consumer's idempotency guard, given to the handlers
 * @param mode        the transaction mode
 * @param metrics     where applied messages are measured
 * @param ticker      the time source of handler durations
 */
public record BatchApplier(ConsumerStores stores, HandlerInvoker invoker, IdempotencyGuard idempotency,
                           TransactionMode mode, StrongZeroMetrics metrics, Ticker ticker) {

    /** What became of a chunk, a dead letter or a replay. */
    public sealed interface Result permits Committed, Failed, Conflict, Recorded {
    }

    /**
     * Committed: the position is now {@code position}; {@code applied} messages were handled and {@code skipped}
     * skipped; {@code lastProducedAt} is the last message's production time (AUTO; 0 in MANUAL); {@code afterCommit}
     * runs the handlers' after-commit actions (run it once the counts are updated; null if there are none).
     */
    public record Committed(long position, int applied, int skipped, long lastProducedAt,
                            Consumer<String> afterCommit) implements Result {
        /** Runs the handlers' after-commit actions (AUTO mode; none in MANUAL), logging as consumer {@code consumer}. */
        public void runAfterCommit(String consumer) {
            if (afterCommit != null) {
                afterCommit.accept(consumer);
            }
        }
    }

    /**
     * Rolled back: {@code message} failed with {@code cause}; {@code databaseUnavailable} if no transaction could
     * begin (not the message's fault).
     */
    public record Failed(Envelope message, Throwable cause, boolean databaseUnavailable) implements Result {
    }

    /** Rolled back: the position was not where the stream left it (another instance, or a lost commit). */
    public record Conflict(String message) implements Result {
    }

    /** A dead letter was written, with its whole failure history (earlier failures of the same message first). */
    public record Recorded(List<FailureRecord> history) implements Result {
    }

    /**
     * Told where a transaction stands: for handler timeouts, and for the stream to send its next pull while the
     * transaction commits; {@link #NONE} when nobody listens.
     */
    public interface Progress {
        /** Nothing to watch. */
        Progress NONE = new Progress() {
        };

        /** A transaction began on {@code c} (which an overrunning handler's timeout aborts). */
        default void transactionStarted(Connection c) {
        }

        /** A message's handler is about to run: its time budget starts now. */
        default void messageStarted() {
        }

        /** The handlers ran and the position was recorded: the transaction commits next (AUTO mode only). */
        default void committing() {
        }

        /** The transaction ended. */
        default void transactionEnded() {
        }
    }

    /**
     * Applies {@code chunk} (one message in MANUAL mode) from {@code producer} whose position ({@code mark}: the
     * stream's or a lane's) stands at {@code mark.expected()}, as attempt {@code attempt}.
     */
    Result apply(String producer, List<Envelope> chunk, int attempt, Mark mark, Progress progress) {
        return apply(producer, chunk, attempt, mark, progress, null);
    }

    /**
     * As {@link #apply(String, List, int, Mark, Progress)}, but a message {@code held} accepts (its key is blocked by
     * a dead letter) is not handled: it is moved to the held table in the same transaction; null holds none.
     */
    Result apply(String producer, List<Envelope> chunk, int attempt, Mark mark, Progress progress,
                 Predicate<Envelope> held) {
        return mode == TransactionMode.MANUAL ? applyManual(producer, chunk.get(0), attempt, mark, held)
                : applyAuto(producer, chunk, attempt, mark, progress, held);
    }

    /**
     * Records that a lane has applied everything it was given up to {@code mark.through()}, in a transaction of its
     * own (a lane that has no message to apply, so that the lowest lane position keeps up).
     */
    Result pass(String producer, Mark mark) {
        Result failed = transaction(null, c -> {
            if (!((OffsetStore) stores.positions()).advanceLane(c, stores.consumer(), producer, mark.lanes(),
                    mark.lane(), mark.expected(), mark.through(), null, stores.clock().millis())) {
                throw new Abort(new Conflict("the offset of consumer " + stores.consumer() + " for producer "
                        + producer + " is no longer at " + mark.describe() + " (another instance with the same name?)"));
            }
            return null;
        });
        return failed != null ? failed : new Committed(mark.through(), 0, 0, 0, null);
    }

    private Result applyAuto(String producer, List<Envelope> chunk, int attempt, Mark mark, Progress progress,
                             Predicate<Envelope> held) {
        long start = ticker.nanos();
        DeliveryContext.AfterCommit afterCommit = new DeliveryContext.AfterCommit();   // dropped unless it commits
        Envelope[] current = {chunk.get(0)};
        int[] skipped = {0};
        int[] heldCount = {0};
        Envelope last = chunk.get(chunk.size() - 1);
        try {
            stores.transactions().inTransaction(stores.dataSource(), c -> {
                progress.transactionStarted(c);
                Connection guarded = GuardedConnection.wrap(c);
                for (Envelope e : chunk) {
                    current[0] = e;
                    if (held != null && held.test(e)) {
                        stores.held().insert(c, stores.consumer(), producer, e, stores.clock().millis());
                        heldCount[0]++;
                        continue;
                    }
                    progress.messageStarted();
                    HandlerInvoker.Invocation done = invoker.invoke(producer, e,
                            DeliveryContext.auto(e, attempt, guarded, afterCommit, idempotency));
                    if (done instanceof HandlerInvoker.Failed f) {
                        throw new Abort(new Failed(e, f.cause(), false));
                    }
                    if (done instanceof HandlerInvoker.Skipped) {
                        skipped[0]++;
                    }
                }
                current[0] = last;
                advance(c, producer, mark, last, " (another instance with the same name?)");
                progress.committing();
                return null;
            });
        } catch (Abort a) {
            return a.result;
        } catch (ConsumerTransactions.Unavailable u) {
            return new Failed(chunk.get(0), u.getCause() != null ? u.getCause() : u, true);
        } catch (Exception e) {
            return new Failed(current[0], e, false);
        } finally {
            progress.transactionEnded();
        }
        metrics.committed(stores.consumer(), producer, chunk.size(), ticker.nanos() - start);
        return new Committed(mark.target(last), chunk.size() - skipped[0] - heldCount[0], skipped[0], last.producedAt(),
                afterCommit::runAll);
    }

    /**
     * MANUAL: the handler owns the transaction and commits it itself, so the consumer cannot time the commit
     * apart. A message counts as one committed transaction when its handler returns having called
     * consumed(connection), timed from the handler's call to its return (its commit included); a skipped
     * message, when the consumer committed its position.
     */
    private Result applyManual(String producer, Envelope e, int attempt, Mark mark, Predicate<Envelope> held) {
        if (held != null && held.test(e)) {
            Result failed = transaction(e, c -> {
                stores.held().insert(c, stores.consumer(), producer, e, stores.clock().millis());
                advance(c, producer, mark, e, "");
                return null;
            });
            return failed != null ? failed : new Committed(mark.target(e), 0, 0, 0, null);
        }
        DeliveryContext.ManualOffset offset = new DeliveryContext.ManualOffset(stores, producer, e, mark, null);
        long start = ticker.nanos();
        HandlerInvoker.Invocation done = invoker.invoke(producer, e, DeliveryContext.manual(e, attempt, offset, idempotency));
        if (done instanceof HandlerInvoker.Failed f) {
            return f.cause() instanceof DeliveryContext.OffsetConflictSignal s ? new Conflict(s.getMessage())
                    : new Failed(e, f.cause(), false);
        }
        boolean skipped = done instanceof HandlerInvoker.Skipped;
        if (skipped) {
            // unknown type skipped: record the position ourselves
            try {
                stores.transactions().inTransaction(stores.dataSource(), c -> {
                    advance(c, producer, mark, e, "");
                    return null;
                });
            } catch (Abort a) {
                return a.result;
            } catch (Exception x) {
                return new Failed(e, x instanceof ConsumerTransactions.Unavailable && x.getCause() != null
                        ? x.getCause() : x, false);
            }
        } else if (!offset.done()) {
            return new Failed(e, new IllegalStateException("the handler for type " + e.type()
                    + " returned without calling context.consumed(connection) in MANUAL mode: the offset was not recorded"),
                    false);
        }
        metrics.committed(stores.consumer(), producer, 1, ticker.nanos() - start);
        // lastProducedAt 0: MANUAL mode has never recorded it (lagMillis then counts from the epoch); kept as it was
        return new Committed(mark.target(e), skipped ? 0 : 1, skipped ? 1 : 0, 0, null);
    }

    /**
     * Writes {@code e} to the dead-letter table with {@code status}, merging the history of an earlier dead letter of
     * the same message; a PARKED one moves the position ({@code mark}) past it in the same transaction.
     * {@link Recorded}, {@link Conflict}, or {@link Failed} if the database failed (try again later).
     */
    Result recordDeadLetter(String producer, Envelope e, DeadLetter.Status status, List<FailureRecord> history,
                            Mark mark) {
        return recordDeadLetter(producer, e, status, history, mark, false);
    }

    /**
     * As {@link #recordDeadLetter(String, Envelope, DeadLetter.Status, List, Mark)}, for a message of a stream applied
     * in lanes too: there a BLOCKING one also moves its lane's position ({@code mark}) past it (only its key stops:
     * later messages of the key are held); {@code mark} null moves nothing; {@code fromHeld} takes the message out of
     * the held table in the same transaction.
     */
    Result recordDeadLetter(String producer, Envelope e, DeadLetter.Status status, List<FailureRecord> history,
                            Mark mark, boolean fromHeld) {
        try {
            return stores.transactions().inTransaction(stores.dataSource(), c -> {
                List<FailureRecord> all = history;
                DeadLetter earlier = stores.letters().remove(c, stores.consumer(), producer, e.id());
                if (earlier != null) {
                    List<FailureRecord> merged = new ArrayList<>(earlier.errors());
                    int base = earlier.attempts();
                    for (FailureRecord f : history) {
                        merged.add(new FailureRecord(base + f.attempt(), f.at(), f.exceptionClass(), f.message(), f.stack()));
                    }
                    all = merged;
                }
                stores.letters().insert(c, stores.consumer(), producer, e, status, all);
                if (fromHeld && !stores.held().delete(c, stores.consumer(), producer, e.position())) {
                    throw new Abort(new Conflict("held message " + e.id() + " at position " + e.position()
                            + " was released concurrently (another instance with the same name?)"));
                }
                if (mark != null && (status == DeadLetter.Status.PARKED || mark.lanes() > 0)) {
                    advance(c, producer, mark, e, "");
                }
                return new Recorded(all);
            });
        } catch (Abort a) {
            return a.result;
        } catch (RuntimeException x) {
            if (x instanceof ConsumerTransactions.Unavailable) {
                return new Failed(e, x.getCause() != null ? x.getCause() : x, true);
            }
            throw x;
        } catch (Exception x) {
            return new Failed(e, x, false);
        }
    }

    /**
     * Replays a dead letter with the current handler: AUTO runs it and removes the row (and, if {@code blocking},
     * moves the position past it) in one transaction; MANUAL leaves that to the handler's
     * {@code consumed(connection)}. {@link Committed} or {@link Failed}.
     *
     * @throws StrongZeroStorageException if no connection to the consumer's database could be had
     */
    public Result replay(String producer, Envelope e, int attempt, DeadLetter.Status status, boolean blocking) {
        boolean manual = mode == TransactionMode.MANUAL;
        DeliveryContext.AfterCommit afterCommit = manual ? null : new DeliveryContext.AfterCommit();
        String consumer = stores.consumer();
        try {
            stores.transactions().inTransaction(stores.dataSource(), c -> {
                DeliveryContext.ManualOffset offset = manual
                        ? new DeliveryContext.ManualOffset(stores, producer, e,
                                blocking ? Mark.single(e.position() - 1) : null, status) : null;
                HandlerInvoker.Invocation done = invoker.invoke(producer, e, manual
                        ? DeliveryContext.manual(e, attempt, offset, idempotency)
                        : DeliveryContext.auto(e, attempt, GuardedConnection.wrap(c), afterCommit, idempotency));
                if (done instanceof HandlerInvoker.Failed f) {
                    throw new Abort(new Failed(e, f.cause(), false));
                }
                if (manual) {
                    if (!offset.done()) {
                        throw new IllegalStateException("the MANUAL handler for type " + e.type()
                                + " returned without calling consumed(connection)");
                    }
                    return null;
                }
                if (blocking && !stores.positions().advance(c, consumer, producer, e.position() - 1, e.position(),
                        e.id(), stores.clock().millis())) {
                    throw new StrongZeroException("the offset of consumer " + consumer + " for producer " + producer
                            + " is not just before blocking message " + e.id());
                }
                if (!stores.letters().delete(c, consumer, producer, e.id(), status)) {
                    throw new StrongZeroException("dead letter " + e.id() + " was replayed or discarded concurrently");
                }
                return null;
            });
        } catch (Abort a) {
            return a.result;
        } catch (ConsumerTransactions.Unavailable u) {
            throw new StrongZeroStorageException("cannot replay dead letter " + e.id(),
                    u.getCause() instanceof SQLException s ? s : new SQLException(u.getMessage(), u.getCause()));
        } catch (Exception x) {
            return new Failed(e, x, false);
        }
        return new Committed(e.position(), 1, 0, e.producedAt(), afterCommit == null ? null : afterCommit::runAll);
    }

    /**
     * Applies a held message whose key is no longer blocked: runs its handler and takes it out of the held table in one
     * transaction (MANUAL: the handler's {@code consumed(connection)} takes it out). {@link Committed} (its position
     * is the message's; the lane's does not move: it passed the message when it was held), {@link Failed} or
     * {@link Conflict} (it was released concurrently).
     */
    Result release(String producer, Envelope e, int attempt) {
        boolean manual = mode == TransactionMode.MANUAL;
        DeliveryContext.AfterCommit afterCommit = manual ? null : new DeliveryContext.AfterCommit();
        long start = ticker.nanos();
        Result failed = transaction(e, c -> {
            DeliveryContext.ManualOffset offset = manual
                    ? DeliveryContext.ManualOffset.releasing(stores, producer, e) : null;
            HandlerInvoker.Invocation done = invoker.invoke(producer, e, manual
                    ? DeliveryContext.manual(e, attempt, offset, idempotency)
                    : DeliveryContext.auto(e, attempt, GuardedConnection.wrap(c), afterCommit, idempotency));
            if (done instanceof HandlerInvoker.Failed f) {
                throw new Abort(f.cause() instanceof DeliveryContext.OffsetConflictSignal s ? new Conflict(s.getMessage())
                        : new Failed(e, f.cause(), false));
            }
            if (manual && done instanceof HandlerInvoker.Skipped) {
                offset.consumed(c);
            } else if (manual && !offset.done()) {
                throw new IllegalStateException("the MANUAL handler for type " + e.type()
                        + " returned without calling consumed(connection)");
            }
            if (!manual && !stores.held().delete(c, stores.consumer(), producer, e.position())) {
                throw new Abort(new Conflict("held message " + e.id() + " at position " + e.position()
                        + " was released concurrently (another instance with the same name?)"));
            }
            return null;
        });
        if (failed != null) {
            return failed;
        }
        metrics.committed(stores.consumer(), producer, 1, ticker.nanos() - start);
        return new Committed(e.position(), 1, 0, e.producedAt(), afterCommit == null ? null : afterCommit::runAll);
    }

    /**
     * Moves the position ({@code mark}) to message {@code to} in the transaction of {@code c}, or rolls it back with a
     * {@link Conflict} (its message ending with {@code hint}) if the position was not there.
     */
    private void advance(Connection c, String producer, Mark mark, Envelope to, String hint)
            throws SQLException, Abort {
        if (!mark.move(stores, c, producer, to)) {
            throw new Abort(new Conflict("the offset of consumer " + stores.consumer() + " for producer " + producer
                    + " is no longer at " + mark.describe() + hint));
        }
    }

    /**
     * Runs {@code work} in one transaction: null once it committed; else the result an {@link Abort} decided, or
     * {@link Failed} for {@code subject} (unavailable if no transaction could begin).
     */
    private Result transaction(Envelope subject, ConsumerTransactions.Work<?> work) {
        try {
            stores.transactions().inTransaction(stores.dataSource(), work);
            return null;
        } catch (Abort a) {
            return a.result;
        } catch (ConsumerTransactions.Unavailable u) {
            return new Failed(subject, u.getCause() != null ? u.getCause() : u, true);
        } catch (Exception x) {
            return new Failed(subject, x, false);
        }
    }

    /** Rolls the transaction back with a result already decided (the runner rethrows it unchanged). */
    private static final class Abort extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Result result;

        Abort(Result result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
