package io.strongzero.producer;

import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.Health;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.StrongZeroProtocolException;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Endpoints;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.Monotonic;
import io.strongzero.core.internal.Protocol;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.Threads;
import io.strongzero.core.internal.Transactions;
import io.strongzero.pump.HeadListener;
import io.strongzero.pump.JournalAdmin;
import io.strongzero.pump.TailListener;
import io.strongzero.producer.internal.AccessGrant;
import io.strongzero.producer.internal.ConnectionQuota;
import io.strongzero.producer.internal.HeldBackLog;
import io.strongzero.producer.internal.IncomingRequest;
import io.strongzero.producer.internal.ParkingLot;
import io.strongzero.producer.internal.ProgressRecorder;
import io.strongzero.producer.internal.TailCache;
import io.strongzero.producer.internal.ZapHandler;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.pump.internal.ConsumerProgressWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;

/**
 * Serves a journal to pulling consumers: a ZeroMQ ROUTER frontend on one or more endpoints, a pool
 * of reader threads behind it, and the {@link StrongZeroPump} that sequences the journal.
 *
 * <p>A consumer asks for the messages after its committed position. If there are any, a reader
 * thread reads an unbroken run of positions from the journal (bounded in count and bytes) and the
 * frontend sends it. If there are none, the request is <em>parked</em> (long polling) and answered as
 * soon as the pump announces new positions, or with an empty batch after the consumer's wait time.
 * Each consumer is served independently: a slow one never holds up another.
 *
 * <pre>{@code
 * StrongZeroProducer producer = StrongZeroProducer.builder()
 *         .name("users").dataSource(ds).bind("tcp://127.0.0.1:7300")
 *         .build().start();
 * StrongZeroSender sender = StrongZeroSender.builder().producer(producer).dataSource(ds).build();
 * }</pre>
 *
 * <p>By default the endpoints are plaintext and open to anyone who can connect (fine on loopback; a
 * WARN at start says so for other endpoints). With {@link Builder#security(ProducerSecurity)} they use
 * CurveZMQ: traffic is encrypted, only consumers whose public key is on the allow-list can connect, and
 * each key can be limited to some message types (see {@code docs/security.md}). Requests that break
 * the protocol are answered with an ERROR, counted in {@link #malformedCount()} and logged at WARN at
 * most once per 10 s, with a summary of the ones held back (their number per error code) once the 10 s have
 * passed and at close (failed CURVE handshakes and refused keys likewise); frames larger than 4 KiB close the
 * connection.
 *
 * <p>The ROUTER socket is owned by one thread ({@code strongzero-producer-<name>-frontend}); readers
 * hand their replies to it through a queue and a wake-up pipe. Lifecycle: {@link #start()},
 * {@link #close()} (idempotent; also closes the pump if this producer created it). Thread-safe.
 */
public final class StrongZeroProducer implements AutoCloseable, Health.Check {

    private static final Logger log = LoggerFactory.getLogger(StrongZeroProducer.class);
    private static final int MAX_FRAMES_PER_REQUEST = 8;
    /** Largest frame a peer may send; a valid request frame has at most 288 bytes. Larger ones drop the connection. */
    private static final int MAX_REQUEST_FRAME_BYTES = 4 * 1024;
    /** Pulls one connection may have parked: one per consumer behind it (a direct consumer has one). */
    private static final int MAX_PARKED_PER_CONNECTION = 100;
    /** Requests queued per connection before ZeroMQ stops reading from it; a consumer keeps one outstanding. */
    private static final int MAX_QUEUED_REQUESTS_PER_PEER = 100;
    /**
     * Replies queued per connection; more are dropped (the consumer times out and asks again). Bounds
     * the memory a connection that does not read its replies can hold to this many batches.
     */
    private static final int MAX_QUEUED_REPLIES_PER_PEER = 16;
    /** Journal reads one connection may have queued or running; more get BUSY, so no connection hogs the readers. */
    private static final int MAX_READS_PER_CONNECTION = 8;
    private static final int HANDSHAKE_FAILURES = ZMQ.HANDSHAKE_FAILED_PROTOCOL | ZMQ.HANDSHAKE_FAILED_NO_DETAIL
            | ZMQ.HANDSHAKE_FAILED_AUTH;

    /**
     * The {@code consumer} the producer passes to {@link StrongZeroMetrics#served} for a consumer that does not hold
     * retention (UNREGISTERED or not recorded): made-up names share one meter instead of adding one each.
     */
    public static final String UNREGISTERED_CONSUMERS = "_unregistered";

    private final StrongZeroPump pump;
    private final boolean ownsPump;
    private final String name;
    private final List<String> endpoints;
    private final JournalStore journal;
    private final int readers;
    private final int maxBatchMessages;
    private final int maxBatchBytes;
    private final int maxParked;
    private final int maxQueuedReads;
    private final Duration heartbeat;
    private final int maxInflightPulls;
    private final long maxInflightBytes;
    private final Duration progressInterval;
    private final Duration minRetention;
    private final Duration maxRetention;
    private final Duration retentionInterval;
    private final int retentionChunk;
    private final JournalAdmin admin;
    private final StrongZeroMetrics metrics;
    private final ProducerSecurity security;
    private final ZapHandler zap;
    private final Duration consumerIdleAfter;
    /** Consumer progress from pulls, recorded every progressInterval; which consumers hold retention. */
    private final ProgressRecorder consumerProgress;
    private final AtomicInteger inflightPulls = new AtomicInteger();
    private final AtomicLong inflightBytes = new AtomicLong();
    private ScheduledExecutorService maintenance;
    private volatile String lastMaintenanceError;

    private final ConcurrentLinkedQueue<List<byte[]>> replies = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong busyReplies = new AtomicLong();
    private final AtomicLong handshakeFailures = new AtomicLong();
    /** Refused requests: one detailed WARN per 10 s, the rest summarized on the frontend's timer and at close. */
    private final HeldBackLog refusalLog;
    /** Failed CURVE handshakes (counted on ZeroMQ's I/O thread): the same. */
    private final HeldBackLog handshakeLog;
    private final ConnectionQuota reads = new ConnectionQuota(MAX_READS_PER_CONNECTION);
    private final HeadListener headListener = h -> wake();
    private final TailCache tail;
    private final TailListener tailListener;
    private final AtomicLong servedFromMemory = new AtomicLong();
    private final AtomicLong frontendRestarts = new AtomicLong();
    /** What the frontend bound the first time; a restarted frontend binds the same (ports included). */
    private volatile List<String> lastBound;
    private final Object lifecycle = new Object();
    private volatile boolean running;
    private volatile boolean closed;
    private Pipe pipe;
    private ThreadPoolExecutor readerPool;
    private Thread frontend;
    private volatile List<String> boundEndpoints = List.of();

    private StrongZeroProducer(Builder b) {
        if (b.pump != null) {
            this.pump = b.pump;
            this.ownsPump = false;
        } else {
            StrongZeroPump.Builder pb = StrongZeroPump.builder().name(b.name).dataSource(b.dataSource)
                    .createSchemaIfMissing(b.createSchemaIfMissing).metrics(b.metrics);
            if (b.tablePrefix != null) {
                pb.tablePrefix(b.tablePrefix);
            }
            if (b.pollInterval != null) {
                pb.pollInterval(b.pollInterval);
            }
            if (b.dialect != null) {
                pb.dialect(b.dialect);
            }
            if (b.pokeEndpoint != null) {
                pb.pokeEndpoint(b.pokeEndpoint);
            }
            this.pump = pb.build();
            this.ownsPump = true;
        }
        this.name = pump.name();
        this.endpoints = List.copyOf(b.endpoints);
        this.journal = new JournalStore(pump.dialect(), pump.tablePrefix());
        this.readers = b.readers;
        this.maxBatchMessages = b.maxBatchMessages;
        this.maxBatchBytes = b.maxBatchBytes;
        this.maxParked = b.maxParked;
        this.maxQueuedReads = b.maxQueuedReads;
        this.heartbeat = b.heartbeat;
        this.maxInflightPulls = b.maxInflightPulls;
        this.maxInflightBytes = b.maxInflightBytes;
        this.progressInterval = b.progressInterval;
        this.minRetention = b.minRetention;
        this.maxRetention = b.maxRetention;
        this.retentionInterval = b.retentionInterval;
        this.retentionChunk = b.retentionChunk;
        this.consumerIdleAfter = b.consumerIdleAfter;
        this.metrics = b.metrics;
        this.security = b.security;
        this.zap = b.security == null ? null : new ZapHandler(name, b.security);
        this.tail = b.tailCacheMessages > 0 ? new TailCache(b.tailCacheMessages, b.tailCacheBytes) : null;
        this.tailListener = tail == null ? null : tail::append;
        this.admin = new JournalAdmin(pump.dataSource(), pump.dialect(), pump.tablePrefix(), java.time.Clock.systemUTC());
        String prefix = "strongzero-producer[" + name + "]: ";
        this.consumerProgress = new ProgressRecorder(name, new ConsumerProgressWriter(pump.dataSource(), pump.dialect(),
                pump.tablePrefix(), java.time.Clock.systemUTC()), b.maxUnregisteredConsumers, Monotonic::millis, log::warn);
        this.refusalLog = new HeldBackLog(10_000, Monotonic::millis, log::warn, (held, kinds, total) -> prefix
                + "refused " + held + " more request" + (held == 1 ? "" : "s") + " not logged one by one (" + kinds + "; "
                + total + " refused so far)");
        this.handshakeLog = new HeldBackLog(10_000, Monotonic::millis, log::warn, (held, kinds, total) -> prefix
                + held + " more CURVE handshake" + (held == 1 ? "" : "s") + " failed, not logged one by one (" + kinds
                + "; " + total + " failed so far)");
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The producer's (journal's) name; consumers ask for it by this name. */
    public String name() {
        return name;
    }

    /** The pump that sequences this producer's journal. */
    public StrongZeroPump pump() {
        return pump;
    }

    /** The endpoints actually bound (with the real port when a wildcard port {@code :*} was asked for). */
    public List<String> endpoints() {
        return boundEndpoints;
    }

    /** Messages sent to consumers since start. */
    public long servedCount() {
        return served.get();
    }

    /** Requests refused as malformed since start (each answered with an ERROR). */
    public long malformedCount() {
        return malformed.get();
    }

    /**
     * Connections refused during the CURVE handshake since start: keys not on the allow-list, and
     * handshakes that failed (a client expecting another producer key, or a garbled handshake). A
     * plaintext client is disconnected by ZeroMQ without a handshake and is not counted. Always 0 in
     * plaintext mode.
     */
    public long refusedConnectionCount() {
        return (zap == null ? 0 : zap.deniedCount()) + handshakeFailures.get();
    }

    /**
     * Starts the pump (if this producer created it, or if it is not running yet), binds the endpoints
     * and starts the frontend and reader threads.
     *
     * @throws StrongZeroConfigException if an endpoint cannot be bound (port in use, bad address)
     */
    public StrongZeroProducer start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("producer " + name + " is closed; build a new one");
            }
            if (running) {
                throw new IllegalStateException("producer " + name + " is already started");
            }
            if (!pump.isRunning()) {
                pump.start();
            }
            Schema.verifyTable(pump.dataSource(), pump.dialect(), Schema.Side.PRODUCER, pump.tablePrefix() + "consumer",
                    "consumer_name", "pos", "last_seen", "state");
            try {
                consumerProgress.load();
            } catch (RuntimeException e) {
                log.debug("strongzero-producer[{}]: reading the consumers failed; the first progress flush reads them", name, e);
            }
            try {
                pipe = Pipe.open();
                pipe.source().configureBlocking(false);
                pipe.sink().configureBlocking(false);
            } catch (IOException e) {
                throw new StrongZeroException("producer " + name + ": cannot open the wake-up pipe", e);
            }
            readerPool = new ThreadPoolExecutor(readers, readers, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(maxQueuedReads), Threads.factory("producer", name + "-reader"),
                    new ThreadPoolExecutor.AbortPolicy());
            running = true;
            CompletableFuture<List<String>> bound = new CompletableFuture<>();
            frontend = Threads.newThread("producer", name + "-frontend", () -> superviseFrontend(bound));
            frontend.start();
            try {
                boundEndpoints = bound.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                close();
                Throwable cause = e.getCause();
                throw cause instanceof StrongZeroException sz ? sz
                        : new StrongZeroException("producer " + name + ": frontend failed to start", cause);
            } catch (TimeoutException e) {
                close();
                throw new StrongZeroException("producer " + name + ": frontend did not bind within 10 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new StrongZeroException("producer " + name + ": interrupted while starting", e);
            }
            if (tail != null) {
                pump.addTailListener(tailListener);
            }
            pump.addListener(headListener);
            maintenance = Executors.newSingleThreadScheduledExecutor(Threads.factory("producer", name + "-maintenance"));
            maintenance.scheduleWithFixedDelay(this::flushProgress, progressInterval.toMillis(), progressInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
            if (minRetention != null) {
                maintenance.scheduleWithFixedDelay(this::runRetention, retentionInterval.toMillis(),
                        retentionInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
            log.info("strongzero-producer[{}]: serving on {} with {} readers, batches up to {} messages / {} bytes, {}",
                    name, boundEndpoints, readers, maxBatchMessages, maxBatchBytes, security == null ? "plaintext" : security);
            if (security == null) {
                for (String endpoint : boundEndpoints) {
                    if (!Endpoints.isLocal(endpoint)) {
                        log.warn("strongzero-producer[{}]: {} is not a loopback endpoint and runs WITHOUT encryption or "
                                + "authentication: anyone who can reach it can read the journal; configure "
                                + "security(ProducerSecurity) (docs/security.md)", name, endpoint);
                    }
                }
            }
            return this;
        }
    }

    private void flushProgress() {
        try {
            consumerProgress.flush();
            lastMaintenanceError = null;
        } catch (RuntimeException e) {
            lastMaintenanceError = e.getMessage();
            log.debug("strongzero-producer[{}]: recording consumer progress failed", name, e);
        }
    }

    private void runRetention() {
        try {
            admin.cleanUp(minRetention, maxRetention, retentionChunk);
            lastMaintenanceError = null;
        } catch (RuntimeException e) {
            lastMaintenanceError = e.getMessage();
            log.warn("strongzero-producer[{}]: journal retention failed; will retry: {}", name, e.getMessage());
        }
    }

    /** Journal status and consumer progress operations for this producer's journal. */
    public JournalAdmin admin() {
        return admin;
    }

    /**
     * Every consumer that pulled (or was registered), with its lag, UNREGISTERED ones included; progress is recorded
     * every {@code progressInterval}.
     */
    public List<JournalAdmin.ConsumerProgress> consumers() {
        return admin.consumers();
    }

    /** How long after its last pull an ACTIVE consumer is reported as idle (health, meters). */
    public Duration consumerIdleAfter() {
        return consumerIdleAfter;
    }

    /** Consumer names not recorded since start because {@link Builder#maxUnregisteredConsumers} was reached. */
    public long unrecordedConsumerNameCount() {
        return consumerProgress.unrecordedCount();
    }

    /**
     * Registers a consumer before its first pull, so retention keeps its messages; an UNREGISTERED consumer
     * becomes a real one (see {@link JournalAdmin#registerConsumer}).
     */
    public void registerConsumer(String consumerName) {
        admin.registerConsumer(consumerName, 0);
        consumerProgress.changed(consumerName, true);
    }

    /** Declares a consumer gone, so retention no longer waits for it. */
    public boolean removeConsumer(String consumerName) {
        boolean known = admin.removeConsumer(consumerName);
        consumerProgress.changed(consumerName, false);
        return known;
    }

    /** Runs one retention pass now (also scheduled when retention is configured). */
    public JournalAdmin.RetentionResult cleanUpJournal() {
        if (minRetention == null) {
            throw new IllegalStateException("producer " + name + " has no retention configured: use retention(min, max)");
        }
        return admin.cleanUp(minRetention, maxRetention, retentionChunk);
    }

    /**
     * Liveness: the frontend and pump threads run. Readiness: the frontend is bound and the journal
     * database answers. Details: endpoints, served and refused counts, head, unsequenced rows, sequencer
     * owner; each consumer that is not UNREGISTERED with its position, lag and state, where an ACTIVE one
     * without a pull for {@link Builder#consumerIdleAfter} shows as {@code IDLE}
     * ({@link JournalAdmin.ConsumerProgress#idle}); the number of idle consumers, of UNREGISTERED consumers
     * (counted, not listed), and of names not recorded because of {@link Builder#maxUnregisteredConsumers}.
     */
    @Override
    public Health health() {
        Health.Builder h = new Health.Builder("producer:" + name);
        if (!running) {
            h.notReady(closed ? "closed" : "not started");
        } else if (frontend == null || !frontend.isAlive()) {
            h.dead("the frontend thread died");
        }
        Health p = pump.health();
        if (!p.live()) {
            h.dead("pump: " + String.join("; ", p.reasons()));
        } else if (!p.ready()) {
            h.notReady("pump: " + String.join("; ", p.reasons()));
        } else {
            p.reasons().forEach(r -> h.degraded("pump: " + r));
        }
        h.detail("endpoints", boundEndpoints).detail("frontendRestarts", frontendRestarts.get()).detail("served", served.get()).detail("refused", malformed.get())
                .detail("busyReplies", busyReplies.get()).detail("inflightPulls", inflightPulls.get());
        p.details().forEach(h::detail);
        try {
            long now = System.currentTimeMillis(); // the clock lastSeen is recorded with
            List<Map<String, Object>> lag = new ArrayList<>();
            int idle = 0;
            int unregistered = 0;
            for (JournalAdmin.ConsumerProgress c : admin.consumers()) {
                if (c.state() == JournalAdmin.ConsumerState.UNREGISTERED) {
                    unregistered++; // counted, not listed: made-up names must not crowd out real consumers
                    continue;
                }
                boolean isIdle = c.idle(now, consumerIdleAfter);
                idle += isIdle ? 1 : 0;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.name());
                m.put("position", c.position());
                m.put("state", isIdle ? "IDLE" : c.state().name());
                m.put("lastSeen", c.lastSeen());
                m.put("lagMessages", c.lagMessages());
                m.put("lagMillis", c.lagMillis());
                lag.add(m);
            }
            h.detail("consumers", lag).detail("idleConsumers", idle).detail("unregisteredConsumers", unregistered)
                    .detail("unrecordedConsumerNames", consumerProgress.unrecordedCount());
        } catch (RuntimeException e) {
            h.notReady("journal database unreachable: " + e.getMessage());
        }
        if (lastMaintenanceError != null) {
            h.degraded("maintenance (progress/retention) failed: " + lastMaintenanceError);
        }
        return h.build();
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                // the pipe is closed: we are shutting down
            }
        }
    }

    /** One pull waiting for new positions. */
    private static final class Parked {
        final IncomingRequest.Route route;
        final AccessGrant grant;
        final Protocol.PullRequest request;
        final long deadline;

        Parked(IncomingRequest.Route route, AccessGrant grant, Protocol.PullRequest request, long deadline) {
            this.route = route;
            this.grant = grant;
            this.request = request;
            this.deadline = deadline;
        }
    }

    /**
     * Runs the frontend and, if it fails in a way nobody anticipated (a bug, an error inside jeromq), runs
     * it again on the endpoints it had bound, with backoff: the producer must not stop serving for good.
     * Parked pulls are lost with the old socket; their consumers time out and pull again.
     */
    private void superviseFrontend(CompletableFuture<List<String>> bound) {
        int restarts = 0;
        while (running) {
            if (!runFrontend(bound) || !running || !bound.isDone() || bound.isCompletedExceptionally()) {
                return;
            }
            restarts++;
            frontendRestarts.incrementAndGet();
            long delay = Math.min(5_000, 50L << Math.min(restarts, 7));
            log.error("strongzero-producer[{}]: restarting the frontend on {} in {} ms ({} restarts so far)", name,
                    lastBound, delay, restarts);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How often the frontend failed unexpectedly and was started again. */
    public long frontendRestartCount() {
        return frontendRestarts.get();
    }

    /** Runs the frontend until the producer closes (false) or it fails unexpectedly (true). */
    private boolean runFrontend(CompletableFuture<List<String>> bound) {
        ZContext ctx = new ZContext(1);
        ParkingLot<Parked> parked = new ParkingLot<>(maxParked, MAX_PARKED_PER_CONNECTION);
        try {
            ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
            ZMQ.Socket zapSocket = null;
            List<String> actual = new ArrayList<>();
            try {
                router.setLinger(0);
                router.setMaxMsgSize(MAX_REQUEST_FRAME_BYTES);
                router.setRcvHWM(MAX_QUEUED_REQUESTS_PER_PEER);
                router.setSndHWM(MAX_QUEUED_REPLIES_PER_PEER);
                router.setHandshakeIvl(10_000);
                router.setHeartbeatIvl((int) heartbeat.toMillis());
                router.setHeartbeatTimeout((int) heartbeat.toMillis() * 3);
                if (security != null) {
                    // The ZAP handler must be bound before the ROUTER accepts: without one, ZeroMQ admits every key.
                    zapSocket = ctx.createSocket(SocketType.REP);
                    zapSocket.setLinger(0);
                    zapSocket.bind(ZapHandler.ENDPOINT);
                    router.setCurveServer(true);
                    router.setCurveSecretKey(security.keyPair().secretKey());
                    router.setZapDomain("strongzero");
                    router.setEventHook(this::onHandshakeFailure, HANDSHAKE_FAILURES);
                }
                List<String> toBind = lastBound != null ? lastBound : endpoints; // a restart keeps its ports
                for (String endpoint : toBind) {
                    router.bind(endpoint);
                    String last = router.getLastEndpoint();
                    actual.add(last != null ? last : endpoint);
                }
            } catch (RuntimeException e) {
                if (lastBound != null) {
                    log.error("strongzero-producer[{}]: cannot bind {} again: {}", name, lastBound, e.getMessage());
                    return true;
                }
                bound.completeExceptionally(new StrongZeroConfigException("producer " + name + ": cannot bind "
                        + endpoints + ": " + e.getMessage() + " (is the port in use by another process?)"));
                return false;
            }
            lastBound = List.copyOf(actual);
            bound.complete(lastBound);
            ZMQ.Poller poller = ctx.createPoller(3);
            poller.register(router, ZMQ.Poller.POLLIN);
            poller.register(pipe.source(), ZMQ.Poller.POLLIN);
            if (zapSocket != null) {
                poller.register(zapSocket, ZMQ.Poller.POLLIN);
            }
            ByteBuffer drain = ByteBuffer.allocate(64);
            long dispatchedHead = pump.head();
            long nextDeadline = Long.MAX_VALUE;
            while (running) {
                long now = Monotonic.millis();
                // deadlines are on the monotonic clock: a wall clock that steps must not stretch or cut long polls
                long timeout = nextDeadline == Long.MAX_VALUE ? 250 : Math.max(1, Math.min(250, nextDeadline - now));
                poller.poll(timeout);
                if (!running) {
                    break;
                }
                // held-back warnings are summarized even when no further refusal comes
                refusalLog.tick();
                handshakeLog.tick();
                if (zap != null) {
                    zap.tick();
                }
                if (zapSocket != null && poller.pollin(2)) {
                    zap.serve(zapSocket, 100);
                }
                if (poller.pollin(1)) {
                    wakePending.set(false);
                    try {
                        while (pipe.source().read(drain.clear()) > 0) {
                            // drain
                        }
                    } catch (IOException e) {
                        break;
                    }
                }
                List<byte[]> reply;
                while ((reply = replies.poll()) != null) {
                    reads.release(reply.get(0));
                    sendMultipart(router, reply);
                    inflightPulls.decrementAndGet();
                    inflightBytes.addAndGet(-size(reply));
                }
                long head = pump.head();
                if (head > dispatchedHead) {
                    dispatchedHead = head;
                    Iterator<Parked> it = parked.iterator();
                    while (it.hasNext()) {
                        Parked p = it.next();
                        if (p.request.afterPosition() < head) {
                            it.remove();
                            dispatchRead(router, p.route, p.grant, p.request, head);
                        }
                    }
                }
                now = Monotonic.millis();
                if (now >= nextDeadline) {
                    nextDeadline = Long.MAX_VALUE;
                    Iterator<Parked> it = parked.iterator();
                    while (it.hasNext()) {
                        Parked p = it.next();
                        if (p.deadline <= now) {
                            it.remove();
                            sendMultipart(router, emptyBatch(p.route, p.request.requestId(), head));
                        } else {
                            nextDeadline = Math.min(nextDeadline, p.deadline);
                        }
                    }
                }
                if (poller.pollin(0)) {
                    for (int i = 0; i < 1000; i++) {
                        IncomingRequest request = IncomingRequest.receive(router, MAX_FRAMES_PER_REQUEST + 1);
                        if (request == null) {
                            break;
                        }
                        Parked p = handleRequest(router, request, head, now);
                        if (p != null) {
                            ParkingLot.Admission admission = parked.park(p.route, p);
                            if (admission != ParkingLot.Admission.PARKED) {
                                busyReplies.incrementAndGet();
                                metrics.busy(name);
                                sendError(router, p.route, p.request.requestId(), ErrorCode.BUSY, 1000, "producer " + name
                                        + (admission == ParkingLot.Admission.FULL ? " has " + maxParked
                                                : " has " + MAX_PARKED_PER_CONNECTION + " from this connection")
                                        + " parked pulls; retry later");
                            } else {
                                nextDeadline = Math.min(nextDeadline, p.deadline);
                            }
                        }
                    }
                }
            }
        } catch (RuntimeException | AssertionError e) {
            if (!bound.isDone()) {
                bound.completeExceptionally(e);
                return false;
            }
            if (running) {
                log.error("strongzero-producer[{}]: frontend failed unexpectedly; consumers time out and pull again", name,
                        e);
                return true;
            }
        } finally {
            refusalLog.flush();
            handshakeLog.flush();
            if (zap != null) {
                zap.flush();
            }
            try {
                ctx.close();
            } catch (RuntimeException e) {
                log.debug("strongzero-producer[{}]: closing the frontend's ZeroMQ context failed", name, e);
            }
        }
        return false;
    }

    private static long size(List<byte[]> frames) {
        long n = 0;
        for (byte[] f : frames) {
            n += f.length;
        }
        return n;
    }

    private void enqueueReply(List<byte[]> frames) {
        inflightBytes.addAndGet(size(frames));
        replies.add(frames);
        wake();
    }

    private static void sendMultipart(ZMQ.Socket router, List<byte[]> frames) {
        int last = frames.size() - 1;
        for (int i = 0; i < last; i++) {
            router.send(frames.get(i), ZMQ.SNDMORE | ZMQ.DONTWAIT);
        }
        router.send(frames.get(last), ZMQ.DONTWAIT);
    }

    /** Handles one request; returns a request to park, or null if it was answered or dispatched. */
    private Parked handleRequest(ZMQ.Socket router, IncomingRequest in, long head, long now) {
        IncomingRequest.Route route = in.route();
        long requestId = 0;
        try {
            if (in.frameCount() > MAX_FRAMES_PER_REQUEST) {
                throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST,
                        "a request has at most " + MAX_FRAMES_PER_REQUEST + " frames but had " + in.frameCount());
            }
            List<byte[]> frames = in.protocolFrames();
            if (!in.hasDelimiter() || frames.size() < 2) {
                throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST, "a request is [empty delimiter]"
                        + "[header][body] but had " + (in.frameCount() - 1) + " frames"
                        + (in.hasDelimiter() ? "" : " without the empty delimiter"));
            }
            requestId = Protocol.peekRequestId(frames.get(1));
            byte command = Protocol.parseHeader(frames.get(0));
            if (command != Protocol.CMD_PULL) {
                throw new StrongZeroProtocolException(ErrorCode.UNKNOWN_COMMAND,
                        String.format("command 0x%02x is unknown; version 1 knows PULL (0x01)", command & 0xFF));
            }
            if (frames.size() != 2) {
                throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST,
                        "PULL has exactly one body frame but had " + (frames.size() - 1));
            }
            Protocol.PullRequest r = Protocol.decodePull(frames.get(1));
            if (!r.producerName().equals(name)) {
                throw new StrongZeroProtocolException(ErrorCode.WRONG_PRODUCER, "this endpoint serves producer '" + name
                        + "', not '" + r.producerName() + "': check the consumer's producer name and endpoint");
            }
            AccessGrant grant = zap == null ? AccessGrant.ALL : zap.grantFor(in.userId());
            if (grant == null) {
                // Cannot happen with a ZAP handler in place; refuse rather than serve an unknown key everything.
                throw new StrongZeroProtocolException(ErrorCode.INTERNAL, "producer " + name + " cannot tell which key "
                        + "this connection authenticated with; reconnect");
            }
            if (!grant.permitsConsumer(r.consumerName())) {
                // before any progress is recorded: another service's key must not move retention for this name
                throw new StrongZeroProtocolException(ErrorCode.NOT_AUTHORIZED, "this connection's key may pull only as "
                        + "consumer " + String.join(" or ", new TreeSet<>(grant.consumerNames())) + ", not '"
                        + r.consumerName() + "': check the consumer's name, or bind its key to that name in "
                        + "ProducerSecurity.consumerNames");
            }
            // What the pull proves about the consumer's committed position (see ProgressRecorder.pulled). A key bound
            // to consumer names vouches for the name (permitsConsumer checked it is one of them); a plaintext
            // connection or an unbound key does not: such a name is recorded as UNREGISTERED, capped.
            consumerProgress.pulled(r.consumerName(), r.afterPosition(), r.maxMessages(), grant.consumerNames() != null);
            if (r.afterPosition() < head) {
                dispatchRead(router, route, grant, r, head);
                return null;
            }
            if (r.maxWaitMillis() == 0) {
                sendMultipart(router, emptyBatch(route, r.requestId(), head));
                return null;
            }
            return new Parked(route, grant, r, now + r.maxWaitMillis());
        } catch (StrongZeroProtocolException e) {
            long n = malformed.incrementAndGet();
            metrics.refused(name, e.code());
            if (refusalLog.acquire(e.code().name())) {
                log.warn("strongzero-producer[{}]: refused a request from {}{} ({} refused so far; further refusals within "
                        + "10 s are summarized): {}", name, in.peerAddress() == null ? "a peer" : in.peerAddress(),
                        in.userId() == null ? "" : " with key " + in.userId(), n, e.getMessage());
            }
            sendError(router, route, requestId, e.code(), 0, e.getMessage());
            return null;
        }
    }

    /** Called by ZeroMQ's I/O thread for a failed CURVE handshake: count and log (rate-limited) only. */
    private void onHandshakeFailure(ZEvent event) {
        long n = handshakeFailures.incrementAndGet();
        if (handshakeLog.acquire(String.valueOf(event.getEvent()))) {
            log.warn("strongzero-producer[{}]: a CURVE handshake on {} failed ({}, {}): a client expecting another "
                    + "producer key, or not speaking CURVE ({} failed so far; further failures within 10 s are "
                    + "summarized)", name, event.getAddress(), event.getEvent(), Objects.toString(event.getValue()), n);
        }
    }

    private void sendError(ZMQ.Socket router, IncomingRequest.Route route, long requestId, ErrorCode code, int retryAfter,
                           String message) {
        sendMultipart(router, route.with(List.of(Protocol.header(Protocol.CMD_ERROR),
                Protocol.encodeError(Protocol.errorReply(requestId, code, retryAfter, message)))));
    }

    private static List<byte[]> emptyBatch(IncomingRequest.Route route, long requestId, long head) {
        return route.with(List.of(Protocol.header(Protocol.CMD_BATCH),
                Protocol.encodeBatchHeader(new Protocol.BatchHeader(requestId, head, 0))));
    }

    private void dispatchRead(ZMQ.Socket router, IncomingRequest.Route route, AccessGrant grant, Protocol.PullRequest r,
                              long head) {
        if (inflightPulls.get() >= maxInflightPulls || inflightBytes.get() >= maxInflightBytes) {
            busyReplies.incrementAndGet();
            metrics.busy(name);
            sendError(router, route, r.requestId(), ErrorCode.BUSY, 50, "producer " + name + " is serving "
                    + inflightPulls.get() + " pulls (" + inflightBytes.get() + " bytes) at once; retry later");
            return;
        }
        if (tail != null) {
            List<Envelope> cached = tail.after(r.afterPosition(), Math.min(r.maxMessages(), maxBatchMessages),
                    Math.min(r.maxBytes(), maxBatchBytes));
            if (cached != null && !cached.isEmpty()) {
                List<byte[]> frames = batchFrames(route, grant, r, head, cached);
                sendMultipart(router, frames);
                servedFromMemory.addAndGet(cached.size());
                return;
            }
        }
        byte[] connection = route.frames().get(0);
        if (!reads.tryAcquire(connection)) {
            busyReplies.incrementAndGet();
            metrics.busy(name);
            sendError(router, route, r.requestId(), ErrorCode.BUSY, 100, "producer " + name + " has " + reads.limit()
                    + " reads queued for this connection; retry later");
            return;
        }
        inflightPulls.incrementAndGet();
        try {
            readerPool.execute(() -> read(route, grant, r, head));
        } catch (RejectedExecutionException e) {
            reads.release(connection);
            inflightPulls.decrementAndGet();
            busyReplies.incrementAndGet();
            metrics.busy(name);
            sendError(router, route, r.requestId(), ErrorCode.BUSY, 100,
                    "producer " + name + " has " + maxQueuedReads + " reads queued; retry later");
        }
    }

    /**
     * A BATCH reply for {@code batch}, with the messages the grant does not permit replaced by redacted
     * entries; counts the others as served.
     */
    private List<byte[]> batchFrames(IncomingRequest.Route route, AccessGrant grant, Protocol.PullRequest r, long head,
                                     List<Envelope> batch) {
        long replyHead = batch.isEmpty() ? head : Math.max(head, batch.get(batch.size() - 1).position());
        List<byte[]> reply = new ArrayList<>(batch.size() + 2);
        reply.add(Protocol.header(Protocol.CMD_BATCH));
        reply.add(Protocol.encodeBatchHeader(new Protocol.BatchHeader(r.requestId(), replyHead, batch.size())));
        long bytes = 0;
        int redacted = 0;
        for (Envelope e : batch) {
            Envelope sent = grant.filter(e);
            redacted += sent == e ? 0 : 1;
            byte[] f = Protocol.encodeMessage(sent);
            bytes += f.length;
            reply.add(f);
        }
        served.addAndGet(batch.size() - redacted);
        // a name nobody vouched for must not add meters: made-up names share one tag value
        String meterName = grant.consumerNames() != null || consumerProgress.holdsRetention(r.consumerName())
                ? r.consumerName() : UNREGISTERED_CONSUMERS;
        metrics.served(name, meterName, batch.size() - redacted, bytes);
        if (redacted > 0 && log.isDebugEnabled()) {
            log.debug("strongzero-producer[{}]: redacted {} of {} messages after position {} for consumer {} ({})",
                    name, redacted, batch.size(), r.afterPosition(), r.consumerName(), grant);
        }
        return route.with(reply);
    }

    /** Messages answered from the in-memory tail instead of a journal read. */
    public long servedFromMemoryCount() {
        return servedFromMemory.get();
    }

    /**
     * What one read transaction found: the batch, or (when {@code expiredBelow > 0}) that the position asked for
     * was deleted by retention and the oldest position kept is {@code expiredBelow}.
     */
    private record JournalRead(List<Envelope> batch, long expiredBelow) {
    }

    private void read(IncomingRequest.Route route, AccessGrant grant, Protocol.PullRequest r, long head) {
        List<byte[]> frames;
        try (Connection c = pump.dataSource().getConnection()) {
            JournalRead got = Transactions.inTransaction(c, tx -> {
                List<Envelope> batch = journal.read(tx, r.afterPosition(), Math.min(r.maxMessages(), maxBatchMessages),
                        Math.min(r.maxBytes(), maxBatchBytes));
                if (batch.isEmpty() && head > r.afterPosition()) {
                    long min = journal.minPosition(tx);
                    if (min > r.afterPosition() + 1) {
                        return new JournalRead(batch, min);
                    }
                }
                return new JournalRead(batch, 0);
            });
            if (got.expiredBelow() > 0) {
                frames = route.with(List.of(Protocol.header(Protocol.CMD_ERROR),
                        Protocol.encodeError(Protocol.errorReply(r.requestId(), ErrorCode.POSITION_EXPIRED, 0,
                                "position " + (r.afterPosition() + 1) + " was removed from the journal of "
                                        + name + " (oldest kept: " + got.expiredBelow() + ")"))));
                enqueueReply(frames);
                return;
            }
            frames = batchFrames(route, grant, r, head, got.batch());
        } catch (SQLException | RuntimeException e) {
            log.warn("strongzero-producer[{}]: reading the journal after position {} for consumer {} failed: {}", name,
                    r.afterPosition(), r.consumerName(), Secrets.redact(e.toString()));
            frames = route.with(List.of(Protocol.header(Protocol.CMD_ERROR),
                    Protocol.encodeError(Protocol.errorReply(r.requestId(), ErrorCode.INTERNAL, 1000,
                            "producer " + name + " could not read its journal; retry later"))));
        }
        enqueueReply(frames);
    }

    /**
     * Stops the frontend and readers (waiting up to 5 s each) and, if this producer created its pump,
     * closes the pump. Idempotent.
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
        pump.removeListener(headListener);
        if (tail != null) {
            pump.removeTailListener(tailListener);
        }
        if (maintenance != null) {
            maintenance.shutdownNow();
            try {
                if (maintenance.awaitTermination(5, TimeUnit.SECONDS)) {
                    consumerProgress.close(); // the maintenance thread has stopped: its counters are ours now
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pipe != null) {
            wake();
        }
        boolean stopped = Threads.join(frontend, 5_000);
        if (readerPool != null) {
            readerPool.shutdownNow();
            try {
                stopped &= readerPool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pipe != null) {
            try {
                pipe.sink().close();
                pipe.source().close();
            } catch (IOException e) {
                log.debug("strongzero-producer[{}]: closing the wake-up pipe failed", name, e);
            }
        }
        if (ownsPump) {
            pump.close();
        }
        if (!stopped) {
            log.warn("strongzero-producer[{}]: a thread did not stop within 5 s", name);
        }
        log.info("strongzero-producer[{}]: closed (served {} messages)", name, served.get());
    }

    @Override
    public String toString() {
        return "StrongZeroProducer[" + name + ", " + boundEndpoints + "]";
    }

    /**
     * Builds a {@link StrongZeroProducer}: either around an existing {@link #pump(StrongZeroPump)}, or
     * with {@link #name}, {@link #dataSource} and the pump settings, in which case the producer creates,
     * starts and closes its own pump. Setters validate at once. Not thread-safe.
     */
    public static final class Builder {
        private StrongZeroPump pump;
        private String name;
        private javax.sql.DataSource dataSource;
        private io.strongzero.core.Dialect dialect;
        private String tablePrefix; // null: the pump's default
        private boolean createSchemaIfMissing;
        private Duration pollInterval; // null: the pump's default
        private String pokeEndpoint;
        private final List<String> endpoints = new ArrayList<>();
        private int readers = 4;
        private int maxBatchMessages = 1000;
        private int maxBatchBytes = 4 * 1024 * 1024;
        private int maxParked = 10_000;
        private int maxQueuedReads = 1_000;
        private Duration heartbeat = Duration.ofSeconds(5);
        private int maxInflightPulls = 256;
        private long maxInflightBytes = 256L * 1024 * 1024;
        private Duration progressInterval = Duration.ofSeconds(1);
        private Duration minRetention;
        private Duration maxRetention;
        private Duration retentionInterval = Duration.ofMinutes(1);
        private int retentionChunk = 1000;
        private int maxUnregisteredConsumers = 100;
        private Duration consumerIdleAfter = JournalAdmin.DEFAULT_IDLE_AFTER;
        private StrongZeroMetrics metrics = StrongZeroMetrics.NONE;
        private int tailCacheMessages = 10_000;
        private long tailCacheBytes = 16L * 1024 * 1024;
        private ProducerSecurity security;

        private Builder() {
        }

        /**
         * Serve with CurveZMQ: encrypted, only to the consumer keys on the allow-list, each limited to
         * its allowed message types. Without it the producer serves plaintext to anyone who can connect
         * (and warns at start for endpoints that are not on loopback). See {@code docs/security.md}.
         */
        public Builder security(ProducerSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /**
         * The in-memory tail: the last {@code messages} stamped messages (at most {@code bytes} of them) are
         * kept so consumers at the head are answered without a journal read. 0 messages turns it off.
         * Default 10,000 messages / 16 MiB.
         */
        public Builder tailCache(int messages, long bytes) {
            if (messages < 0 || messages > 1_000_000) {
                throw new StrongZeroConfigException("tailCache messages must be between 0 and 1000000 but was " + messages);
            }
            if (bytes < 0 || bytes > 4L * 1024 * 1024 * 1024) {
                throw new StrongZeroConfigException("tailCache bytes must be between 0 and 4 GiB but was " + bytes);
            }
            this.tailCacheMessages = messages;
            this.tailCacheBytes = bytes;
            return this;
        }

        /** Where measurements go (also the pump's, if the producer creates it); default {@link StrongZeroMetrics#NONE}. */
        public Builder metrics(StrongZeroMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Pulls being read or sent at once; past it the producer answers BUSY with a retry-after and the
         * consumer backs off. 1 to 100000, default 256.
         */
        public Builder maxInflightPulls(int max) {
            this.maxInflightPulls = Checks.between("maxInflightPulls", max, 1, 100_000);
            return this;
        }

        /** Reply bytes read but not yet sent; past it new pulls get BUSY. 1 MiB to 16 GiB, default 256 MiB. */
        public Builder maxInflightBytes(long max) {
            if (max < 1024 * 1024 || max > 16L * 1024 * 1024 * 1024) {
                throw new StrongZeroConfigException("maxInflightBytes must be between 1 MiB and 16 GiB but was " + max);
            }
            this.maxInflightBytes = max;
            return this;
        }

        /** How often consumers' reported positions are written to the consumer table: 10 ms to 1 min, default 1 s. */
        public Builder progressInterval(Duration interval) {
            if (interval == null || interval.toMillis() < 10 || interval.toMinutes() > 1) {
                throw new StrongZeroConfigException("progressInterval must be between 10 ms and 1 min but was " + interval);
            }
            this.progressInterval = interval;
            return this;
        }

        /**
         * Journal retention: delete rows every consumer that holds retention (ACTIVE or REGISTERED; not GONE or
         * UNREGISTERED, see {@link #maxUnregisteredConsumers}) has pulled past and that are older
         * than {@code min}; with a non-null {@code max}, also rows older than {@code max} whatever the
         * consumers (a WARN names the consumers that fall behind). Off by default: the journal grows.
         */
        public Builder retention(Duration min, Duration max) {
            if (min == null || min.isNegative()) {
                throw new StrongZeroConfigException("retention min must be zero or more but was " + min);
            }
            if (max != null && max.compareTo(min) < 0) {
                throw new StrongZeroConfigException("retention max (" + max + ") cannot be shorter than min (" + min + ")");
            }
            this.minRetention = min;
            this.maxRetention = max;
            return this;
        }

        /**
         * Most consumers recorded as UNREGISTERED: names first seen in pulls nobody vouched for (a plaintext
         * endpoint, or a CURVE key not bound to consumer names with {@link ProducerSecurity.Builder#consumerNames}).
         * Such a consumer is served and its progress and lag are recorded, but retention does not wait for it and
         * it is left out of the meters' per-consumer gauges and of the health's consumer list. Past the cap a new
         * name is still served but not recorded, and a WARN (at most once a minute) says how many. Names
         * registered by an operator, recorded before, or pulled with a key bound to them are not capped.
         * 0 to 100000, default 100; 0 records no such name.
         */
        public Builder maxUnregisteredConsumers(int max) {
            this.maxUnregisteredConsumers = Checks.between("maxUnregisteredConsumers", max, 0, 100_000);
            return this;
        }

        /**
         * How long after its last recorded pull an ACTIVE consumer is reported as idle (state {@code IDLE} in the
         * health details, {@code strongzero.producer.consumer.idle} and the {@code state} tag of
         * {@code strongzero.producer.consumers} in the meters), the rule of
         * {@link JournalAdmin.ConsumerProgress#idle}. It still holds retention. 1 s to 7 days, default 60 s; set it
         * well above the consumers' {@code longPollWait} plus {@code progressInterval}.
         */
        public Builder consumerIdleAfter(Duration idleAfter) {
            this.consumerIdleAfter = Checks.between("consumerIdleAfter", idleAfter, 1_000, 7L * 24 * 3600 * 1000, "1 s",
                    "7 days");
            return this;
        }

        /** How often retention runs and how many positions one delete covers. Default 1 min, 1000. */
        public Builder retentionSchedule(Duration interval, int chunk) {
            if (interval == null || interval.toMillis() < 10 || interval.toHours() > 24) {
                throw new StrongZeroConfigException("retention interval must be between 10 ms and 24 h but was " + interval);
            }
            if (chunk < 1 || chunk > 100_000) {
                throw new StrongZeroConfigException("retention chunk must be between 1 and 100000 but was " + chunk);
            }
            this.retentionInterval = interval;
            this.retentionChunk = chunk;
            return this;
        }

        /** Use an existing pump (not closed by the producer). Excludes name/dataSource/pump settings. */
        public Builder pump(StrongZeroPump pump) {
            this.pump = Objects.requireNonNull(pump, "pump");
            return this;
        }

        /** The producer's name (its journal's name); consumers ask for it. */
        public Builder name(String name) {
            this.name = Checks.name("name", name);
            return this;
        }

        /** The journal database. */
        public Builder dataSource(javax.sql.DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The SQL dialect; detected when not set. */
        public Builder dialect(io.strongzero.core.Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** Table prefix, default {@code sz_}. */
        public Builder tablePrefix(String prefix) {
            this.tablePrefix = io.strongzero.core.Schema.validatePrefix(prefix);
            return this;
        }

        /** Create the journal tables at start if missing. Default false. */
        public Builder createSchemaIfMissing(boolean create) {
            this.createSchemaIfMissing = create;
            return this;
        }

        /** The pump's poll interval, 1 ms to 60 s, default 200 ms. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Checks.between("pollInterval", interval, 1, 60_000, "1 ms", "60 s");
            return this;
        }

        /** The pump's poke endpoint for senders in other processes (see {@link StrongZeroPump.Builder#pokeEndpoint}). */
        public Builder pokeEndpoint(String endpoint) {
            StrongZeroPump.builder().pokeEndpoint(endpoint); // validates now, with the pump's rule and message
            this.pokeEndpoint = endpoint;
            return this;
        }

        /**
         * An endpoint for consumers, for example {@code tcp://127.0.0.1:7300}, {@code tcp://*:7300} or
         * {@code ipc:///run/app/users.sz}. Call once per endpoint; at least one is required.
         */
        public Builder bind(String endpoint) {
            endpoints.add(Checks.endpoint("bind endpoint", endpoint));
            return this;
        }

        /** Reader threads (concurrent journal reads), 1 to 64, default 4. */
        public Builder readers(int readers) {
            this.readers = Checks.between("readers", readers, 1, 64);
            return this;
        }

        /** Upper bound on messages per reply, whatever a consumer asks: 1 to 10000, default 1000. */
        public Builder maxBatchMessages(int max) {
            this.maxBatchMessages = Checks.between("maxBatchMessages", max, 1, Protocol.MAX_MESSAGES_LIMIT);
            return this;
        }

        /** Upper bound on bytes per reply (a single larger message is still sent alone): 1 KiB to 64 MiB, default 4 MiB. */
        public Builder maxBatchBytes(int max) {
            this.maxBatchBytes = Checks.between("maxBatchBytes", max, 1024, Protocol.MAX_BYTES_LIMIT);
            return this;
        }

        /** Most pulls parked at once (one per connected consumer); more get BUSY. 1 to 1000000, default 10000. */
        public Builder maxParked(int max) {
            this.maxParked = Checks.between("maxParked", max, 1, 1_000_000);
            return this;
        }

        /** Most reads waiting for a reader thread; more get BUSY. 1 to 100000, default 1000. */
        public Builder maxQueuedReads(int max) {
            this.maxQueuedReads = Checks.between("maxQueuedReads", max, 1, 100_000);
            return this;
        }

        /** ZeroMQ heartbeat interval to detect dead peers (timeout is three intervals): 100 ms to 60 s, default 5 s. */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = Checks.between("heartbeat", interval, 100, 60_000, "100 ms", "60 s");
            return this;
        }

        /**
         * Builds the producer (not started).
         *
         * @throws StrongZeroConfigException if no endpoint is bound, or neither a pump nor name and dataSource are set,
         *     or a pump is combined with pump settings
         */
        public StrongZeroProducer build() {
            if (endpoints.isEmpty()) {
                throw new StrongZeroConfigException("at least one bind endpoint is required, for example bind(\"tcp://127.0.0.1:7300\")");
            }
            if (pump != null) {
                List<String> pumpSettings = new ArrayList<>();
                addIf(pumpSettings, name != null, "name");
                addIf(pumpSettings, dataSource != null, "dataSource");
                addIf(pumpSettings, dialect != null, "dialect");
                addIf(pumpSettings, tablePrefix != null, "tablePrefix");
                addIf(pumpSettings, pollInterval != null, "pollInterval");
                addIf(pumpSettings, pokeEndpoint != null, "pokeEndpoint");
                addIf(pumpSettings, createSchemaIfMissing, "createSchemaIfMissing");
                if (!pumpSettings.isEmpty()) {
                    throw new StrongZeroConfigException("pump cannot be combined with " + String.join(", ", pumpSettings)
                            + ": the pump " + pump.name() + " has its own; configure them on the pump");
                }
            }
            if (pump == null && (name == null || dataSource == null)) {
                throw new StrongZeroConfigException("either pump, or name and dataSource, are required");
            }
            return new StrongZeroProducer(this);
        }

        private static void addIf(List<String> list, boolean condition, String setting) {
            if (condition) {
                list.add(setting);
            }
        }
    }
}
