package io.strongzero.consumer.internal;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.consumer.DeadLetterListener;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Backoff;
import io.strongzero.core.internal.Endpoints;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.Threads;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One producer's stream on its own thread ({@code strongzero-consumer-<name>-<producer>}): loads the position,
 * pulls with a {@link PullClient}, applies each batch with the {@link BatchApplier} (failed messages through a
 * {@link RetryExecutor}, exhausted ones into the dead-letter table), stops while a BLOCKING dead letter holds the
 * stream and carries out the replays operators request. Its {@link StreamState} is readable from any thread.
 * Internal API.
 */
public final class StreamWorker {

    private static final Logger log = LoggerFactory.getLogger(StreamWorker.class);

    /** Replays a dead letter through the consumer's dead-letter operations; true if it was applied. */
    @FunctionalInterface
    public interface Replayer {
        boolean replay(String producer, FlakeId id);
    }

    /** The collaborators every stream of a consumer shares. */
    public record Shared(ConsumerConfig config, ConsumerStores stores, BatchApplier applier, ConsumerCounters counters,
                         Ticker ticker, DoubleSupplier random, StrongZeroMetrics metrics, DeadLetterListener listener,
                         BooleanSupplier running, Replayer replayer) {
    }

    private final Shared shared;
    private final ConsumerConfig config;
    private final String name;
    private final String producer;
    private final StreamState state;
    private final Thread thread;
    private final BooleanSupplier running;
    private final Backoff reconnect;
    /** Failures of pulls and of dead-letter writes since the last good reply. */
    private final Backoff.Attempts failures;
    private final Waiter waiter;
    private final PullClient client;
    private final RetryExecutor retries;
    private final HandlerTimeouts timeouts;
    private final DeadLetterParking parking;
    /** Decides how the stream resumes from the stored positions. */
    private final StreamStart start;
    /** A pull of this stream was answered once: a later recovery is a re-established connection. */
    private boolean pulled;
    /** A pull failed (no reply, not sent, connection lost) since the last answered one: log the recovery. */
    private boolean outage;
    /** The position to ask for the next batch after while the current one is applied (prefetch), or -1. */
    private long prefetchAfter = -1;
    /** The pull sent while a batch was applied, or null. */
    private PullClient.Pending prefetched;
    /** With lanes ({@code concurrency > 1}, or old lanes being finished): the lanes that apply; null otherwise. */
    private LaneSet lanes;
    /** When (ticker millis) replay requests are next looked for, and, with lanes, keys no longer held back. */
    private long nextReplayCheck;
    private long nextReleaseCheck;
    /** In AUTO mode without handler timeouts: sends the prefetch pull while the transaction commits. */
    private final BatchApplier.Progress prefetchOnCommit = new BatchApplier.Progress() {
        @Override
        public void committing() {
            sendPrefetch();
        }
    };

    /** The stream of {@code producer} at {@code endpoint}; {@link #start()} starts its thread. */
    public StreamWorker(Shared shared, String producer, String endpoint) {
        this.shared = shared;
        this.config = shared.config();
        this.name = config.name();
        this.producer = producer;
        this.state = new StreamState(producer, endpoint);
        this.running = shared.running();
        this.reconnect = reconnectBackoff(config, shared.random());
        this.failures = reconnect.attempts();
        this.waiter = Waiter.sliced(running, shared.ticker());
        this.client = new PullClient(config, producer, endpoint, shared.ticker(), running, () -> state.position);
        this.retries = new RetryExecutor(name, producer, reconnect, shared.random(), shared.stores().clock(), waiter,
                running, shared.metrics(), this::failed);
        this.timeouts = config.handlerTimeout() == null ? null
                : new HandlerTimeouts(name, producer, config.handlerTimeout(), shared.ticker());
        this.parking = new DeadLetterParking(shared, producer, state, waiter, failures);
        this.start = new StreamStart(shared, producer, state);
        this.thread = Threads.newThread("consumer", name + "-" + producer, this::run);
    }

    /**
     * The backoff between reconnects and database retries, with equal jitter. Its cap is the configured one, or
     * {@code base * 2^20} if that is lower: the consumer has always stopped doubling after 20 failures.
     */
    static Backoff reconnectBackoff(ConsumerConfig c, DoubleSupplier random) {
        long base = Math.max(1, c.reconnectBackoffBase().toMillis());
        long cap = c.reconnectBackoffCap().toMillis();
        return new Backoff(c.reconnectBackoffBase(), base > (cap >> 20) ? c.reconnectBackoffCap()
                : Duration.ofMillis(Math.min(cap, base << 20)), random);
    }

    /** What is known about this stream. */
    public StreamState state() {
        return state;
    }

    /** The stream's thread. */
    public Thread thread() {
        return thread;
    }

    /** Starts the thread (warning first if the producer is pulled in plaintext off loopback). */
    public void start() {
        if (!config.producerKeys().containsKey(producer) && !Endpoints.isLocal(state.endpoint())) {
            log.warn("strongzero-consumer[{}]: producer {} at {} is not on loopback and is pulled WITHOUT "
                    + "encryption or authentication; configure curveKeyPair(...) and producerKey(...) "
                    + "(docs/security.md)", name, producer, state.endpoint());
        }
        thread.start();
    }

    /**
     * Waits for the streams' threads to end, at most {@code timeout} in all (by {@code ticker}); interrupts them all
     * if one did not. False if one had to be interrupted.
     */
    public static boolean stopAll(Collection<StreamWorker> streams, Duration timeout, Ticker ticker) {
        long deadline = ticker.nanos() + timeout.toNanos();
        boolean stopped = true;
        for (StreamWorker w : streams) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - ticker.nanos()));
            stopped &= Threads.join(w.thread, left);
        }
        if (!stopped) {
            for (StreamWorker w : streams) {
                w.thread.interrupt();
            }
        }
        return stopped;
    }

    private void failed(Throwable cause) {
        shared.counters().failures.incrementAndGet();
        state.lastError = cause.toString();
    }

    private void run() {
        int restarts = 0;
        try {
            while (running.getAsBoolean()) {
                try {
                    if (!loadOffset()) {
                        return;
                    }
                    client.open();
                    stream();
                    return;
                } catch (RuntimeException | AssertionError e) {
                    if (!running.getAsBoolean()) {
                        return;
                    }
                    // A bug or a transport failure nobody anticipated must not stop the stream for good: start
                    // over from the committed offset (nothing uncommitted is lost, nothing committed repeats).
                    restarts++;
                    shared.counters().failures.incrementAndGet();
                    state.lastError = Secrets.redact(e.toString());
                    log.error("strongzero-consumer[{}]: stream of producer {} failed unexpectedly ({} so far); "
                            + "restarting it from the committed offset", name, producer, restarts, e);
                    closeLanes();
                    client.close();
                    waiter.pause(reconnect.delayMillis(restarts));
                }
            }
        } catch (Error e) {
            log.error("strongzero-consumer[{}]: stream of producer {} stopped by an unexpected failure", name, producer, e);
            state.lastError = Secrets.redact(e.toString());
        } finally {
            closeLanes();
            if (timeouts != null) {
                timeouts.close();
            }
            client.close();
        }
    }

    /** Pulls and applies until the consumer closes. */
    private void stream() {
        PullClient.Pending pending = null;
        Ticker ticker = shared.ticker();
        nextReplayCheck = ticker.millis();
        nextReleaseCheck = ticker.millis();
        while (running.getAsBoolean()) {
            if (lanes != null) {
                if (ticker.millis() - nextReplayCheck >= 0) {
                    nextReplayCheck = ticker.millis() + 2_000;
                    processReplayRequests();
                }
                if (lanes != null && ticker.millis() - nextReleaseCheck >= 0) {
                    nextReleaseCheck = ticker.millis() + 500;
                    lanes.releaseKeysNoLongerHeldBack();
                }
                pending = laneStep(pending);
                continue;
            }
            if (state.blocked) {
                waitWhileBlocked();
                pending = null;
                continue;
            }
            if (ticker.millis() - nextReplayCheck >= 0) {
                nextReplayCheck = ticker.millis() + 2_000;
                if (processReplayRequests()) {
                    pending = null;
                    continue;
                }
            }
            if (pending == null || pending.after() != state.position) {
                pending = send(state.position);
                if (pending == null) {
                    continue;
                }
            }
            List<Envelope> batch = receive(pending);
            pending = null;
            if (batch == null || batch.isEmpty()) {
                continue;
            }
            if (config.prefetch()) {
                // the next batch while this one is applied: asked for once the handlers run (with handler timeouts,
                // on their thread) or as the transaction commits, not before: waking the socket's I/O thread can
                // take the CPU from this one for milliseconds, which must not delay the handlers
                prefetchAfter = batch.get(batch.size() - 1).position();
                if (config.transactionMode() == TransactionMode.MANUAL && timeouts == null) {
                    sendPrefetch();   // the handler commits by itself: ask before it runs, as ever
                }
            }
            apply(batch);
            prefetchAfter = -1;       // not asked for (the transaction failed first): the loop asks after the position
            pending = prefetched;
            prefetched = null;
        }
    }

    /**
     * One step of a stream applied in lanes: pulls after the highest dispatched position as long as the buffer has
     * room (asking for no more than that room) and hands the batch to the lanes; reloads the positions when the lanes
     * stopped on a conflict, and records the new lane count once old lanes are finished. Returns the pull in flight.
     */
    private PullClient.Pending laneStep(PullClient.Pending pending) {
        String stopped = lanes.stopped();
        if (stopped != null) {
            if (!lanes.conflict()) {
                throw new IllegalStateException("the lanes of producer " + producer + " stopped: " + stopped);
            }
            loadOffset();
            return null;
        }
        if (lanes.drained()) {
            finishOldLanes();
            return null;
        }
        long after = lanes.dispatched();
        if (after >= lanes.stopAt()) {
            lanes.awaitChange(100);   // finishing old lanes: nothing more to pull until they are done
            return null;
        }
        if (pending == null || pending.after() != after) {
            long[] room = lanes.room(100);
            if (room[0] == 0) {
                return null;
            }
            client.limit((int) Math.min(config.maxBatchMessages(), room[0]),
                    (int) Math.max(1, Math.min(config.maxBatchBytes(), room[1])));
            pending = send(after);
            if (pending == null) {
                return null;
            }
        }
        PullClient.Result r = client.await(pending, this::laneWorkDue);
        if (r instanceof PullClient.StillWaiting) {
            return pending;   // a long poll: back to the lanes' work, the pull stays in flight
        }
        List<Envelope> batch = handle(pending, r);
        if (batch != null && !batch.isEmpty()) {
            lanes.dispatch(batch);
        }
        return null;
    }

    /** True if the stream's thread has lane work to do before the pull in flight is answered. */
    private boolean laneWorkDue() {
        long now = shared.ticker().millis();
        return lanes.stopped() != null || lanes.drained() || now - nextReplayCheck >= 0
                || now - nextReleaseCheck >= 0 && !lanes.blocked().isEmpty();
    }

    /**
     * The old lanes applied everything up to the highest position recorded under the old lane count: records every
     * lane of the configured count there, in one transaction, and goes on with them.
     */
    private void finishOldLanes() {
        LaneSet finished = lanes;
        long at = finished.stopAt();
        closeLanes();
        LanePositions old = finished.positions();   // final once the workers stopped
        start.recordNewLaneCount(old, at);
        loadOffset();
    }

    /** Stops the lanes, if any (each worker finishes its transaction, within the close timeout). */
    private void closeLanes() {
        if (lanes != null) {
            if (!lanes.close(config.closeTimeout())) {
                log.warn("strongzero-consumer[{}]: a lane of producer {} did not finish its transaction within {} ms;"
                        + " interrupted it", name, producer, config.closeTimeout().toMillis());
            }
            lanes = null;
            state.lanes = 1;
            client.limit(config.maxBatchMessages(), config.maxBatchBytes());
        }
    }

    private PullClient.Pending send(long after) {
        PullClient.Sent sent = client.send(after);
        if (sent instanceof PullClient.NotSent n) {
            state.silenceCause = "could not send a pull " + n.why() + ": " + n.cause();
            reconnecting("could not send a pull to producer " + producer + " at " + state.endpoint() + " " + n.why() + ": "
                    + n.cause());
            return null;
        }
        return (PullClient.Pending) sent;
    }

    /** Counts a failed pull after setting its error (whoever sees the count sees its explanation), then backs off. */
    private void reconnecting(String error) {
        state.lastError = error;
        shared.counters().failures.incrementAndGet();
        outage = true;
        log.warn("strongzero-consumer[{}]: {}; reconnecting", name, error);
        waiter.pause(failures.next());
    }

    /** Waits for the reply to {@code p}: its messages, or null (after any backoff). */
    private List<Envelope> receive(PullClient.Pending p) {
        return handle(p, client.await(p));
    }

    /** What the reply to {@code p} brought: its messages, or null (after any backoff). */
    private List<Envelope> handle(PullClient.Pending p, PullClient.Result r) {
        if (r instanceof PullClient.Batch b) {
            state.head = b.head();
            failures.reset();
            state.lastError = null;
            state.refusal = null;
            if (b.messages().isEmpty() && b.head() < p.after()) {
                log.warn("strongzero-consumer[{}]: committed position {} is ahead of producer {}'s head {}: was the "
                        + "journal reset, or is {} the wrong endpoint?", name, p.after(), producer, b.head(),
                        state.endpoint());
            }
            state.lastReplyMonotonic = shared.ticker().millis();
            state.lastReplyAt = shared.stores().clock().millis();
            state.replied = true;
            state.silenceCause = null;
            logRecovery(p.after());
            return b.messages();
        } else if (r instanceof PullClient.TimedOut t) {
            state.silenceCause = t.cause();
            reconnecting("no reply from producer " + producer + " at " + state.endpoint() + " within " + t.budgetMillis()
                    + " ms: " + t.cause());
        } else if (r instanceof PullClient.Failed f) {
            reconnecting(f.error());
        } else if (r instanceof PullClient.Reconnected) {
            outage = true;   // the recovery is logged when a reply proves it
        } else if (r instanceof PullClient.VersionChanged) {
            return null;     // PullClient logged it; the next pull (at once) uses the version both sides speak
        } else if (r instanceof PullClient.Refused refused) {
            ReplyDecoder.Refused e = refused.reply();
            protocolError(e.code(), e.message(), e.transientRefusal() ? null : e.code(), e.retryAfterMillis());
        } else if (r instanceof PullClient.Malformed malformed) {
            ReplyDecoder.Malformed e = malformed.reply();
            if (e.head() != null) {
                state.head = e.head();
            }
            protocolError(e.code(), e.message(), null, 0);
        }
        return null;
    }

    private void protocolError(ErrorCode code, String message, ErrorCode refusal, long retryAfterMillis) {
        state.lastError = message;
        if (refusal != null) {
            state.refusal = refusal;   // the producer answered, and answers no: health says so at once
        }
        shared.counters().failures.incrementAndGet();   // last: whoever sees the count also sees the error and the refusal
        if (code == ErrorCode.BUSY) {
            log.debug("strongzero-consumer[{}]: producer {} is busy: {}", name, producer, message);
            waiter.pause(Math.max(reconnect.delayMillis(0), retryAfterMillis));
        } else {
            log.error("strongzero-consumer[{}]: producer {} at {}: {}", name, producer, state.endpoint(), message);
            waiter.pause(failures.next());
        }
    }

    /**
     * Once per outage, when a pull is answered again: "re-established" only if a pull of this stream was answered
     * before; the first answer ever is logged as "connected", so a consumer that never had a usable connection
     * never claims to have one back.
     */
    private void logRecovery(long after) {
        if (!pulled) {
            pulled = true;
            outage = false;
            log.info("strongzero-consumer[{}]: connected to producer {} at {}; pulling after position {}", name,
                    producer, state.endpoint(), after);
        } else if (outage) {
            outage = false;
            log.info("strongzero-consumer[{}]: connection to producer {} at {} re-established; pulling again after "
                    + "position {}", name, producer, state.endpoint(), after);
        }
    }

    /**
     * Loads the committed position(s) and decides how the stream goes on: in order on this thread, or in lanes. With
     * the default position store the offset rows say under which lane count they were recorded: the same count as
     * configured resumes; another count whose lanes all stand at one position is recorded anew there at once; else
     * the old lanes first apply, under the old assignment, everything up to the highest position they recorded
     * ({@link #finishOldLanes()}); see {@link StreamStart}.
     */
    private boolean loadOffset() {
        closeLanes();
        Backoff.Attempts attempts = reconnect.attempts();
        ConsumerStores stores = shared.stores();
        while (running.getAsBoolean()) {
            try (Connection c = stores.dataSource().getConnection()) {
                StreamStart.Resume resume = start.resume(c);
                if (resume == null) {
                    continue;   // the rows changed under us (another instance): load them again
                }
                log.info("strongzero-consumer[{}]: producer {} at {}: resuming after position {}{}", name, producer,
                        state.endpoint(), state.position, resume.how());
                lanes = resume.lanes();
                if (lanes != null) {
                    lanes.start();
                }
                return true;
            } catch (SQLException e) {
                closeLanes();
                state.lastError = Secrets.redact(e.toString());
                shared.counters().failures.incrementAndGet();
                log.warn("strongzero-consumer[{}]: cannot load the offset for producer {} from {}: {}; retrying",
                        name, producer, stores.positions(), state.lastError);
                waiter.pause(attempts.next());
            }
        }
        return false;
    }

    private void waitWhileBlocked() {
        ConsumerStores stores = shared.stores();
        while (running.getAsBoolean()) {
            waiter.pause(500);
            try (Connection c = stores.dataSource().getConnection()) {
                boolean resumed = Transactions.autoCommit(c, ac -> {
                    if (stores.letters().blocking(ac, name, producer) != null) {
                        return false;
                    }
                    state.blocked = false;
                    processReplayRequests();
                    if (state.blocked) {
                        return false; // the requested replay failed again: still blocked
                    }
                    log.info("strongzero-consumer[{}]: producer {} is no longer blocked; resuming", name, producer);
                    loadOffset();
                    return true;
                });
                if (resumed) {
                    return;
                }
            } catch (SQLException e) {
                state.lastError = e.toString();
            }
        }
    }

    /**
     * Replays the dead letters an operator asked to replay ({@link DeadLetterParking#replayRequested}). Returns true
     * if the position moved (a replayed message the stream had stopped at), after loading it again.
     */
    private boolean processReplayRequests() {
        boolean moved = parking.replayRequested(lanes != null);
        if (moved) {
            loadOffset();
        }
        return moved;
    }

    private void apply(List<Envelope> batch) {
        int i = 0;
        while (i < batch.size()) {
            if (!running.getAsBoolean()) {
                return;
            }
            int size = config.transactionMode() == TransactionMode.MANUAL ? 1
                    : Math.min(config.transactionSize(), batch.size() - i);
            List<Envelope> chunk = batch.subList(i, i + size);
            BatchApplier.Result r = applyChunk(chunk, 1);
            if (r instanceof BatchApplier.Committed c) {
                committed(c);
            } else if (r instanceof BatchApplier.Conflict c) {
                onConflict(c.message());
                return;
            } else if (r instanceof BatchApplier.Failed f && size > 1) {
                log.debug("strongzero-consumer[{}]: a transaction of {} messages failed ({}); applying them one "
                        + "by one", name, size, f.cause().toString());
                for (Envelope e : chunk) {
                    if (!applyWithRetry(e, null)) {
                        return;
                    }
                }
            } else if (r instanceof BatchApplier.Failed f && !applyWithRetry(chunk.get(0), f)) {
                return;
            }
            i += size;
        }
    }

    /** Applies a chunk in one transaction, on the handler thread when a handler timeout is set. */
    private BatchApplier.Result applyChunk(List<Envelope> chunk, int attempt) {
        Mark mark = Mark.single(state.position);
        if (timeouts == null) {
            return shared.applier().apply(producer, chunk, attempt, mark, prefetchOnCommit);
        }
        return timeouts.run(() -> shared.applier().apply(producer, chunk, attempt, mark, timeouts), chunk.get(0),
                mark.expected(), this::sendPrefetch);
    }

    /** Sends the prefetch pull, if one is due and the socket takes it at once (else the loop asks later). */
    private void sendPrefetch() {
        if (prefetchAfter >= 0) {
            prefetched = client.trySend(prefetchAfter);
            prefetchAfter = -1;
        }
    }

    private void committed(BatchApplier.Committed c) {
        state.position = c.position();
        state.lastAppliedProducedAt = c.lastProducedAt();
        state.lastError = null;
        shared.counters().applied.addAndGet(c.applied());
        shared.counters().skipped.addAndGet(c.skipped());
        c.runAfterCommit(name);
    }

    /**
     * Applies one message under its retry policy: retries with backoff, then parks or blocks. True if
     * the stream may go on after it (applied or parked); false if stopped, blocked or on conflict.
     */
    private boolean applyWithRetry(Envelope e, BatchApplier.Failed first) {
        RetryExecutor.Outcome o = retries.execute(e, config.retryPolicyFor(e.type()), first,
                attempt -> applyChunk(List.of(e), attempt));
        if (o instanceof RetryExecutor.Applied a) {
            committed(a.committed());
            return true;
        } else if (o instanceof RetryExecutor.Conflict c) {
            onConflict(c.message());
        } else if (o instanceof RetryExecutor.Exhausted x) {
            if (parking.park(e, x, Mark.single(state.position), this::onConflict)) {
                state.position = e.position();
                return true;
            }
        }
        return false;
    }

    private void onConflict(String message) {
        log.warn("strongzero-consumer[{}]: {}; reloading the offset and pulling again", name, message);
        loadOffset();
    }
}
