package io.strongzero.consumer.internal;

import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.core.Envelope;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Backoff;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.Threads;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One producer's stream applied in lanes: the stream's thread {@link #dispatch dispatches} each pulled batch to the
 * lanes ({@link LaneHash}), and worker threads ({@code strongzero-consumer-<name>-<producer>-apply-<i>}) apply each
 * lane's messages in position order, in transactions of their own that move that lane's position ({@link Mark#lane}).
 * A lane is applied by one worker at a time; workers take lanes in the order they became ready.
 *
 * <p>What a lane records: position {@code p} means every message of the lane up to {@code p} is applied. When a
 * lane's queue empties with a transaction, it records the highest position dispatched so far (the positions between
 * belong to other lanes); a lane with nothing to do records it within {@link #IDLE_PASS_MILLIS} by a transaction
 * of its own. So the lowest lane position, which the stream reports as its position and resumes after, keeps up.
 *
 * <p>Bounded: at most {@code maxBufferedMessages} messages and about {@code maxBufferedBytes} bytes are dispatched
 * and not yet applied ({@link #room}); the stream pulls no more than that room. A message at or below its lane's
 * committed position (applied before a restart) is dropped at dispatch; messages past {@code stopAt} are never
 * dispatched (a change of lane count first finishes the old lanes up to there).
 *
 * <p>A lane's transaction that fails with a serialization failure or a deadlock ({@link SqlFailures}) is tried again
 * at once, with a short backoff, without counting as a handler attempt; other failures go through the
 * {@link RetryExecutor} one message at a time, and an exhausted message is parked (its lane goes on). A position
 * conflict (another instance, or a lost commit) stops the lanes: the stream reloads the positions and starts them
 * again. Internal API.
 */
final class LaneSet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LaneSet.class);

    /** How long a lane with nothing to apply waits before recording the dispatched position by itself. */
    static final long IDLE_PASS_MILLIS = 1_000;

    /** The key of keyless messages in {@link #blocked()}: a key never holds a control character. */
    static final String NO_KEY = "\u0000";

    /** {@code e}'s key as {@link #blocked()} holds it. */
    static String keyOf(Envelope e) {
        return e.key() == null ? NO_KEY : e.key();
    }

    /** The message key ({@code null} for none) of a key as {@link #blocked()} holds it. */
    static String messageKey(String key) {
        return NO_KEY.equals(key) ? null : key;
    }

    /** One lane: its queue and committed position. Guarded by the set's lock. */
    private static final class Lane {
        final int index;
        final ArrayDeque<Envelope> queue = new ArrayDeque<>();
        /** Keys whose held messages are to be applied (their dead letter was replayed or discarded). */
        final Set<String> releasing = new LinkedHashSet<>();
        long committed;
        /** The production time of the first message of the turn being applied, 0 if none. */
        long inFlightProducedAt;
        /** In the ready queue or being applied. */
        boolean scheduled;
        long lastWriteMillis;

        Lane(int index, long committed) {
            this.index = index;
            this.committed = committed;
        }
    }

    /** A lane's turn: what a worker took under the lock. */
    private record Turn(Lane lane, List<Envelope> chunk, long expected, long through, long bytes, String release) {
    }

    private final StreamWorker.Shared shared;
    private final String name;
    private final String producer;
    private final StreamState state;
    private final int lanes;
    private final long stopAt;
    private final Lane[] lane;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private final Ticker ticker;
    private final BooleanSupplier running;
    private long dispatched;
    private int bufferedMessages;
    private long bufferedBytes;
    private int busy;
    private long nextIdleScan;
    private volatile boolean open = true;
    /** Why the lanes stopped (a position conflict or an unexpected failure), or null. */
    private volatile String stopped;
    private volatile boolean conflict;
    /**
     * Keys held back by a BLOCKING dead letter: their later messages go to the held table. Written by the worker that
     * has the key's lane (blocking) or releases it; read by the stream's thread.
     */
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    /** Accepts the messages to hold instead of applying. */
    private final Predicate<Envelope> held = e -> !blocked.isEmpty() && blocked.contains(keyOf(e));

    /**
     * The lanes of {@code producer}'s stream under {@code positions} (the lane count and each lane's committed
     * position), applied by {@code workers} threads, dispatching nothing past {@code stopAt}. {@link #start()} starts
     * the workers.
     */
    LaneSet(StreamWorker.Shared shared, String producer, StreamState state, LanePositions positions, int workers,
            long stopAt, Collection<String> blockedKeys) {
        this.shared = shared;
        this.name = shared.config().name();
        this.producer = producer;
        this.state = state;
        this.lanes = positions.lanes();
        this.stopAt = stopAt;
        this.ticker = shared.ticker();
        this.running = () -> open && shared.running().getAsBoolean();
        this.lane = new Lane[lanes];
        long now = ticker.millis();
        for (int i = 0; i < lanes; i++) {
            lane[i] = new Lane(i, positions.position(i));
            lane[i].lastWriteMillis = now;
        }
        this.dispatched = positions.lowest();
        this.nextIdleScan = now + IDLE_PASS_MILLIS;
        for (int w = 0; w < workers; w++) {
            Worker worker = new Worker(w);
            this.workers.add(Threads.newThread("consumer", name + "-" + producer + "-apply-" + w, worker::run));
        }
        state.position = positions.lowest();
        state.lanes = lanes;
        blocked.addAll(blockedKeys);
    }

    /** The keys held back now (keyless messages as {@link #NO_KEY}). */
    Set<String> blocked() {
        return Set.copyOf(blocked);
    }

    /**
     * Has the lane of {@code key} (as {@link #blocked()} holds it) apply its held messages, in position order, before
     * anything else: its dead letter was replayed or discarded. The lane checks that no dead letter holds the key
     * back any more first.
     */
    void release(String key) {
        lock.lock();
        try {
            Lane l = lane[LaneHash.laneOf(messageKey(key), lanes)];
            if (l.releasing.add(key) && !l.scheduled) {
                l.scheduled = true;
                ready.add(l);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void start() {
        workers.forEach(Thread::start);
    }

    /** The highest position these lanes take ({@code Long.MAX_VALUE} unless old lanes are being finished). */
    long stopAt() {
        return stopAt;
    }

    /** The lane count. */
    int lanes() {
        return lanes;
    }

    /** The position the stream pulls after: the highest dispatched (or skipped) so far. */
    long dispatched() {
        lock.lock();
        try {
            return dispatched;
        } finally {
            lock.unlock();
        }
    }

    /** Why the lanes stopped (the stream must reload and start them again), or null while they run. */
    String stopped() {
        return stopped;
    }

    /** True if they stopped on a position conflict (not a failure). */
    boolean conflict() {
        return conflict;
    }

    /**
     * The room left in the buffer, as {@code {messages, bytes}}; when there is none, waits up to {@code waitMillis}
     * for a lane to commit first (counting the wait in the metrics). Zero messages if there is still none.
     */
    long[] room(long waitMillis) {
        int maxMessages = shared.config().maxBufferedMessages();
        long maxBytes = shared.config().maxBufferedBytes();
        lock.lock();
        try {
            if (bufferedMessages >= maxMessages || bufferedBytes >= maxBytes) {
                long start = ticker.nanos();
                state.bufferFull = true;
                changed.await(waitMillis, TimeUnit.MILLISECONDS);   // a lane committed, or time to look again
                shared.metrics().bufferFull(name, producer, ticker.nanos() - start);
            }
            boolean full = bufferedMessages >= maxMessages || bufferedBytes >= maxBytes;
            state.bufferFull = full;
            return full ? new long[] {0, 0} : new long[] {maxMessages - bufferedMessages, maxBytes - bufferedBytes};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new long[] {0, 0};
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands a pulled batch to the lanes (in position order, each message after the last dispatched one); messages
     * a lane applied before (at or below its committed position) are dropped, and nothing past {@code stopAt} is
     * taken. Returns the position the stream pulls after next.
     */
    long dispatch(List<Envelope> batch) {
        lock.lock();
        try {
            for (Envelope e : batch) {
                long p = e.position();
                if (p > stopAt) {
                    break;
                }
                if (p <= dispatched) {
                    continue;   // a reply overlapping what was dispatched: never twice
                }
                dispatched = p;
                Lane l = lane[LaneHash.laneOf(e.key(), lanes)];
                if (p <= l.committed) {
                    continue;   // applied by its lane before a restart
                }
                l.queue.add(e);
                if (bufferedMessages == 0 && busy == 0) {
                    state.oldestPendingProducedAt = e.producedAt();   // nothing older waits
                }
                bufferedMessages++;
                bufferedBytes += e.wireSize();
                if (!l.scheduled) {
                    l.scheduled = true;
                    ready.add(l);
                }
            }
            state.buffered = bufferedMessages;
            changed.signalAll();
            return dispatched;
        } finally {
            lock.unlock();
        }
    }

    /**
     * True once everything up to {@code stopAt} has been dispatched and applied and no lane is busy: the positions
     * can then be recorded anew, under another lane count.
     */
    boolean drained() {
        lock.lock();
        try {
            return dispatched >= stopAt && bufferedMessages == 0 && busy == 0 && stopped == null;
        } finally {
            lock.unlock();
        }
    }

    /** Each lane's committed position (the lanes must be {@link #drained()} for this to match the table). */
    LanePositions positions() {
        lock.lock();
        try {
            long[] p = new long[lanes];
            for (int i = 0; i < lanes; i++) {
                p[i] = lane[i].committed;
            }
            return new LanePositions(lanes, p);
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} for a lane to commit or stop. */
    void awaitChange(long millis) {
        lock.lock();
        try {
            changed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the workers: each finishes the transaction it is in (its handler's timeout applies), at most
     * {@code timeout} in all; then they are interrupted. Queued messages are dropped (their positions were not
     * recorded: they are pulled again). False if a worker had to be interrupted.
     */
    boolean close(Duration timeout) {
        open = false;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = ticker.nanos() + timeout.toNanos();
        boolean joined = true;
        for (Thread t : workers) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - ticker.nanos()));
            joined &= Threads.join(t, left);
        }
        if (!joined) {
            workers.forEach(Thread::interrupt);
        }
        state.buffered = 0;
        state.bufferFull = false;
        state.oldestPendingProducedAt = 0;
        return joined;
    }

    @Override
    public void close() {
        close(shared.config().closeTimeout());
    }

    private void stop(String why, boolean onConflict) {
        lock.lock();
        try {
            if (stopped == null) {
                conflict = onConflict;
                stopped = why;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next lane's turn, waiting for one; null once the lanes close or stop. */
    private Turn next() throws InterruptedException {
        int size = shared.config().transactionMode() == TransactionMode.MANUAL ? 1 : shared.config().transactionSize();
        lock.lock();
        try {
            while (true) {
                if (!running.getAsBoolean() || stopped != null) {
                    return null;
                }
                long now = ticker.millis();
                if (now - nextIdleScan >= 0) {
                    nextIdleScan = now + IDLE_PASS_MILLIS;
                    scheduleIdlePasses(now);
                }
                Lane l = ready.poll();
                if (l != null && !l.releasing.isEmpty()) {
                    String key = l.releasing.iterator().next();
                    l.releasing.remove(key);
                    busy++;
                    return new Turn(l, List.of(), l.committed, l.committed, 0, key);
                }
                if (l != null) {
                    List<Envelope> chunk = new ArrayList<>(Math.min(size, l.queue.size()));
                    long bytes = 0;
                    while (chunk.size() < size && !l.queue.isEmpty()) {
                        Envelope e = l.queue.poll();
                        bytes += e.wireSize();
                        chunk.add(e);
                    }
                    l.inFlightProducedAt = chunk.isEmpty() ? 0 : chunk.get(0).producedAt();
                    // an emptied queue: every message of this lane up to what was dispatched is in this chunk
                    long through = l.queue.isEmpty() ? dispatched : chunk.get(chunk.size() - 1).position();
                    busy++;
                    return new Turn(l, chunk, l.committed, through, bytes, null);
                }
                changed.await(Math.max(1, nextIdleScan - now), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Schedules a pass for each idle lane whose position trails what was dispatched and that has not written lately. */
    private void scheduleIdlePasses(long now) {
        for (Lane l : lane) {
            if (!l.scheduled && l.committed < dispatched && now - l.lastWriteMillis >= IDLE_PASS_MILLIS) {
                l.scheduled = true;
                ready.add(l);
            }
        }
    }

    /** A turn ended: the lane's committed position is {@code committed} (unchanged if nothing committed). */
    private void done(Turn t, long committed) {
        lock.lock();
        try {
            Lane l = t.lane();
            if (committed > l.committed) {
                l.committed = committed;
                l.lastWriteMillis = ticker.millis();
            }
            busy--;
            bufferedMessages -= t.chunk().size();
            bufferedBytes -= t.bytes();
            if ((!l.queue.isEmpty() || !l.releasing.isEmpty()) && stopped == null) {
                ready.add(l);
            } else {
                l.scheduled = false;
            }
            l.inFlightProducedAt = 0;
            long lowest = Long.MAX_VALUE;
            long oldest = Long.MAX_VALUE;
            for (Lane each : lane) {
                lowest = Math.min(lowest, each.committed);
                Envelope next = each.queue.peek();
                long pending = each.inFlightProducedAt != 0 ? each.inFlightProducedAt : next != null ? next.producedAt() : 0;
                if (pending != 0) {
                    oldest = Math.min(oldest, pending);
                }
            }
            state.position = lowest;
            state.oldestPendingProducedAt = oldest == Long.MAX_VALUE ? 0 : oldest;
            state.buffered = bufferedMessages;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A worker thread: takes lanes' turns and applies them until the lanes close or stop. */
    private final class Worker {
        private final Waiter waiter = Waiter.sliced(running, ticker);
        private final Backoff backoff = StreamWorker.reconnectBackoff(shared.config(), shared.random());
        private final RetryExecutor retries = new RetryExecutor(name, producer, backoff, shared.random(),
                shared.stores().clock(), waiter, running, shared.metrics(), this::failed);
        private final DeadLetterParking parking;
        private final HandlerTimeouts timeouts;

        Worker(int index) {
            this.parking = new DeadLetterParking(shared, producer, state, waiter, backoff.attempts());
            this.timeouts = shared.config().handlerTimeout() == null ? null
                    : new HandlerTimeouts(name, producer, "apply-" + index + "-handler", shared.config().handlerTimeout(),
                    ticker);
        }

        private void failed(Throwable cause) {
            shared.counters().failures.incrementAndGet();
            state.lastError = Secrets.redact(cause.toString());
        }

        void run() {
            try {
                Turn t;
                while ((t = next()) != null) {
                    long committed = t.expected();
                    try {
                        committed = apply(t);
                    } finally {
                        done(t, committed);
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
                stop(e.toString(), false);
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
        private long apply(Turn t) {
            Lane l = t.lane();
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

        private long oneByOne(Lane l, List<Envelope> chunk, long expected, long through) {
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
        private long applyWithRetry(Lane l, Envelope e, BatchApplier.Failed first, Mark mark) {
            RetryExecutor.Outcome o = retries.execute(e, shared.config().retryPolicyFor(e.type()), first,
                    attempt -> uncontended(l, () -> applyChunk(List.of(e), attempt, mark)));
            if (o instanceof RetryExecutor.Applied a) {
                return committed(a.committed());
            } else if (o instanceof RetryExecutor.Conflict c) {
                conflict(c.message());
            } else if (o instanceof RetryExecutor.Exhausted x) {
                if (parking.parkInLane(e, x, mark, false, this::conflict)) {
                    if (x.policy().onExhausted() == RetryPolicy.OnExhausted.BLOCK) {
                        blocked.add(keyOf(e));
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
        private void release(Lane l, String key) {
            String messageKey = messageKey(key);
            String shown = messageKey == null ? "(messages without a key)" : messageKey;
            ConsumerStores stores = shared.stores();
            Backoff.Attempts attempts = backoff.attempts();
            int released = 0;
            boolean checked = false;
            while (running.getAsBoolean()) {
                Envelope e;
                try (Connection c = stores.dataSource().getConnection()) {
                    if (!checked && stillHeldBack(c, messageKey)) {
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
                    blocked.remove(key);
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

        /** True if a dead letter of {@code messageKey} still holds it back (the release was asked for too early). */
        private boolean stillHeldBack(Connection c, String messageKey) throws SQLException {
            return Transactions.autoCommit(c, ac -> {
                for (DeadLetterStore.Hold h : shared.stores().letters().holds(ac, name, producer)) {
                    if (Objects.equals(h.key(), messageKey)) {
                        return true;
                    }
                }
                return false;
            });
        }

        /** Runs {@code transaction} until it ends otherwise than by contention (tried again without counting). */
        private BatchApplier.Result uncontended(Lane l, Supplier<BatchApplier.Result> transaction) {
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

        private void contended(Lane l, BatchApplier.Failed f, Backoff.Attempts contention) {
            long delay = Math.min(contention.next(), 200);
            log.debug("strongzero-consumer[{}]: lane {} of producer {}: {}; trying again in {} ms (not counted as an "
                    + "attempt)", name, l.index, producer, f.cause().toString(), delay);
            waiter.pause(delay);
        }

        private long pass(Turn t) {
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
            stop(message, true);
        }
    }
}
