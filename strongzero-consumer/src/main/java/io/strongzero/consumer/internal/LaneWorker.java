package io.strongzero.consumer.internal;

import io.strongzero.consumer.RetryPolicy;
import io.strongzero.core.Envelope;
import io.strongzero.core.internal.Backoff;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread of a {@link LaneSet}: takes the lanes' turns and applies them until the lanes close or stop. A
 * turn is a chunk of one lane's messages, applied in one transaction that moves the lane's position (one by one under
 * each message's retry policy if it fails; contention tried again without counting), a pass that only moves an idle
 * lane's position, or the release of a key whose dead letter was replayed or discarded. Confined to its thread.
 * Internal API.
 */
final class LaneWorker {

    private static final Logger log = LoggerFactory.getLogger(LaneWorker.class);

    private final LaneSet set;
    private final StreamWorker.Shared shared;
    private final String name;
    private final String producer;
    private final StreamState state;
    private final int lanes;
    private final BooleanSupplier running;
    private final Predicate<Envelope> held;
    private final Waiter waiter;
    private final Backoff backoff;
    private final RetryExecutor retries;
    private final DeadLetterParking parking;
    private final HandlerTimeouts timeouts;

    /** Worker {@code index} of {@code set}, the lanes of {@code producer}'s stream. */
    LaneWorker(LaneSet set, StreamWorker.Shared shared, String producer, StreamState state, int index) {
        this.set = set;
        this.shared = shared;
        this.name = shared.config().name();
        this.producer = producer;
        this.state = state;
        this.lanes = set.lanes();
        this.running = set.running();
        this.held = set.held();
        this.waiter = Waiter.sliced(running, shared.ticker());
        this.backoff = StreamWorker.reconnectBackoff(shared.config(), shared.random());
        this.retries = new RetryExecutor(name, producer, backoff, shared.random(), shared.stores().clock(), waiter,
                running, shared.metrics(), this::failed);
        this.parking = new DeadLetterParking(shared, producer, state, waiter, backoff.attempts());
        this.timeouts = shared.config().handlerTimeout() == null ? null
                : new HandlerTimeouts(name, producer, "apply-" + index + "-handler", shared.config().handlerTimeout(),
                shared.ticker());
    }

    private void failed(Throwable cause) {
        shared.counters().failures.incrementAndGet();
        state.lastError = Secrets.redact(cause.toString());
    }

    void run() {
        try {
            LaneSet.Turn t;
            while ((t = set.next()) != null) {
                long committed = t.expected();
                try {
                    committed = apply(t);
                } finally {
                    set.done(t, committed);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            if (running.getAsBoolean()) {
                log.error("strongzero-consumer[{}]: a lane of producer {} failed unexpectedly; restarting the "
                        + "lanes from their committed positions", name, producer, e);
                state.lastError = Secrets.redact(e.toString());
                shared.counters().failures.incrementAndGet();
            }
            set.stop(e.toString(), false);
            if (e instanceof VirtualMachineError v) {
                throw v;
            }
        } finally {
            if (timeouts != null) {
                timeouts.close();
            }
        }
    }

    /** Applies a turn; returns the lane's committed position after it. */
    private long apply(LaneSet.Turn t) {
        LaneSet.Lane l = t.lane();
        List<Envelope> chunk = t.chunk();
        if (t.release() != null) {
            release(l, t.release());
            return t.expected();
        }
        if (chunk.isEmpty()) {
            return pass(t);
        }
        Mark mark = Mark.lane(lanes, l.index, t.expected(), t.through());
        BatchApplier.Result r = uncontended(l, () -> applyChunk(chunk, 1, mark));
        if (r instanceof BatchApplier.Committed c) {
            return committed(c);
        } else if (r instanceof BatchApplier.Conflict c) {
            conflict(c.message());
            return t.expected();
        }
        BatchApplier.Failed f = (BatchApplier.Failed) r;
        if (!running.getAsBoolean()) {
            return t.expected();
        }
        if (chunk.size() > 1) {
            log.debug("strongzero-consumer[{}]: a transaction of {} messages of lane {} failed ({}); applying "
                    + "them one by one", name, chunk.size(), l.index, f.cause().toString());
            return oneByOne(l, chunk, t.expected(), t.through());
        }
        return applyWithRetry(l, chunk.get(0), f, mark);
    }

    private long oneByOne(LaneSet.Lane l, List<Envelope> chunk, long expected, long through) {
        long at = expected;
        for (int i = 0; i < chunk.size() && running.getAsBoolean(); i++) {
            Envelope e = chunk.get(i);
            Mark mark = Mark.lane(lanes, l.index, at, i == chunk.size() - 1 ? through : -1);
            long after = applyWithRetry(l, e, null, mark);
            if (after == at) {
                return at;    // stopped, or a conflict
            }
            at = after;
        }
        return at;
    }

    /**
     * One message under its retry policy (contention tried again without counting); parked once exhausted.
     * Returns the lane's position after it (unchanged if the lanes stop or on a conflict).
     */
    private long applyWithRetry(LaneSet.Lane l, Envelope e, BatchApplier.Failed first, Mark mark) {
        RetryExecutor.Outcome o = retries.execute(e, shared.config().retryPolicyFor(e.type()), first,
                attempt -> uncontended(l, () -> applyChunk(List.of(e), attempt, mark)));
        if (o instanceof RetryExecutor.Applied a) {
            return committed(a.committed());
        } else if (o instanceof RetryExecutor.Conflict c) {
            conflict(c.message());
        } else if (o instanceof RetryExecutor.Exhausted x) {
            if (parking.parkInLane(e, x, mark, false, this::conflict)) {
                if (x.policy().onExhausted() == RetryPolicy.OnExhausted.BLOCK) {
                    set.block(LaneSet.keyOf(e));
                }
                return mark.target(e);
            }
        }
        return mark.expected();
    }

    /**
     * Applies the held messages of {@code key}, oldest first, each in a transaction that takes it out of the held
     * table, unless a dead letter still holds the key back; then the key flows again. A held message that uses up
     * its attempts becomes a dead letter in the same way as any other: under BLOCK the key stays held back.
     */
    private void release(LaneSet.Lane l, String key) {
        String messageKey = LaneSet.messageKey(key);
        String shown = messageKey == null ? "(messages without a key)" : messageKey;
        ConsumerStores stores = shared.stores();
        Backoff.Attempts attempts = backoff.attempts();
        int released = 0;
        boolean checked = false;
        while (running.getAsBoolean()) {
            Envelope e;
            try (Connection c = stores.dataSource().getConnection()) {
                if (!checked && set.keysHeldBack(c).contains(key)) {
                    return;   // asked too early: a dead letter of the key still holds it back
                }
                checked = true;
                e = Transactions.autoCommit(c, ac -> stores.held().next(ac, name, producer, messageKey));
            } catch (SQLException x) {
                failed(x);
                waiter.pause(attempts.next());
                continue;
            }
            if (e == null) {
                set.unblock(key);
                log.info("strongzero-consumer[{}]: key {} of producer {} flows again ({} held message(s) applied)",
                        name, shown, producer, released);
                return;
            }
            RetryExecutor.Outcome o = retries.execute(e, shared.config().retryPolicyFor(e.type()), null,
                    attempt -> uncontended(l, () -> shared.applier().release(producer, e, attempt)));
            if (o instanceof RetryExecutor.Applied a) {
                committed(a.committed());
                released++;
            } else if (o instanceof RetryExecutor.Conflict c) {
                conflict(c.message());
                return;
            } else if (o instanceof RetryExecutor.Exhausted x) {
                if (!parking.parkInLane(e, x, null, true, this::conflict)
                        || x.policy().onExhausted() == RetryPolicy.OnExhausted.BLOCK) {
                    return;   // held back again by the new dead letter (or stopped)
                }
            } else {
                return;
            }
        }
    }

    /** Runs {@code transaction} until it ends otherwise than by contention (tried again without counting). */
    private BatchApplier.Result uncontended(LaneSet.Lane l, Supplier<BatchApplier.Result> transaction) {
        Backoff.Attempts contention = backoff.attempts();
        while (true) {
            BatchApplier.Result r = transaction.get();
            if (r instanceof BatchApplier.Failed f && SqlFailures.isContention(f.cause()) && running.getAsBoolean()) {
                contended(l, f, contention);
                continue;
            }
            return r;
        }
    }

    private void contended(LaneSet.Lane l, BatchApplier.Failed f, Backoff.Attempts contention) {
        long delay = Math.min(contention.next(), 200);
        log.debug("strongzero-consumer[{}]: lane {} of producer {}: {}; trying again in {} ms (not counted as an "
                + "attempt)", name, l.index, producer, f.cause().toString(), delay);
        waiter.pause(delay);
    }

    private long pass(LaneSet.Turn t) {
        Mark mark = Mark.lane(lanes, t.lane().index, t.expected(), t.through());
        Backoff.Attempts attempts = backoff.attempts();
        while (running.getAsBoolean()) {
            BatchApplier.Result r = shared.applier().pass(producer, mark);
            if (r instanceof BatchApplier.Committed c) {
                return c.position();
            } else if (r instanceof BatchApplier.Conflict c) {
                conflict(c.message());
                return t.expected();
            }
            failed(((BatchApplier.Failed) r).cause());
            waiter.pause(attempts.next());
        }
        return t.expected();
    }

    private BatchApplier.Result applyChunk(List<Envelope> chunk, int attempt, Mark mark) {
        if (timeouts == null) {
            return shared.applier().apply(producer, chunk, attempt, mark, BatchApplier.Progress.NONE, held);
        }
        return timeouts.run(() -> shared.applier().apply(producer, chunk, attempt, mark, timeouts, held),
                chunk.get(0), mark.expected(), () -> { });
    }

    private long committed(BatchApplier.Committed c) {
        state.lastAppliedProducedAt = Math.max(state.lastAppliedProducedAt, c.lastProducedAt());
        state.lastError = null;
        shared.counters().applied.addAndGet(c.applied());
        shared.counters().skipped.addAndGet(c.skipped());
        c.runAfterCommit(name);
        return c.position();
    }

    private void conflict(String message) {
        log.warn("strongzero-consumer[{}]: {}; stopping the lanes to reload the offsets", name, message);
        set.stop(message, true);
    }
}
