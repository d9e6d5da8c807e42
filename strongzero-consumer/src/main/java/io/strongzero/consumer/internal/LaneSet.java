package io.strongzero.consumer.internal;

import io.strongzero.consumer.TransactionMode;
import io.strongzero.core.Envelope;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.Threads;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
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
        return blockedKey(e.key());
    }

    /** A message key ({@code null} for none) as {@link #blocked()} holds it. */
    static String blockedKey(String messageKey) {
        return messageKey == null ? NO_KEY : messageKey;
    }

    /** The message key ({@code null} for none) of a key as {@link #blocked()} holds it. */
    static String messageKey(String key) {
        return NO_KEY.equals(key) ? null : key;
    }

    /** One lane: its queue and committed position. Guarded by the set's lock. */
    static final class Lane {
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
    record Turn(Lane lane, List<Envelope> chunk, long expected, long through, long bytes, String release) {
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
            LaneWorker worker = new LaneWorker(this, shared, producer, state, w);
            this.workers.add(Threads.newThread("consumer", name + "-" + producer + "-apply-" + w, worker::run));
        }
        state.position = positions.lowest();
        state.lanes = lanes;
        blocked.addAll(blockedKeys);
    }

    /** Whether the lanes run: false once they close or the consumer does. */
    BooleanSupplier running() {
        return running;
    }

    /** Accepts the messages to hold instead of applying: those of a blocked key. */
    Predicate<Envelope> held() {
        return held;
    }

    /** Holds back {@code key} (as {@link #blocked()} holds it): its dead letter was just written. */
    void block(String key) {
        blocked.add(key);
    }

    /** Lets {@code key} flow again: its held messages are applied. */
    void unblock(String key) {
        blocked.remove(key);
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

    /**
     * The keys (as {@link #blocked()} holds them) that a dead letter holds back now: BLOCKING, or replay-requested (a
     * replay not carried out yet).
     */
    Set<String> keysHeldBack(Connection c) throws SQLException {
        return Transactions.autoCommit(c, ac -> {
            Set<String> keys = new HashSet<>();
            for (DeadLetterStore.Hold h : shared.stores().letters().holds(ac, name, producer)) {
                keys.add(blockedKey(h.key()));
            }
            return keys;
        });
    }

    /**
     * Asks the lanes to release the blocked keys that no dead letter holds back any more (replayed or discarded, here
     * or by another process). The blocked keys are read before the dead letters, so that a key blocked meanwhile is
     * left for the next check. A database failure is left for the next check too (it is the stream's last error).
     */
    void releaseKeysNoLongerHeldBack() {
        Set<String> candidates = blocked();
        if (candidates.isEmpty()) {
            return;
        }
        Set<String> stillHeld;
        try (Connection c = shared.stores().dataSource().getConnection()) {
            stillHeld = keysHeldBack(c);
        } catch (SQLException e) {
            state.lastError = Secrets.redact(e.toString());
            return;
        }
        for (String key : candidates) {
            if (!stillHeld.contains(key)) {
                release(key);
            }
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

    void stop(String why, boolean onConflict) {
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
    Turn next() throws InterruptedException {
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
    void done(Turn t, long committed) {
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
}
