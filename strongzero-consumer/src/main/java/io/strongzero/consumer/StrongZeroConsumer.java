package io.strongzero.consumer;

import io.strongzero.consumer.internal.ConnectionDiagnosis;
import io.strongzero.consumer.internal.ConnectionWatch;
import io.strongzero.consumer.internal.DeadLetterStore;
import io.strongzero.consumer.internal.GuardedConnection;
import io.strongzero.consumer.internal.OffsetStore;
import io.strongzero.consumer.internal.ProcessedKeyStore;
import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Health;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.StrongZeroProtocolException;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Backoff;
import io.strongzero.core.internal.Endpoints;
import io.strongzero.core.internal.Jdbc;
import io.strongzero.core.internal.Monotonic;
import io.strongzero.core.internal.Protocol;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.Threads;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Pulls messages from one or more producers and applies them with their offset in one local
 * transaction of the consumer's own database.
 *
 * <pre>{@code
 * StrongZeroConsumer consumer = StrongZeroConsumer.builder()
 *         .name("members").dataSource(consumerDb)
 *         .producer("users", "tcp://127.0.0.1:7300")
 *         .handler("user.created", User.class, (message, ctx) -> insertMember(ctx.connection(), message.payload()))
 *         .build();
 * consumer.start();
 * }</pre>
 *
 * <p>Per producer, one thread ({@code strongzero-consumer-<name>-<producer>}) owns a DEALER socket: it
 * loads the committed offset, pulls the messages after it (long polling), dispatches each to the handler
 * registered for its type and, in {@link TransactionMode#AUTO}, commits up to
 * {@linkplain Builder#transactionSize transactionSize} messages' effects together with the new offset.
 * The offset update checks the previous value, so two instances with the same name can never both apply
 * a message. A failing message is retried with backoff and nothing after it is applied first; a batch
 * that fails is rolled back and re-applied one message at a time.
 *
 * <p>With {@link Builder#curveKeyPair} and {@link Builder#producerKey} a producer is pulled over
 * CurveZMQ (encrypted; the consumer proves its key and checks the producer's). Entries the producer
 * redacts for this consumer's key (types it may not read) are skipped like messages of unknown type
 * under {@code SKIP}: the offset moves past them and the stream never stalls on them.
 *
 * <p>Lifecycle: {@link #start()} returns at once; {@link #run()} blocks; {@link #close()} stops after the
 * transaction in flight (bounded wait) without ever moving the offset past an unapplied message.
 * Thread-safe.
 */
public final class StrongZeroConsumer implements AutoCloseable, Health.Check {

    private static final Logger log = LoggerFactory.getLogger(StrongZeroConsumer.class);

    private final String name;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final String prefix;
    private final boolean createSchema;
    private final OffsetStore offsets;
    private final Map<String, String> producers;
    private final CurveKeyPair curveKeyPair;
    private final Map<String, CurvePublicKey> producerKeys;
    private final Map<String, Registration<?>> handlers;
    private final Map<String, PayloadCodec> codecs;
    private final UnknownTypePolicy unknownTypePolicy;
    private final TransactionMode mode;
    private final int maxBatchMessages;
    private final int maxBatchBytes;
    private final int transactionSize;
    private final Duration longPollWait;
    private final Duration requestTimeout;
    private final Duration heartbeat;
    private final Duration handshakeTimeout;
    private final Duration closeTimeout;
    private final Backoff reconnect;
    private final RetryPolicy retryPolicy;
    private final Map<String, RetryPolicy> typePolicies;
    private final Duration handlerTimeout;
    private final boolean prefetch;
    private final DeadLetterListener deadLetterListener;
    private final DeadLetterStore deadLetterStore;
    private final IdempotencyGuard idempotency;
    private final DoubleSupplier random;
    private final Clock clock;
    private final StrongZeroMetrics metrics;

    private final Object lifecycle = new Object();
    private final Map<String, Link> links = new LinkedHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean closed;

    private record Registration<T>(Class<T> type, MessageHandler<T> handler) {
    }

    private StrongZeroConsumer(Builder b) {
        this.name = b.name;
        this.dataSource = b.dataSource;
        this.dialect = b.dialect != null ? b.dialect : Dialect.detect(b.dataSource);
        this.prefix = b.tablePrefix;
        this.createSchema = b.createSchemaIfMissing;
        this.offsets = new OffsetStore(dialect, b.tablePrefix);
        this.producers = Map.copyOf(b.producers);
        this.curveKeyPair = b.curveKeyPair;
        this.producerKeys = Map.copyOf(b.producerKeys);
        this.handlers = Map.copyOf(b.handlers);
        this.codecs = Map.copyOf(b.codecs);
        this.unknownTypePolicy = b.unknownTypePolicy;
        this.mode = b.mode;
        this.maxBatchMessages = b.maxBatchMessages;
        this.maxBatchBytes = b.maxBatchBytes;
        this.transactionSize = b.transactionSize;
        this.longPollWait = b.longPollWait;
        this.requestTimeout = b.requestTimeout;
        this.heartbeat = b.heartbeat;
        this.handshakeTimeout = b.handshakeTimeout;
        this.closeTimeout = b.closeTimeout;
        this.reconnect = new Backoff(b.backoffBase, b.backoffCap, b.random);
        this.retryPolicy = b.retryPolicy;
        this.typePolicies = Map.copyOf(b.typePolicies);
        this.handlerTimeout = b.handlerTimeout;
        this.prefetch = b.prefetch;
        this.deadLetterListener = b.deadLetterListener;
        this.deadLetterStore = new DeadLetterStore(b.tablePrefix);
        this.random = b.random;
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.idempotency = new IdempotencyGuard(b.dataSource, b.name, b.tablePrefix, b.clock, dialect);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** This consumer's name (the offset key, with the producer name). */
    public String name() {
        return name;
    }

    /**
     * Checks (or creates) the offset table and starts one thread per producer. Returns at once.
     *
     * @throws io.strongzero.core.StrongZeroSchemaException if the offset table is missing
     */
    public StrongZeroConsumer start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("consumer " + name + " is closed; build a new one");
            }
            if (running) {
                throw new IllegalStateException("consumer " + name + " is already started");
            }
            if (createSchema) {
                Schema.create(dataSource, dialect, Schema.Side.CONSUMER, prefix);
            }
            Schema.verifyTable(dataSource, dialect, Schema.Side.CONSUMER, offsets.table(), OffsetStore.columns());
            Schema.verifyTable(dataSource, dialect, Schema.Side.CONSUMER, deadLetterStore.table(), DeadLetterStore.columns());
            Schema.verifyTable(dataSource, dialect, Schema.Side.CONSUMER, ProcessedKeyStore.tableName(prefix),
                    ProcessedKeyStore.columns());
            running = true;
            for (Map.Entry<String, String> p : producers.entrySet()) {
                if (!producerKeys.containsKey(p.getKey()) && !Endpoints.isLocal(p.getValue())) {
                    log.warn("strongzero-consumer[{}]: producer {} at {} is not on loopback and is pulled WITHOUT "
                            + "encryption or authentication; configure curveKeyPair(...) and producerKey(...) "
                            + "(docs/security.md)", name, p.getKey(), p.getValue());
                }
                Link link = new Link(p.getKey(), p.getValue());
                links.put(p.getKey(), link);
                link.thread.start();
            }
            log.info("strongzero-consumer[{}]: started, producers {}, handlers for {}, mode {}, unknown types: {}",
                    name, producers, handlers.keySet(), mode, unknownTypePolicy);
            return this;
        }
    }

    /** Starts (if not started) and blocks until {@link #close()} is called from another thread. */
    public void run() throws InterruptedException {
        synchronized (lifecycle) {
            if (!running && !closed) {
                start();
            }
        }
        terminated.await();
    }

    /** Waits until the consumer is closed; returns false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last committed position for a producer as this consumer knows it (-1 before it was loaded). */
    public long position(String producer) {
        Link l = links.get(producer);
        if (l == null) {
            throw new IllegalArgumentException("consumer " + name + " has no producer '" + producer + "'; it has "
                    + producers.keySet());
        }
        return l.position;
    }

    /** The producer's head as of the last reply (-1 before the first reply). */
    public long producerHead(String producer) {
        Link l = links.get(producer);
        return l == null ? -1 : l.head;
    }

    /** Messages applied (committed) since start. */
    public long appliedCount() {
        return applied.get();
    }

    /**
     * Messages skipped since start: of unknown type under {@link UnknownTypePolicy#SKIP}, and redacted
     * entries (messages of types the producer's security does not let this consumer's key read).
     */
    public long skippedCount() {
        return skipped.get();
    }

    /** Messages the producer has that this consumer has not applied yet (head minus position; -1 before the first reply). */
    public long lagMessages(String producer) {
        Link l = links.get(producer);
        return l == null || l.head < 0 ? -1 : Math.max(0, l.head - l.position);
    }

    /**
     * Age of the oldest message not applied yet, by the sender's clock: the age of the last applied
     * message while behind, 0 when caught up.
     */
    public long lagMillis(String producer) {
        Link l = links.get(producer);
        if (l == null || l.head < 0 || l.position >= l.head) {
            return 0;
        }
        return Math.max(0, clock.millis() - l.lastAppliedProducedAt);
    }

    /**
     * Liveness: each producer's thread runs. Readiness: started, and the consumer database answers.
     * Degraded (with reasons): a producer not answering, a blocked stream, open dead letters.
     * Details per producer: endpoint, position, head, lag, last successful pull, blocked.
     */
    @Override
    public Health health() {
        Health.Builder h = new Health.Builder("consumer:" + name);
        if (!running) {
            h.notReady(closed ? "closed" : "not started");
        }
        long now = Monotonic.millis();
        long silence = longPollWait.toMillis() + requestTimeout.toMillis();
        List<Map<String, Object>> streams = new ArrayList<>();
        for (Link l : links.values()) {
            if (running && !l.thread.isAlive()) {
                h.dead("the thread of producer " + l.producer + " died: " + l.lastError);
            }
            boolean connected = l.lastReplyAt > 0 && now - l.lastReplyMonotonic <= silence;
            ErrorCode refusal = l.refusal;
            if (running && refusal != null) {
                h.degraded("producer " + l.producer + " at " + l.endpoint + " refuses this consumer's pulls (" + refusal
                        + "); the stream cannot move until the configuration on either side is corrected: " + l.lastError);
            } else if (running && !connected) {
                String cause = l.silenceCause;
                h.degraded("no reply from producer " + l.producer + " at " + l.endpoint
                        + (l.lastReplyAt == 0 ? " yet" : " for " + (now - l.lastReplyMonotonic) + " ms") + ": "
                        + (cause != null ? cause : l.lastError));
            }
            if (l.blocked) {
                h.degraded("the stream of producer " + l.producer + " is blocked by a dead letter: replay or discard it");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("producer", l.producer);
            m.put("endpoint", l.endpoint);
            m.put("connected", connected);
            m.put("position", l.position);
            m.put("head", l.head);
            m.put("lagMessages", lagMessages(l.producer));
            m.put("lagMillis", lagMillis(l.producer));
            m.put("lastSuccessfulPull", l.lastReplyAt);
            m.put("blocked", l.blocked);
            m.put("refused", refusal == null ? null : refusal.name());
            streams.add(m);
        }
        h.detail("producers", streams).detail("applied", applied.get()).detail("skipped", skipped.get())
                .detail("failures", failures.get()).detail("parked", parked.get())
                .detail("replayed", replayed.get());
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(2)) {
                h.notReady("the consumer database does not answer");
            } else {
                long open = Transactions.autoCommit(c, ac -> deadLetterStore.countOpen(ac, name)); // = deadLetters().count()
                h.detail("deadLetters", open);
                if (open > 0) {
                    h.degraded(open + " dead letters wait for replay or discard");
                }
            }
        } catch (SQLException | RuntimeException e) {
            h.notReady("the consumer database is unreachable: " + e.getMessage());
        }
        return h.build();
    }

    /** Messages parked in the dead-letter table since start. */
    public long parkedCount() {
        return parked.get();
    }

    /** True while a producer's stream is stopped by a BLOCKING dead letter. */
    public boolean isBlocked(String producer) {
        Link l = links.get(producer);
        return l != null && l.blocked;
    }

    /** The dead-letter operations (list, show, replay, discard) of this consumer. */
    public DeadLetters deadLetters() {
        return new DeadLetters(this);
    }

    /** The idempotency guard of this consumer (also reachable from handlers as {@link HandlerContext#once}). */
    public IdempotencyGuard idempotencyGuard() {
        return idempotency;
    }

    // --- for DeadLetters ---------------------------------------------------------------------------

    DataSource dataSource() {
        return dataSource;
    }

    String prefix() {
        return prefix;
    }

    DeadLetterStore deadLetterStore() {
        return deadLetterStore;
    }

    OffsetStore offsetStore() {
        return offsets;
    }

    TransactionMode mode() {
        return mode;
    }

    Clock clock() {
        return clock;
    }

    /** Builds the handler context for a replay: AUTO gets {@code guarded}, MANUAL a consumed() that removes the row. */
    HandlerContext replayContext(String producer, Envelope e, int attempt, Connection guarded, DeadLetter.Status status,
                                 boolean blocking, AfterCommit afterCommit) {
        return new Context(e, attempt, guarded, guarded == null
                ? new ManualOffset(producer, e, e.position() - 1, status, blocking) : null, afterCommit);
    }

    /**
     * The actions handlers registered with {@link HandlerContext#afterCommit} for one transaction. Handlers may
     * run on another thread (handler timeouts), so registration is synchronized; {@link #runAll} is called by
     * the thread that committed, after the handlers returned.
     */
    static final class AfterCommit {
        private final List<Runnable> actions = new ArrayList<>();

        synchronized void add(Runnable action) {
            actions.add(Objects.requireNonNull(action, "action"));
        }

        /** Runs every action once; a failing one is logged and the rest still run. */
        void runAll(String consumer) {
            List<Runnable> toRun;
            synchronized (this) {
                if (actions.isEmpty()) {
                    return;
                }
                toRun = new ArrayList<>(actions);
                actions.clear();
            }
            for (Runnable action : toRun) {
                try {
                    action.run();
                } catch (RuntimeException | Error x) {
                    if (x instanceof VirtualMachineError) {
                        throw x;
                    }
                    log.warn("strongzero-consumer[{}]: an afterCommit action failed after its transaction committed "
                            + "(the commit stands): {}", consumer, x.toString(), x);
                }
            }
        }
    }

    /** True if a MANUAL replay's handler called consumed(). */
    static boolean consumedCalled(HandlerContext ctx) {
        return ctx instanceof StrongZeroConsumer.Context c && c.manual != null && c.manual.done;
    }

    /**
     * Dead letters replayed successfully through this consumer since start (by {@link DeadLetters#replay}, or for a
     * replay requested from another process). Not part of {@link #appliedCount()}: that counts the stream.
     */
    public long replayedCount() {
        return replayed.get();
    }

    /** Called by {@link DeadLetters} after a replay committed. */
    void replayCommitted() {
        replayed.incrementAndGet();
    }

    /** Failed attempts (handler exceptions, unknown types under FAIL, database errors) since start. */
    public long failureCount() {
        return failures.get();
    }

    /** The last failure of a producer's stream, or null if its last attempt succeeded. */
    public String lastError(String producer) {
        Link l = links.get(producer);
        return l == null ? null : l.lastError;
    }

    /**
     * Stops pulling; each producer's thread finishes the transaction in flight and exits, waiting at most
     * the close timeout (default 10 s). Idempotent. An interrupted or timed-out close never moves an
     * offset past an unapplied message: the transaction in flight either commits whole or not at all.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        boolean stopped = true;
        for (Link l : links.values()) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            stopped &= Threads.join(l.thread, left);
        }
        if (!stopped) {
            for (Link l : links.values()) {
                l.thread.interrupt();
            }
            log.warn("strongzero-consumer[{}]: a producer thread did not stop within {} ms and was interrupted",
                    name, closeTimeout.toMillis());
        }
        terminated.countDown();
        log.info("strongzero-consumer[{}]: closed (applied {} messages, skipped {})", name, applied.get(), skipped.get());
    }

    @Override
    public String toString() {
        return "StrongZeroConsumer[" + name + ", producers=" + producers.keySet() + "]";
    }

    /** A failure applying a message (handler, decoding, unknown type, database). */
    static final class ApplyFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Envelope message;
        /** No connection to the consumer's database could be had: nothing was attempted, not the message's fault. */
        final boolean databaseUnavailable;

        ApplyFailure(Envelope message, Throwable cause) {
            this(message, cause, false);
        }

        ApplyFailure(Envelope message, Throwable cause, boolean databaseUnavailable) {
            super(cause);
            this.message = message;
            this.databaseUnavailable = databaseUnavailable;
        }
    }

    /** The offset was not where we left it: another instance moved it, or a manual commit did not happen. */
    private static final class OffsetConflict extends Exception {
        private static final long serialVersionUID = 1L;

        OffsetConflict(String message) {
            super(message);
        }
    }

    private static final class DecodedMessage<T> implements Message<T> {
        private final Envelope e;
        private final String producer;
        private final T payload;

        DecodedMessage(Envelope e, String producer, T payload) {
            this.e = e;
            this.producer = producer;
            this.payload = payload;
        }

        @Override
        public FlakeId id() {
            return e.id();
        }

        @Override
        public String producer() {
            return producer;
        }

        @Override
        public long position() {
            return e.position();
        }

        @Override
        public String type() {
            return e.type();
        }

        @Override
        public Instant producedAt() {
            return Instant.ofEpochMilli(e.producedAt());
        }

        @Override
        public T payload() {
            return payload;
        }

        @Override
        public byte[] payloadBytes() {
            return e.payload();
        }

        @Override
        public String contentType() {
            return e.contentType();
        }

        @Override
        public String toString() {
            return "Message[" + producer + "#" + e.position() + ", id=" + e.id() + ", type=" + e.type() + "]";
        }
    }

    /** Outcome of applying one batch. */
    private enum Applied {
        ALL, STOPPED
    }

    /** One producer's stream: its socket, its offset, its thread. */
    private final class Link {
        final String producer;
        final String endpoint;
        final Thread thread;
        volatile long position = -1;
        volatile long head = -1;
        volatile String lastError;
        /** Why the last pull got no answer (the diagnosis part of lastError); null once a reply arrived. */
        volatile String silenceCause;
        volatile boolean blocked;
        /**
         * The code of the producer's last ERROR reply that no retry can cure (anything but BUSY and
         * INTERNAL: a refused name, version, producer name or position), until a pull succeeds again.
         */
        volatile ErrorCode refusal;
        /** Wall-clock time of the last reply (for display), and the same moment on the monotonic clock. */
        volatile long lastReplyAt;
        volatile long lastReplyMonotonic;
        volatile long lastAppliedProducedAt;
        private long requestCounter;
        private ZContext ctx;
        private ZMQ.Socket socket;
        private int consecutiveFailures;
        private final ConnectionWatch watch = new ConnectionWatch(handshakeTimeout.toMillis());
        private final ConnectionDiagnosis diagnosis;
        private long resendBudgetFrom;
        /** A pull of this stream was answered once: a later recovery is a re-established connection. */
        private boolean pulled;
        /** A pull failed (no reply, not sent, connection lost) since the last answered one: log the recovery. */
        private boolean outage;
        // handler-timeout machinery (only with handlerTimeout set)
        private ExecutorService handlerThread;
        private volatile long messageStartNanos;
        private volatile Connection activeConnection;

        Link(String producer, String endpoint) {
            this.producer = producer;
            this.endpoint = endpoint;
            this.thread = Threads.newThread("consumer", name + "-" + producer, this::run);
            this.diagnosis = new ConnectionDiagnosis(producerKeys.containsKey(producer),
                    curveKeyPair == null ? null : curveKeyPair.publicKey().z85(), handshakeTimeout.toMillis());
        }

        /** A sent PULL awaiting its reply. */
        private final class Pending {
            final long requestId;
            final long after;
            final long sentAt;
            final long connectionMark;

            Pending(long requestId, long after, long sentAt) {
                this.requestId = requestId;
                this.after = after;
                this.sentAt = sentAt;
                this.connectionMark = watch.mark();
            }
        }

        private void run() {
            int restarts = 0;
            try {
                while (running) {
                    try {
                        if (!loadOffset()) {
                            return;
                        }
                        ctx = new ZContext(1);
                        connect();
                        stream();
                        return;
                    } catch (RuntimeException | AssertionError e) {
                        if (!running) {
                            return;
                        }
                        // A bug or a transport failure nobody anticipated must not stop the stream for good: start
                        // over from the committed offset (nothing uncommitted is lost, nothing committed repeats).
                        restarts++;
                        failures.incrementAndGet();
                        lastError = Secrets.redact(e.toString());
                        log.error("strongzero-consumer[{}]: stream of producer {} failed unexpectedly ({} so far); "
                                + "restarting it from the committed offset", name, producer, restarts, e);
                        closeContext();
                        pause(reconnect.delayMillis(Math.min(restarts, 20)));
                    }
                }
            } catch (Error e) {
                log.error("strongzero-consumer[{}]: stream of producer {} stopped by an unexpected failure", name,
                        producer, e);
                lastError = Secrets.redact(e.toString());
            } finally {
                if (handlerThread != null) {
                    handlerThread.shutdownNow();
                }
                closeContext();
            }
        }

        private void closeContext() {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (RuntimeException e) {
                    log.debug("strongzero-consumer[{}]: closing the ZeroMQ context failed", name, e);
                }
                ctx = null;
            }
        }

        /** Pulls and applies until the consumer closes. */
        private void stream() {
            Pending pending = null;
            long nextReplayCheck = Monotonic.millis();
            while (running) {
                if (blocked) {
                    waitWhileBlocked();
                    pending = null;
                    continue;
                }
                if (Monotonic.millis() - nextReplayCheck >= 0) {
                    nextReplayCheck = Monotonic.millis() + 2_000;
                    if (processReplayRequests()) {
                        pending = null;
                        continue;
                    }
                }
                if (pending == null || pending.after != position) {
                    pending = sendPull(position);
                    if (pending == null) {
                        continue;
                    }
                }
                List<Envelope> batch = awaitReply(pending);
                pending = null;
                if (batch == null || batch.isEmpty()) {
                    continue;
                }
                long last = batch.get(batch.size() - 1).position();
                if (prefetch) {
                    pending = sendPull(last); // fetch the next batch while this one is applied
                }
                apply(batch);
            }
        }

        private boolean loadOffset() {
            int attempt = 0;
            while (running) {
                try (Connection c = dataSource.getConnection()) {
                    Transactions.useAutoCommit(c, ac -> {
                        position = offsets.loadOrCreate(ac, name, producer, clock.millis());
                        DeadLetter blocking = deadLetterStore.blocking(ac, name, producer);
                        blocked = blocking != null && blocking.position() == position + 1;
                    });
                    log.info("strongzero-consumer[{}]: producer {} at {}: resuming after position {}{}", name, producer,
                            endpoint, position, blocked ? " (blocked by a dead letter: replay or discard it)" : "");
                    return true;
                } catch (SQLException e) {
                    lastError = Secrets.redact(e.toString());
                    failures.incrementAndGet();
                    log.warn("strongzero-consumer[{}]: cannot load the offset for producer {} from {}: {}; retrying",
                            name, producer, offsets.table(), lastError);
                    pause(reconnect.delayMillis(Math.min(attempt++, 20)));
                }
            }
            return false;
        }

        private void waitWhileBlocked() {
            while (running) {
                pause(500);
                try (Connection c = dataSource.getConnection()) {
                    boolean resumed = Transactions.autoCommit(c, ac -> {
                        if (deadLetterStore.blocking(ac, name, producer) != null) {
                            return false;
                        }
                        blocked = false;
                        processReplayRequests();
                        if (blocked) {
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
                    lastError = e.toString();
                }
            }
        }

        /**
         * Replays the dead letters an operator asked to replay (status REPLAY_REQUESTED), with the current
         * handlers. Returns true if the offset moved (a replayed message the stream had stopped at).
         */
        private boolean processReplayRequests() {
            List<DeadLetter> requested;
            try (Connection c = dataSource.getConnection()) {
                requested = Transactions.autoCommit(c, ac -> deadLetterStore.list(ac, name, producer, null,
                        DeadLetter.Status.REPLAY_REQUESTED, 1000));
            } catch (SQLException e) {
                lastError = e.toString();
                return false;
            }
            boolean moved = false;
            long before = position;
            for (DeadLetter l : requested) {
                DeadLetters.ReplayResult r = deadLetters().replay(producer, l.id());
                if (!r.applied()) {
                    // failed again: back to its previous state, with the failure in its history
                    try (Connection c = dataSource.getConnection()) {
                        Transactions.useAutoCommit(c, ac -> {
                            DeadLetter.Status back = l.position() == position + 1 ? DeadLetter.Status.BLOCKING
                                    : DeadLetter.Status.PARKED;
                            deadLetterStore.setStatus(ac, name, producer, l.id().toString(), back);
                            if (back == DeadLetter.Status.BLOCKING) {
                                blocked = true;
                            }
                        });
                    } catch (SQLException e) {
                        lastError = e.toString();
                    }
                } else if (l.position() == before + 1) {
                    moved = true;
                }
            }
            if (moved) {
                loadOffset();
            }
            return moved;
        }

        private void connect() {
            socket = ctx.createSocket(SocketType.DEALER);
            socket.setLinger(0);
            socket.setSendTimeOut((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()));
            socket.setRcvHWM(1000);
            socket.setSndHWM(1000);
            socket.setHeartbeatIvl((int) heartbeat.toMillis());
            socket.setHeartbeatTimeout((int) heartbeat.toMillis() * 3);
            // jeromq 0.6.0 sometimes leaves a fresh outgoing connection without its ZMTP handshake
            // (jeromq PR 1022, "connect hand-off race": 13-17 of 300 fresh loopback connections here); bound
            // the handshake so such a connection is replaced after handshakeTimeout instead of 30 s.
            socket.setHandshakeIvl((int) handshakeTimeout.toMillis());
            socket.setReconnectIVL(100);
            socket.setReconnectIVLMax(5_000);
            CurvePublicKey producerKey = producerKeys.get(producer);
            if (producerKey != null) {
                socket.setCurvePublicKey(curveKeyPair.publicKey().bytes());
                socket.setCurveSecretKey(curveKeyPair.secretKey());
                socket.setCurveServerKey(producerKey.bytes());
            }
            socket.setEventHook(watch.attach(), ConnectionWatch.EVENTS);
            socket.connect(endpoint);
        }

        private void reconnect() {
            watch.detach();   // closing our own socket is not evidence about the producer
            socket.close();
            connect();
        }

        private Pending sendPull(long after) {
            // a pull sent again after a reconnect keeps the first one's reply budget, so that a connection that
            // keeps failing (a refused CURVE key) still ends in a timeout that is counted and explained
            long sentAt = resendBudgetFrom != 0 ? resendBudgetFrom : Monotonic.millis();
            resendBudgetFrom = 0;
            Pending p = new Pending(++requestCounter, after, sentAt);
            byte[] body = Protocol.encodePull(new Protocol.PullRequest(p.requestId, after, maxBatchMessages,
                    maxBatchBytes, (int) longPollWait.toMillis(), producer, name));
            // bounded by the send timeout: a socket without a usable connection must not block this thread
            boolean sent;
            String why = "within " + requestTimeout.toMillis() + " ms";
            try {
                sent = socket.send(new byte[0], ZMQ.SNDMORE)
                        && socket.send(Protocol.header(Protocol.CMD_PULL), ZMQ.SNDMORE)
                        && socket.send(body, 0);
            } catch (RuntimeException | AssertionError e) {
                // jeromq can fail inside send when a connection dies mid-message (seen: an internal assertion
                // in LB.sendpipe while a CURVE handshake failed); a fresh socket recovers from it
                sent = false;
                why = "(" + e + ")";
            }
            if (!sent) {
                // a DEALER whose connection failed its handshake has no pipe to queue on: say why, as for a timeout
                String cause = explain();
                silenceCause = "could not send a pull " + why + ": " + cause;
                lastError = "could not send a pull to producer " + producer + " at " + endpoint + " " + why + ": " + cause;
                failures.incrementAndGet();   // after the error: whoever sees the count sees its explanation
                outage = true;
                log.warn("strongzero-consumer[{}]: {}; reconnecting", name, lastError);
                reconnect();
                pause(reconnect.delayMillis(Math.min(consecutiveFailures++, 20)));
                return null;
            }
            return p;
        }

        /** Waits for the reply to {@code p}; null on timeout or error (after any backoff). */
        private List<Envelope> awaitReply(Pending p) {
            long budget = longPollWait.toMillis() + requestTimeout.toMillis();
            long deadline = Math.max(p.sentAt + budget, Monotonic.millis() + 100);
            while (running) {
                long left = deadline - Monotonic.millis();
                if (left <= 0) {
                    silenceCause = explain();
                    lastError = "no reply from producer " + producer + " at " + endpoint + " within " + budget + " ms: "
                            + silenceCause;
                    failures.incrementAndGet();   // after the error: whoever sees the count sees its explanation
                    outage = true;
                    log.warn("strongzero-consumer[{}]: {}; reconnecting", name, lastError);
                    reconnect();
                    pause(reconnect.delayMillis(Math.min(consecutiveFailures++, 20)));
                    return null;
                }
                List<byte[]> frames;
                try {
                    socket.setReceiveTimeOut((int) Math.min(left, 100));
                    byte[] first = socket.recv(0);
                    if (first == null) {
                        if (watch.reconnectedSince(p.connectionMark)) {
                            // the producer restarted (or a proxy failed over): the pull likely died with the old
                            // connection, so ask again now instead of after longPollWait + requestTimeout; the
                            // recovery is logged when a reply proves it
                            log.debug("strongzero-consumer[{}]: connection to producer {} at {} lost and made again; "
                                    + "sending the pull after position {} again", name, producer, endpoint, p.after);
                            outage = true;
                            resendBudgetFrom = p.sentAt;
                            return null;
                        }
                        continue;
                    }
                    watch.replied();   // a reply: the connection works
                    frames = new ArrayList<>();
                    frames.add(first);
                    while (socket.hasReceiveMore()) {
                        frames.add(socket.recv(0));
                    }
                } catch (RuntimeException | AssertionError e) {
                    if (!running) {
                        return null;
                    }
                    lastError = "receiving from " + endpoint + " failed: " + e;
                    failures.incrementAndGet();
                    outage = true;
                    log.warn("strongzero-consumer[{}]: {}; reconnecting", name, lastError);
                    reconnect();
                    pause(reconnect.delayMillis(Math.min(consecutiveFailures++, 20)));
                    return null;
                }
                try {
                    List<Envelope> batch = parseReply(frames, p.requestId, p.after);
                    if (batch != null) {
                        lastReplyMonotonic = Monotonic.millis();
                        lastReplyAt = System.currentTimeMillis();
                        silenceCause = null;
                        logRecovery(p.after);
                        return batch;
                    }
                    // a stale reply to an earlier request: keep waiting for ours
                } catch (StrongZeroProtocolException e) {
                    return handleProtocolError(e);
                }
            }
            return null;
        }

        /** Why the pull being reported failed, from what happened to the connection since the last reply. */
        private String explain() {
            return diagnosis.explain(watch.evidence());
        }

        /**
         * Once per outage, when a pull is answered again: "re-established" only if a pull of this stream was
         * answered before; the first answer ever is logged as "connected", so a consumer that never had a
         * usable connection never claims to have one back.
         */
        private void logRecovery(long after) {
            if (!pulled) {
                pulled = true;
                outage = false;
                log.info("strongzero-consumer[{}]: connected to producer {} at {}; pulling after position {}", name,
                        producer, endpoint, after);
            } else if (outage) {
                outage = false;
                log.info("strongzero-consumer[{}]: connection to producer {} at {} re-established; pulling again after "
                        + "position {}", name, producer, endpoint, after);
            }
        }

        private List<Envelope> handleProtocolError(StrongZeroProtocolException e) {
            lastError = e.getMessage();
            if (e instanceof RetryAfter && e.code() != ErrorCode.BUSY && e.code() != ErrorCode.INTERNAL) {
                refusal = e.code();   // the producer answered, and answers no: health says so at once
            }
            failures.incrementAndGet();   // last: whoever sees the count also sees the error and the refusal
            if (e.code() == ErrorCode.BUSY) {
                log.debug("strongzero-consumer[{}]: producer {} is busy: {}", name, producer, e.getMessage());
                pause(Math.max(reconnect.delayMillis(0), e instanceof RetryAfter r ? r.millis : 0));
            } else {
                log.error("strongzero-consumer[{}]: producer {} at {}: {}", name, producer, endpoint, e.getMessage());
                pause(reconnect.delayMillis(Math.min(consecutiveFailures++, 20)));
            }
            return null;
        }

        /** Parses a reply; returns null for a stale reply, throws for an error reply or a broken frame. */
        private List<Envelope> parseReply(List<byte[]> frames, long requestId, long after) {
            if (frames.size() < 3 || frames.get(0).length != 0) {
                throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST,
                        "reply without delimiter/header/body frames (" + frames.size() + " frames)");
            }
            byte command = Protocol.parseHeader(frames.get(1));
            if (command == Protocol.CMD_ERROR) {
                Protocol.ErrorReply err = Protocol.decodeError(frames.get(2));
                if (err.requestId() != requestId && err.requestId() != 0) {
                    return null;
                }
                throw new RetryAfter(err.code(), "producer refused the pull after position " + after + ": "
                        + err.message(), err.retryAfterMillis());
            }
            if (command != Protocol.CMD_BATCH) {
                throw new StrongZeroProtocolException(ErrorCode.UNKNOWN_COMMAND,
                        String.format("unexpected reply command 0x%02x", command & 0xFF));
            }
            Protocol.BatchHeader h = Protocol.decodeBatchHeader(frames.get(2));
            if (h.requestId() != requestId) {
                return null;
            }
            if (h.count() > maxBatchMessages) {
                throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST, "BATCH carries " + h.count()
                        + " messages but at most " + maxBatchMessages + " were asked for");
            }
            if (frames.size() != 3 + h.count()) {
                throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST, "BATCH announced " + h.count()
                        + " messages but carried " + (frames.size() - 3));
            }
            head = h.headPosition();
            List<Envelope> batch = new ArrayList<>(h.count());
            long expected = after + 1;
            for (int i = 3; i < frames.size(); i++) {
                Envelope e = Protocol.decodeMessage(frames.get(i));
                if (e.position() != expected) {
                    throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST, "BATCH is not contiguous: expected "
                            + "position " + expected + " but got " + e.position() + "; discarded, pulling again");
                }
                expected++;
                batch.add(e);
            }
            consecutiveFailures = 0;
            lastError = null;
            refusal = null;
            if (batch.isEmpty() && h.headPosition() < after) {
                log.warn("strongzero-consumer[{}]: committed position {} is ahead of producer {}'s head {}: was the "
                        + "journal reset, or is {} the wrong endpoint?", name, after, producer, h.headPosition(), endpoint);
            }
            return batch;
        }

        private Applied apply(List<Envelope> batch) {
            int i = 0;
            while (i < batch.size()) {
                if (!running) {
                    return Applied.STOPPED;
                }
                int size = mode == TransactionMode.MANUAL ? 1 : Math.min(transactionSize, batch.size() - i);
                List<Envelope> chunk = batch.subList(i, i + size);
                try {
                    applyChunk(chunk, 1);
                    i += size;
                } catch (ApplyFailure f) {
                    if (size > 1) {
                        log.debug("strongzero-consumer[{}]: a transaction of {} messages failed ({}); applying them one "
                                + "by one", name, size, f.getCause().toString());
                        for (Envelope e : chunk) {
                            if (!applyWithRetry(e, null)) {
                                return Applied.STOPPED;
                            }
                        }
                    } else if (!applyWithRetry(chunk.get(0), f)) {
                        return Applied.STOPPED;
                    }
                    i += size;
                } catch (OffsetConflict c) {
                    onConflict(c);
                    return Applied.STOPPED;
                }
            }
            return Applied.ALL;
        }

        /**
         * Applies one message under its retry policy: retries with backoff, then parks or blocks. True if
         * the stream may go on after it (applied or parked); false if stopped, blocked or on conflict.
         */
        private boolean applyWithRetry(Envelope e, ApplyFailure first) {
            RetryPolicy policy = policyFor(e.type());
            List<FailureRecord> history = new ArrayList<>();
            ApplyFailure failure = first;
            int attempt = 1;
            int unavailable = 0;
            while (running) {
                if (failure == null) {
                    try {
                        applyChunk(List.of(e), attempt);
                        return true;
                    } catch (ApplyFailure f) {
                        failure = f;
                    } catch (OffsetConflict c) {
                        onConflict(c);
                        return false;
                    }
                }
                Throwable cause = failure.getCause();
                failures.incrementAndGet();
                lastError = cause.toString();
                if (failure.databaseUnavailable) {
                    // An outage of our own database says nothing about the message: wait for the database
                    // without using up the message's attempts, or an outage would park a healthy message.
                    if (unavailable == 0) {
                        log.warn("strongzero-consumer[{}]: no connection to the consumer's database ({}); message {} "
                                + "(producer {}, position {}) waits for it", name, cause.toString(), e.id(), producer,
                                e.position());
                    }
                    failure = null;
                    pause(reconnect.delayMillis(Math.min(unavailable++, 20)));
                    continue;
                }
                history.add(FailureRecord.of(attempt, clock.instant(), cause));
                boolean retryable = policy.isRetryable(cause);
                if (!retryable || attempt >= policy.maxAttempts()) {
                    return exhausted(e, policy, history, retryable);
                }
                long delay = policy.delayMillis(attempt, random.getAsDouble());
                metrics.retried(name, producer, e.type());
                log.debug("strongzero-consumer[{}]: message {} (producer {}, position {}, type {}) failed on attempt {} of {};"
                        + " retrying in {} ms: {}", name, e.id(), producer, e.position(), e.type(), attempt,
                        policy.maxAttempts(), delay, cause.toString());
                attempt++;
                failure = null;
                pause(delay);
            }
            return false;
        }

        private boolean exhausted(Envelope e, RetryPolicy policy, List<FailureRecord> history, boolean retryable) {
            FailureRecord last = history.get(history.size() - 1);
            String why = retryable ? "after " + history.size() + " attempts" : "with a non-retryable failure";
            DeadLetter.Status status = policy.onExhausted() == RetryPolicy.OnExhausted.BLOCK
                    ? DeadLetter.Status.BLOCKING : DeadLetter.Status.PARKED;
            while (running) {
                try (Connection c = dataSource.getConnection()) {
                    // the transaction replaces history and may end in onConflict(...): set and restored by hand
                    Transactions.Settings held = Transactions.Settings.set(c, false, Transactions.KEEP_ISOLATION);
                    try {
                        DeadLetter earlier = deadLetterStore.remove(c, name, producer, e.id().toString());
                        if (earlier != null) {
                            List<FailureRecord> merged = new ArrayList<>(earlier.errors());
                            int base = earlier.attempts();
                            for (FailureRecord f : history) {
                                merged.add(new FailureRecord(base + f.attempt(), f.at(), f.exceptionClass(), f.message(), f.stack()));
                            }
                            history = merged;
                        }
                        deadLetterStore.insert(c, name, producer, e, status, history);
                        if (status == DeadLetter.Status.PARKED
                                && !offsets.advance(c, name, producer, position, e.position(), e.id().toString(), clock.millis())) {
                            Jdbc.rollbackQuietly(c, null);
                            onConflict(new OffsetConflict("the offset of consumer " + name + " for producer " + producer
                                    + " is no longer at " + position));
                            return false;
                        }
                        c.commit();
                    } catch (SQLException x) {
                        Jdbc.rollbackQuietly(c, x);
                        throw x;
                    } finally {
                        held.restore(c);
                    }
                    if (status == DeadLetter.Status.PARKED) {
                        position = e.position();
                        parked.incrementAndGet();
                        log.warn("strongzero-consumer[{}]: parked message {} (producer {}, position {}, type {}) in {} {}: "
                                + "{}: {}", name, e.id(), producer, e.position(), e.type(), deadLetterStore.table(), why,
                                last.exceptionClass(), last.message());
                    } else {
                        blocked = true;
                        log.error("strongzero-consumer[{}]: message {} (producer {}, position {}, type {}) failed {} and "
                                + "BLOCKS the stream until it is replayed or discarded: {}: {}", name, e.id(), producer,
                                e.position(), e.type(), why, last.exceptionClass(), last.message());
                    }
                    metrics.deadLettered(name, producer, e.type(), status == DeadLetter.Status.BLOCKING);
                    notifyListener(e, status, history);
                    return status == DeadLetter.Status.PARKED;
                } catch (SQLException x) {
                    failures.incrementAndGet();
                    lastError = x.toString();
                    log.warn("strongzero-consumer[{}]: cannot record dead letter {} ({}); retrying", name, e.id(), x.toString());
                    pause(reconnect.delayMillis(Math.min(consecutiveFailures++, 20)));
                }
            }
            return false;
        }

        private void notifyListener(Envelope e, DeadLetter.Status status, List<FailureRecord> history) {
            try {
                List<FailureRecord> kept = DeadLetterStore.bound(history);
                deadLetterListener.onDeadLetter(new DeadLetter(name, producer, e.id(), e.position(), e.type(),
                        e.contentType(), e.payload(), Instant.ofEpochMilli(e.producedAt()), status,
                        history.get(history.size() - 1).attempt(), kept.get(0).at(), kept.get(kept.size() - 1).at(),
                        kept, null));
            } catch (RuntimeException x) {
                log.warn("strongzero-consumer[{}]: dead-letter listener threw; ignored", name, x);
            }
        }

        private void onConflict(OffsetConflict c) {
            log.warn("strongzero-consumer[{}]: {}; reloading the offset and pulling again", name, c.getMessage());
            loadOffset();
        }

        /** Applies a chunk in one transaction, on the handler thread when a handler timeout is set. */
        private void applyChunk(List<Envelope> chunk, int attempt) throws ApplyFailure, OffsetConflict {
            if (handlerTimeout == null) {
                applyChunkNow(chunk, attempt);
                return;
            }
            if (handlerThread == null) {
                handlerThread = Executors.newSingleThreadExecutor(Threads.factory("consumer", name + "-" + producer + "-handler"));
            }
            messageStartNanos = System.nanoTime();
            Future<Void> f = handlerThread.submit(() -> {
                applyChunkNow(chunk, attempt);
                return null;
            });
            long timeoutNanos = handlerTimeout.toNanos();
            while (true) {
                long left = messageStartNanos + timeoutNanos - System.nanoTime();
                try {
                    f.get(Math.max(1, left), TimeUnit.NANOSECONDS);
                    return;
                } catch (TimeoutException t) {
                    if (messageStartNanos + timeoutNanos - System.nanoTime() > 0) {
                        continue; // the next message started meanwhile: its own time budget applies
                    }
                    abandonHandler(f);
                    throw new ApplyFailure(chunk.get(0), new HandlerTimeoutException("a handler ran longer than "
                            + handlerTimeout.toMillis() + " ms (message in producer " + producer + " after position "
                            + position + "); its transaction was aborted"));
                } catch (ExecutionException x) {
                    Throwable cause = x.getCause();
                    if (cause instanceof ApplyFailure af) {
                        throw af;
                    }
                    if (cause instanceof OffsetConflict oc) {
                        throw oc;
                    }
                    throw new ApplyFailure(chunk.get(0), cause);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    abandonHandler(f);
                    throw new ApplyFailure(chunk.get(0), x);
                }
            }
        }

        /**
         * Gives up on a handler that overran: aborts its connection (so its transaction can never commit),
         * interrupts it and moves on with a fresh handler thread. A thread that ignores interrupts and
         * never touches the database again is left behind (daemon, logged).
         */
        private void abandonHandler(Future<Void> f) {
            Connection c = activeConnection;
            if (c != null) {
                try {
                    c.abort(Runnable::run);
                } catch (SQLException | RuntimeException x) {
                    log.debug("strongzero-consumer[{}]: aborting the overrunning handler's connection failed", name, x);
                }
            }
            f.cancel(true);
            handlerThread.shutdownNow();
            handlerThread = null;
            log.warn("strongzero-consumer[{}]: abandoned a handler of producer {} that overran {} ms; its transaction "
                    + "was aborted", name, producer, handlerTimeout.toMillis());
        }

        private void applyChunkNow(List<Envelope> chunk, int attempt) throws ApplyFailure, OffsetConflict {
            if (mode == TransactionMode.MANUAL) {
                applyManual(chunk.get(0), attempt);
                return;
            }
            Envelope current = chunk.get(0);
            int skippedHere = 0;
            long chunkStart = System.nanoTime();
            AfterCommit afterCommit = new AfterCommit();   // dropped unless the transaction commits
            try (Connection c = openTransactionConnection(current)) {
                activeConnection = c;
                // held open across handlers that throw ApplyFailure, and restored quietly (the connection may have
                // been aborted by a handler timeout): set and restored by hand
                Transactions.Settings held = null;
                try {
                    held = Transactions.Settings.set(c, false, Transactions.KEEP_ISOLATION);
                    Connection guarded = GuardedConnection.wrap(c);
                    for (Envelope e : chunk) {
                        current = e;
                        messageStartNanos = System.nanoTime();
                        if (!dispatch(producer, e, new Context(e, attempt, guarded, null, afterCommit))) {
                            skippedHere++;
                        }
                    }
                    Envelope last = chunk.get(chunk.size() - 1);
                    current = last;
                    if (!offsets.advance(c, name, producer, position, last.position(), last.id().toString(),
                            clock.millis())) {
                        Jdbc.rollbackQuietly(c, null);
                        throw new OffsetConflict("the offset of consumer " + name + " for producer " + producer
                                + " is no longer at " + position + " (another instance with the same name?)");
                    }
                    c.commit();
                    position = last.position();
                    lastAppliedProducedAt = last.producedAt();
                    metrics.committed(name, producer, chunk.size(), System.nanoTime() - chunkStart);
                    lastError = null;
                } catch (ApplyFailure | OffsetConflict f) {
                    Jdbc.rollbackQuietly(c, f);
                    throw f;
                } catch (Exception e) {
                    Jdbc.rollbackQuietly(c, e);
                    throw new ApplyFailure(current, e);
                } finally {
                    activeConnection = null;
                    try {
                        if (held != null && !c.isClosed()) {
                            held.restore(c);
                        }
                    } catch (SQLException e) {
                        log.debug("strongzero-consumer[{}]: restoring auto-commit failed", name, e);
                    }
                }
            } catch (SQLException e) {
                throw new ApplyFailure(current, e);
            }
            applied.addAndGet(chunk.size() - skippedHere);
            skipped.addAndGet(skippedHere);
            afterCommit.runAll(name);
        }

        private Connection openTransactionConnection(Envelope first) throws ApplyFailure {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new ApplyFailure(first, e, true);
            }
        }

        /**
         * MANUAL: the handler owns the transaction and commits it itself, so the consumer cannot time the commit
         * apart. A message counts as one committed transaction when its handler returns having called
         * consumed(connection), timed from the handler's call to its return (its commit included); a skipped
         * message, when the consumer committed its offset.
         */
        private void applyManual(Envelope e, int attempt) throws ApplyFailure, OffsetConflict {
            ManualOffset offset = new ManualOffset(producer, e, position, null, true);
            long start = System.nanoTime();
            boolean handled;
            try {
                handled = dispatch(producer, e, new Context(e, attempt, null, offset, null));
            } catch (ApplyFailure f) {
                if (f.getCause() instanceof OffsetConflictSignal) {
                    throw new OffsetConflict(f.getCause().getMessage());
                }
                throw f;
            }
            if (!handled) {
                // unknown type skipped: record the offset ourselves
                try (Connection c = dataSource.getConnection()) {
                    boolean advanced = Transactions.inTransaction(c, tx -> {
                        if (offsets.advance(tx, name, producer, position, e.position(), e.id().toString(), clock.millis())) {
                            return true;
                        }
                        Jdbc.rollbackQuietly(tx, null);
                        return false;
                    });
                    if (!advanced) {
                        throw new OffsetConflict("the offset of consumer " + name + " for producer " + producer
                                + " is no longer at " + position);
                    }
                } catch (SQLException x) {
                    throw new ApplyFailure(e, x);
                }
                position = e.position();
                lastError = null;
                metrics.committed(name, producer, 1, System.nanoTime() - start);
                skipped.incrementAndGet();
                return;
            }
            if (!offset.done) {
                throw new ApplyFailure(e, new IllegalStateException("the handler for type " + e.type()
                        + " returned without calling context.consumed(connection) in MANUAL mode: the offset was not recorded"));
            }
            position = e.position();
            lastError = null;
            metrics.committed(name, producer, 1, System.nanoTime() - start);
            applied.incrementAndGet();
        }
    }

    /** Records a MANUAL-mode message as consumed: moves the offset (or, for a replay, removes the dead letter). */
    private final class ManualOffset {
        final String producer;
        final Envelope message;
        final long expected;
        final DeadLetter.Status replayOf;
        final boolean advance;
        boolean done;

        /**
         * {@code replayOf}: null for normal delivery, else the status of the dead letter being replayed;
         * {@code advance}: move the offset (normal delivery, or a replay of the message the stream stopped at).
         */
        ManualOffset(String producer, Envelope message, long expected, DeadLetter.Status replayOf, boolean advance) {
            this.producer = producer;
            this.message = message;
            this.expected = expected;
            this.replayOf = replayOf;
            this.advance = advance;
        }

        void consumed(Connection c) {
            if (done) {
                throw new IllegalStateException("consumed() was already called for message " + message.id());
            }
            try {
                if (advance && !offsets.advance(c, name, producer, expected,
                        message.position(), message.id().toString(), clock.millis())) {
                    throw new OffsetConflictSignal("the offset of consumer " + name + " for producer " + producer
                            + " is no longer at " + expected + ": roll back (another instance, or an earlier commit failed)");
                }
                if (replayOf != null && !deadLetterStore.delete(c, name, producer, message.id().toString(), replayOf)) {
                    throw new OffsetConflictSignal("dead letter " + message.id() + " was replayed or discarded concurrently");
                }
            } catch (SQLException e) {
                throw new StrongZeroStorageException("cannot record message " + message.id() + " as consumed", e);
            }
            done = true;
        }
    }

    /** The context handed to handlers. */
    private final class Context implements HandlerContext {
        private final Envelope message;
        private final int attempt;
        private final Connection connection;
        private final ManualOffset manual;
        private final AfterCommit afterCommit;

        Context(Envelope message, int attempt, Connection connection, ManualOffset manual, AfterCommit afterCommit) {
            this.message = message;
            this.attempt = attempt;
            this.connection = connection;
            this.manual = manual;
            this.afterCommit = afterCommit;
        }

        @Override
        public Connection connection() {
            if (connection == null) {
                throw new IllegalStateException("connection() is for TransactionMode.AUTO; in MANUAL the handler uses its "
                        + "own connection and calls consumed(connection) before committing");
            }
            return connection;
        }

        @Override
        public void consumed(Connection c) {
            if (manual == null) {
                throw new IllegalStateException("consumed(connection) is for TransactionMode.MANUAL; in AUTO the consumer "
                        + "records the offset itself");
            }
            manual.consumed(c);
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public IdempotencyGuard.Outcome once(String effectName, IdempotencyGuard.SideEffect effect) throws Exception {
            return idempotency.once(message.id(), effectName, effect);
        }

        @Override
        public void afterCommit(Runnable action) {
            if (afterCommit == null) {
                throw new IllegalStateException("afterCommit(action) is for TransactionMode.AUTO; in MANUAL the handler "
                        + "commits its own transaction and can act right after that");
            }
            afterCommit.add(action);
        }
    }

    /** Runs the handler; returns false if the message was skipped (redacted, or unknown type under SKIP). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    boolean dispatch(String producer, Envelope e, HandlerContext context) throws ApplyFailure {
        if (Protocol.isRedacted(e)) {
            return false; // the producer withheld it from this consumer's key: skip it, the offset moves past it
        }
        Registration reg = handlers.get(e.type());
        if (reg == null) {
            if (unknownTypePolicy == UnknownTypePolicy.SKIP) {
                log.warn("strongzero-consumer[{}]: skipping message {} (producer {}, position {}) of unknown type '{}'"
                        + " (unknownTypePolicy SKIP)", name, e.id(), producer, e.position(), e.type());
                return false;
            }
            throw new ApplyFailure(e, new StrongZeroException("no handler for message type '" + e.type()
                    + "' (message " + e.id() + ", producer " + producer + ", position " + e.position()
                    + "): register one, or set unknownTypePolicy(SKIP) to skip such messages"));
        }
        PayloadCodec codec = codecs.get(e.contentType());
        if (codec == null) {
            throw new ApplyFailure(e, new NonRetryableException("message " + e.id() + " has content type '"
                    + e.contentType() + "' and this consumer has no codec for it; register one with codec(...)"));
        }
        try {
            Object payload = codec.decode(e.payload(), reg.type());
            long t0 = System.nanoTime();
            reg.handler().handle(new DecodedMessage<>(e, producer, payload), context);
            metrics.handled(name, producer, e.type(), System.nanoTime() - t0);
            return true;
        } catch (Exception x) {
            throw new ApplyFailure(e, x);
        }
    }

    private RetryPolicy policyFor(String type) {
        RetryPolicy p = typePolicies.get(type);
        return p != null ? p : retryPolicy;
    }

    /** Thrown by {@link HandlerContext#consumed} in MANUAL mode when the offset moved. */
    static final class OffsetConflictSignal extends StrongZeroStorageException {
        private static final long serialVersionUID = 1L;

        OffsetConflictSignal(String message) {
            super(message, null);
        }
    }

    /** An ERROR reply, with the producer's retry-after hint. */
    private static final class RetryAfter extends StrongZeroProtocolException {
        private static final long serialVersionUID = 1L;
        final long millis;

        RetryAfter(ErrorCode code, String message, long millis) {
            super(code, message);
            this.millis = millis;
        }
    }

    /**
     * Sleeps for at least {@code millis} (in slices, so that {@link #close()} ends it early). Measured on the
     * monotonic clock: a wall clock that steps, or its millisecond granularity, must not shorten a retry backoff.
     */
    private void pause(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (running) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a {@link StrongZeroConsumer}. Setters validate at once. Not thread-safe. */
    public static final class Builder {
        private String name;
        private DataSource dataSource;
        private Dialect dialect;
        private String tablePrefix = Schema.DEFAULT_PREFIX;
        private boolean createSchemaIfMissing;
        private final Map<String, String> producers = new LinkedHashMap<>();
        private CurveKeyPair curveKeyPair;
        private final Map<String, CurvePublicKey> producerKeys = new LinkedHashMap<>();
        private final Map<String, Registration<?>> handlers = new LinkedHashMap<>();
        private final Map<String, PayloadCodec> codecs = new LinkedHashMap<>();
        private UnknownTypePolicy unknownTypePolicy = UnknownTypePolicy.FAIL;
        private TransactionMode mode = TransactionMode.AUTO;
        private int maxBatchMessages = 500;
        private int maxBatchBytes = 4 * 1024 * 1024;
        private int transactionSize = 100;
        private Duration longPollWait = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration heartbeat = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofSeconds(2);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Duration backoffBase = Duration.ofMillis(100);
        private Duration backoffCap = Duration.ofSeconds(10);
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private final Map<String, RetryPolicy> typePolicies = new LinkedHashMap<>();
        private Duration handlerTimeout = Duration.ofSeconds(60);
        private boolean prefetch = true;
        private DeadLetterListener deadLetterListener = DeadLetterListener.NONE;
        private StrongZeroMetrics metrics = StrongZeroMetrics.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
            PayloadCodec msgpack = PayloadCodec.msgpack();
            PayloadCodec json = PayloadCodec.json();
            codecs.put(msgpack.contentType(), msgpack);
            codecs.put(json.contentType(), json);
        }

        /** The consumer's name: {@link Protocol#nameRule()}. Required. Its offsets are stored under it. */
        public Builder name(String name) {
            this.name = Checks.name("name", name);
            return this;
        }

        /** The consumer's own database (offsets, handler effects). Required. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The SQL dialect; detected when not set. */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** Table prefix, default {@code sz_}. */
        public Builder tablePrefix(String prefix) {
            this.tablePrefix = Schema.validatePrefix(prefix);
            return this;
        }

        /** Create the offset table at start if missing. Default false. */
        public Builder createSchemaIfMissing(boolean create) {
            this.createSchemaIfMissing = create;
            return this;
        }

        /** A producer to pull from, by its name and endpoint (for example {@code tcp://10.0.0.5:7300}). At least one. */
        public Builder producer(String producerName, String endpoint) {
            if (!Protocol.isValidName(producerName)) {
                throw new StrongZeroConfigException("producer name must be " + Protocol.nameRule() + " but was '"
                        + producerName + "'");
            }
            Checks.endpoint("endpoint of producer " + producerName, endpoint);
            if (producers.containsKey(producerName)) {
                throw new StrongZeroConfigException("producer '" + producerName + "' is already configured");
            }
            producers.put(producerName, endpoint);
            return this;
        }

        /**
         * This consumer's CurveZMQ key pair, presented to the producers configured with
         * {@link #producerKey}; their allow-lists must hold its public key. See {@code docs/security.md}.
         */
        public Builder curveKeyPair(CurveKeyPair keyPair) {
            this.curveKeyPair = Objects.requireNonNull(keyPair, "keyPair");
            return this;
        }

        /**
         * Pull from this producer over CurveZMQ (encrypted, authenticated both ways): the consumer only
         * talks to a producer holding the secret key of {@code producerKey}. Needs {@link #curveKeyPair}.
         * Producers without a key are pulled in plaintext.
         */
        public Builder producerKey(String producerName, CurvePublicKey producerKey) {
            Objects.requireNonNull(producerKey, "producerKey");
            if (!Protocol.isValidName(producerName)) {
                throw new StrongZeroConfigException("producer name must be " + Protocol.nameRule() + " but was '"
                        + producerName + "'");
            }
            if (producerKeys.containsKey(producerName)) {
                throw new StrongZeroConfigException("a producerKey for producer '" + producerName + "' is already set");
            }
            producerKeys.put(producerName, producerKey);
            return this;
        }

        /** The handler for a message type, with the class its payload decodes to. One handler per type. */
        public <T> Builder handler(String type, Class<T> payloadType, MessageHandler<T> handler) {
            if (type == null || type.isEmpty() || type.length() > 255) {
                throw new StrongZeroConfigException("handler type must be 1 to 255 characters but was '" + type + "'");
            }
            if (handlers.containsKey(type)) {
                throw new StrongZeroConfigException("a handler for type '" + type + "' is already registered");
            }
            handlers.put(type, new Registration<>(Objects.requireNonNull(payloadType, "payloadType"),
                    Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /** A codec for its content type, replacing the default one (for example a mapper with extra modules). */
        public Builder codec(PayloadCodec codec) {
            codecs.put(codec.contentType(), codec);
            return this;
        }

        /** What to do with messages of a type without a handler. Default {@link UnknownTypePolicy#FAIL}. */
        public Builder unknownTypePolicy(UnknownTypePolicy policy) {
            this.unknownTypePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Who owns the transaction. Default {@link TransactionMode#AUTO}. */
        public Builder transactionMode(TransactionMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Messages asked for per pull: 1 to 10000, default 500. */
        public Builder maxBatchMessages(int max) {
            this.maxBatchMessages = Checks.between("maxBatchMessages", max, 1, Protocol.MAX_MESSAGES_LIMIT);
            return this;
        }

        /** Bytes asked for per pull: 1 KiB to 64 MiB, default 4 MiB. Bounds the memory one pull can take. */
        public Builder maxBatchBytes(int max) {
            this.maxBatchBytes = Checks.between("maxBatchBytes", max, 1024, Protocol.MAX_BYTES_LIMIT);
            return this;
        }

        /** Messages applied per transaction in AUTO mode: 1 to 10000, default 100. */
        public Builder transactionSize(int size) {
            this.transactionSize = Checks.between("transactionSize", size, 1, 10_000);
            return this;
        }

        /** How long the producer may hold a pull when nothing is new: 0 to 60 s, default 5 s. */
        public Builder longPollWait(Duration wait) {
            if (wait == null || wait.isNegative() || wait.toMillis() > Protocol.MAX_WAIT_LIMIT_MS) {
                throw new StrongZeroConfigException("longPollWait must be between 0 and 60 s but was " + wait);
            }
            this.longPollWait = wait;
            return this;
        }

        /** Extra time, beyond the long-poll wait, to wait for a reply before reconnecting: 100 ms to 5 min, default 10 s. */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 100 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new StrongZeroConfigException("requestTimeout must be between 100 ms and 5 min but was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** ZeroMQ heartbeat interval (timeout three intervals): 100 ms to 60 s, default 5 s. */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = Checks.between("heartbeat", interval, 100, 60_000, "100 ms", "60 s");
            return this;
        }

        /**
         * How long a new connection to a producer may take to complete its ZeroMQ handshake (CURVE
         * included) before it is dropped and made again: 100 ms to 60 s, default 2 s. It also bounds a
         * jeromq 0.6.0 race that leaves a few percent of fresh connections silent (jeromq PR 1022); raise
         * it only for links whose round trip is several hundred milliseconds.
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Checks.between("handshakeTimeout", timeout, 100, 60_000, "100 ms", "60 s");
            return this;
        }

        /** How long {@link StrongZeroConsumer#close()} waits for the transaction in flight: 0 to 10 min, default 10 s. */
        public Builder closeTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new StrongZeroConfigException("closeTimeout must be between 0 and 10 min but was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** How failing messages are retried, and what happens after the last attempt. Default {@link RetryPolicy#defaults()}. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** A retry policy for one message type, overriding {@link #retryPolicy(RetryPolicy)}. */
        public Builder retryPolicy(String type, RetryPolicy policy) {
            if (type == null || type.isEmpty()) {
                throw new StrongZeroConfigException("retryPolicy type must not be empty");
            }
            typePolicies.put(type, Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * A handler call (or a transaction of several) that runs longer than this per message is treated as
         * failed: its connection is aborted so its transaction can never commit, its thread is interrupted
         * and abandoned, and the message follows its retry policy. 10 ms to 1 h, default 60 s; {@code null}
         * turns timeouts off (handlers then run on the consumer's own thread, saving a thread hop).
         */
        public Builder handlerTimeout(Duration timeout) {
            if (timeout != null && (timeout.toMillis() < 10 || timeout.compareTo(Duration.ofHours(1)) > 0)) {
                throw new StrongZeroConfigException("handlerTimeout must be between 10 ms and 1 h (or null for none) but was "
                        + timeout);
            }
            this.handlerTimeout = timeout;
            return this;
        }

        /** Ask for the next batch while the current one is applied (at most one batch ahead). Default true. */
        public Builder prefetch(boolean prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Where measurements go; default {@link StrongZeroMetrics#NONE}. */
        public Builder metrics(StrongZeroMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Told when a message is parked or blocks its stream (for alerting). */
        public Builder deadLetterListener(DeadLetterListener listener) {
            this.deadLetterListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Backoff between reconnects and database retries: exponential with jitter, base and cap. Default 100 ms to 10 s. */
        public Builder reconnectBackoff(Duration base, Duration cap) {
            if (base == null || cap == null || base.toMillis() < 1 || cap.compareTo(base) < 0 || cap.compareTo(Duration.ofHours(24)) > 0) {
                throw new StrongZeroConfigException("reconnectBackoff needs 1 ms <= base <= cap <= 24 h but was base " + base
                        + ", cap " + cap);
            }
            this.backoffBase = base;
            this.backoffCap = cap;
            return this;
        }

        /** The random source for retry and reconnect jitter, uniform in [0, 1) (tests make it deterministic). */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The clock for offset timestamps. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the consumer (not started).
         *
         * @throws StrongZeroConfigException if name, dataSource or producers are missing, or settings conflict
         */
        public StrongZeroConsumer build() {
            if (name == null) {
                throw new StrongZeroConfigException("name is required: the consumer's name, under which offsets are stored");
            }
            if (dataSource == null) {
                throw new StrongZeroConfigException("dataSource is required: the consumer's own database");
            }
            if (producers.isEmpty()) {
                throw new StrongZeroConfigException("at least one producer(name, endpoint) is required");
            }
            if (handlers.isEmpty() && unknownTypePolicy == UnknownTypePolicy.FAIL) {
                throw new StrongZeroConfigException("no handler is registered and unknownTypePolicy is FAIL: every "
                        + "message would stop the stream; register handlers with handler(type, class, handler)");
            }
            for (String p : producerKeys.keySet()) {
                if (!producers.containsKey(p)) {
                    throw new StrongZeroConfigException("producerKey is set for producer '" + p + "' but no producer('" + p
                            + "', endpoint) is configured; producers are " + producers.keySet());
                }
            }
            if (!producerKeys.isEmpty() && curveKeyPair == null) {
                throw new StrongZeroConfigException("producerKey is set for " + producerKeys.keySet() + " but curveKeyPair "
                        + "is not: CURVE needs this consumer's key pair too");
            }
            if (curveKeyPair != null && producerKeys.isEmpty()) {
                throw new StrongZeroConfigException("curveKeyPair is set but no producerKey(...): every producer would be "
                        + "pulled in plaintext; set the producers' public keys");
            }
            if (transactionSize > maxBatchMessages) {
                throw new StrongZeroConfigException("transactionSize (" + transactionSize + ") cannot exceed maxBatchMessages ("
                        + maxBatchMessages + ")");
            }
            return new StrongZeroConsumer(this);
        }
    }
}
