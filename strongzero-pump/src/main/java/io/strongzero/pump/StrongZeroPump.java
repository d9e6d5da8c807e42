package io.strongzero.pump;

import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.Health;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.StrongZeroSchemaException;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Jdbc;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.Protocol;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.SequencerStore;
import io.strongzero.core.internal.Threads;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The sequencer of one journal: it gives every committed, not yet positioned journal row the next dense
 * position ({@code 1, 2, 3, ...}) and tells its {@link HeadListener}s when the head advances.
 *
 * <p><b>Why positions.</b> Flake ids are assigned before commit, so a consumer reading "id &gt; last id"
 * would skip a row whose transaction committed after a later-numbered row was read. Positions are
 * assigned only to rows that are already committed, in transactions serialized by a row lock on the
 * sequencer table; a row that commits late simply receives a later position. Consumers resume after
 * a position, so no committed row can be skipped. See {@code docs/design.md}.
 *
 * <p><b>Several instances.</b> Any number of pumps (in several app instances) may run against one
 * journal: every stamping transaction first locks the sequencer row, so stampings never interleave.
 * If an instance dies, the database releases its lock with its connection and the others carry on.
 *
 * <p><b>Wake-ups.</b> {@link #wakeUp()} (called by an in-process sender after commit) or a poke on the
 * optional ZeroMQ {@linkplain Builder#pokeEndpoint(String) poke endpoint} (from senders in other
 * processes) make the pump look at once; otherwise it looks every {@linkplain Builder#pollInterval
 * poll interval}. Wake-ups only reduce latency: correctness never depends on them.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} (idempotent) to stop its threads. Thread-safe.
 */
public final class StrongZeroPump implements AutoCloseable, Health.Check {

    private static final Logger log = LoggerFactory.getLogger(StrongZeroPump.class);
    /** Payload bytes read per stamping transaction when tail listeners want content. */
    static final long MAX_TAIL_BYTES = 8L * 1024 * 1024;

    private static long totalBytes(List<Envelope> rows) {
        long n = 0;
        for (Envelope e : rows) {
            n += e.wireSize();
        }
        return n;
    }

    private final String name;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final String tablePrefix;
    private final JournalStore journal;
    private final SequencerStore sequencer;
    private final Duration pollInterval;
    private final int batchSize;
    private final boolean createSchema;
    private final String pokeEndpoint;
    private final String owner;
    private final Clock clock;
    private final StrongZeroMetrics metrics;

    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong head = new AtomicLong(-1);
    private final AtomicLong stamped = new AtomicLong();
    private final List<HeadListener> listeners = new CopyOnWriteArrayList<>();
    private final List<TailListener> tailListeners = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private volatile boolean running;
    private volatile boolean closed;
    private volatile String lastError;
    private volatile long lastSuccessAt;
    private Thread sequencerThread;
    private Thread pokeThread;

    private StrongZeroPump(Builder b) {
        this.name = b.name;
        this.dataSource = b.dataSource;
        this.dialect = b.dialect != null ? b.dialect : Dialect.detect(b.dataSource);
        this.tablePrefix = b.tablePrefix;
        this.journal = new JournalStore(dialect, b.tablePrefix);
        this.sequencer = new SequencerStore(dialect, b.tablePrefix);
        this.pollInterval = b.pollInterval;
        this.batchSize = b.batchSize;
        this.createSchema = b.createSchemaIfMissing;
        this.pokeEndpoint = b.pokeEndpoint;
        this.owner = b.owner != null ? b.owner : defaultOwner();
        this.clock = b.clock;
        this.metrics = b.metrics;
    }

    private static String defaultOwner() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            host = "unknown-host";
        }
        String id = host + ":" + ProcessHandle.current().pid();
        return id.length() > 200 ? id.substring(0, 200) : id;
    }

    /** A builder; {@code name} and {@code dataSource} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The journal's (producer's) name. */
    public String name() {
        return name;
    }

    /** The SQL dialect in use. */
    public Dialect dialect() {
        return dialect;
    }

    /** The table prefix in use. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** The data source of the journal database. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The ZeroMQ endpoint this pump accepts pokes on, or {@code null} if none was configured. */
    public String pokeEndpoint() {
        return pokeEndpoint;
    }

    /** The last assigned position this pump knows of (0 if none; -1 before {@link #start()}). */
    public long head() {
        return head.get();
    }

    /** Rows stamped by this pump since start. */
    public long stampedCount() {
        return stamped.get();
    }

    /** The last sequencing error, or {@code null} if the last attempt succeeded. */
    public String lastError() {
        return lastError;
    }

    /**
     * Liveness: the sequencer thread runs. Readiness: its last attempt reached the database. Details:
     * head, rows waiting for a position, the instance that stamped last (the current holder of the
     * sequencer role, this or another instance) and when.
     */
    @Override
    public Health health() {
        Health.Builder h = new Health.Builder("pump:" + name);
        if (!running) {
            h.notReady(closed ? "closed" : "not started");
        } else if (sequencerThread == null || !sequencerThread.isAlive()) {
            h.dead("the sequencer thread died");
        }
        String error = lastError;
        if (error != null) {
            h.notReady("sequencing fails: " + error);
        }
        h.detail("head", head.get()).detail("stampedByThisInstance", stamped.get()).detail("lastSuccessAt", lastSuccessAt);
        try {
            JournalAdmin.Status s = new JournalAdmin(dataSource, dialect, tablePrefix, clock).summary();   // no COUNT(*) scan
            h.detail("unsequenced", s.unsequenced()).detail("journalRows", s.rows())
                    .detail("sequencerOwner", s.sequencerOwner()).detail("sequencerOwnerIsThisInstance", owner.equals(s.sequencerOwner()))
                    .detail("lastStampedAt", s.sequencerUpdated());
            if (s.unsequenced() > 10L * batchSize) {
                h.degraded(s.unsequenced() + " committed rows wait for a position");
            }
        } catch (RuntimeException e) {
            h.notReady("journal database unreachable: " + e.getMessage());
        }
        return h.build();
    }

    /** True while the pump's threads run. */
    public boolean isRunning() {
        return running;
    }

    /** Registers a listener for head advances. */
    public void addListener(HeadListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Registers a listener for the messages this pump stamps (with their content); the pump then reads
     * payloads while stamping, at most {@code maxTailBytes} per stamping transaction.
     */
    public void addTailListener(TailListener listener) {
        tailListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a tail listener. */
    public void removeTailListener(TailListener listener) {
        tailListeners.remove(listener);
    }

    /** Removes a listener. */
    public void removeListener(HeadListener listener) {
        listeners.remove(listener);
    }

    /**
     * Asks the pump to look for newly committed rows now. A hint: cheap, never blocks, may be called
     * from any thread any number of times (calls coalesce).
     */
    public void wakeUp() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * Checks (or creates) the tables, reads the current head and starts the sequencer thread and, if
     * configured, the poke receiver.
     *
     * @throws StrongZeroStorageException if the database cannot be reached or the tables are missing
     * @throws IllegalStateException if already started or closed
     */
    public StrongZeroPump start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("pump " + name + " is closed; build a new one");
            }
            if (running) {
                throw new IllegalStateException("pump " + name + " is already started");
            }
            if (createSchema) {
                Schema.create(dataSource, dialect, Schema.Side.PRODUCER, tablePrefix);
            }
            Schema.verifyTable(dataSource, dialect, Schema.Side.PRODUCER, journal.table(),
                    "id", "pos", "msg_type", "content_type", "payload", "produced_at");
            Schema.verifyTable(dataSource, dialect, Schema.Side.PRODUCER, sequencer.table(),
                    "name", "last_pos", "owner", "updated_at");
            try (Connection c = dataSource.getConnection()) {
                try {
                    journal.verifyIndexes(c);
                } catch (SQLException e) {
                    throw new StrongZeroSchemaException(journal.table(), "pump " + name + ": " + e.getMessage(), e);
                }
                head.set(Transactions.autoCommit(c, auto -> {
                    sequencer.ensureRow(auto, clock.millis());
                    return sequencer.head(auto);
                }));
            } catch (SQLException e) {
                throw new StrongZeroStorageException("pump " + name + ": cannot read the sequencer row of "
                        + sequencer.table(), e);
            }
            running = true;
            sequencerThread = Threads.newThread("pump", name, this::runSequencer);
            sequencerThread.start();
            if (pokeEndpoint != null) {
                ZContext ctx = new ZContext(1);
                ZMQ.Socket pull = ctx.createSocket(SocketType.PULL);
                try {
                    pull.setReceiveTimeOut(100);
                    pull.setLinger(0);
                    pull.bind(pokeEndpoint);
                } catch (RuntimeException e) {
                    ctx.close();
                    close();
                    throw new StrongZeroConfigException("pump " + name + ": cannot bind the poke endpoint "
                            + pokeEndpoint + ": " + e.getMessage());
                }
                pokeThread = Threads.newThread("pump", name + "-pokes", () -> runPokes(ctx, pull));
                pokeThread.start();
            }
            log.info("strongzero-pump[{}]: started ({}, head {}, poll every {} ms{})", name, dialect.shortName(),
                    head.get(), pollInterval.toMillis(), pokeEndpoint == null ? "" : ", pokes on " + pokeEndpoint);
            return this;
        }
    }

    private void runPokes(ZContext ctx, ZMQ.Socket pull) {
        try {
            while (running) {
                byte[] msg = pull.recv(0);
                if (msg != null) {
                    wakeUp();
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                log.error("strongzero-pump[{}]: poke receiver failed; the pump keeps polling every {} ms", name,
                        pollInterval.toMillis(), e);
            }
        } finally {
            ctx.close();
        }
    }

    private void runSequencer() {
        int failures = 0;
        while (running) {
            try {
                if (failures == 0) {
                    wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    wake.tryAcquire(Math.min(5_000, pollInterval.toMillis() << Math.min(failures, 5)), TimeUnit.MILLISECONDS);
                }
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!running) {
                return;
            }
            try {
                sequenceAvailable();
                if (failures > 0) {
                    log.info("strongzero-pump[{}]: sequencing recovered after {} failed attempts", name, failures);
                }
                failures = 0;
                lastError = null;
                lastSuccessAt = clock.millis();
            } catch (SQLException | RuntimeException e) {
                failures++;
                lastError = Secrets.redact(e.toString());
                if (failures == 1 || failures % 50 == 0) {
                    log.warn("strongzero-pump[{}]: sequencing failed ({} attempts so far), retrying with backoff: {}",
                            name, failures, lastError);
                }
            }
        }
    }

    /**
     * Stamps every committed row without a position, in batches, then refreshes the head. Package-private
     * for tests that drive sequencing step by step.
     */
    void sequenceAvailable() throws SQLException {
        long before = head.get();
        long latest;
        synchronized (connectionLock) {
            Connection c = connection();
            try {
                latest = -1;
                while (running) {
                    long stampedUpTo = stampBatch(c);
                    if (stampedUpTo < 0) {
                        break;
                    }
                    latest = Math.max(latest, stampedUpTo);
                    if (!lastBatchWasFull) {
                        break;
                    }
                }
                if (latest < 0) {
                    latest = sequencer.head(c); // nothing stamped here: learn what other instances stamped
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c, e);
                releaseConnection(); // a broken connection goes back to the pool, which discards it
                throw e;
            }
        }
        long now = head.accumulateAndGet(latest, Math::max);
        if (now > before) {
            for (HeadListener l : listeners) {
                try {
                    l.onHeadAdvanced(now);
                } catch (RuntimeException e) {
                    log.warn("strongzero-pump[{}]: head listener {} threw; ignored", name, l, e);
                }
            }
        }
    }

    private boolean lastBatchWasFull;

    /** How long the sequencer keeps one pooled connection before handing it back and taking another. */
    private static final long HOLD_CONNECTION_NANOS = TimeUnit.SECONDS.toNanos(30);
    private final Object connectionLock = new Object();
    private Connection held;
    private long heldSince;
    /** The held connection's auto-commit mode and isolation as the pool gave it, restored before it goes back. */
    private Transactions.Settings heldSettings;

    /**
     * The sequencer's connection, set up once for its short READ COMMITTED transactions. It is kept across
     * passes (setting auto-commit and isolation on every pass cost 2-4 round trips, a query each on some
     * drivers) and handed back to the pool after 30 s, after any failure and on close, so pool limits such
     * as a maximum lifetime still apply.
     */
    private Connection connection() throws SQLException {
        if (held != null && System.nanoTime() - heldSince > HOLD_CONNECTION_NANOS) {
            releaseConnection();
        }
        if (held == null) {
            Connection c = dataSource.getConnection();
            try {
                heldSettings = Transactions.Settings.set(c, false, Connection.TRANSACTION_READ_COMMITTED);
            } catch (SQLException | RuntimeException e) {
                Jdbc.closeQuietly(c, e);
                throw e;
            }
            held = c;
            heldSince = System.nanoTime();
        }
        return held;
    }

    /** Restores the held connection's settings and returns it to the pool; never throws. */
    private void releaseConnection() {
        Connection c = held;
        held = null;
        if (c == null) {
            return;
        }
        try {
            c.rollback();
            heldSettings.restore(c);
        } catch (SQLException | RuntimeException e) {
            log.debug("strongzero-pump[{}]: restoring the sequencer connection's settings failed", name, e);
        } finally {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                log.debug("strongzero-pump[{}]: closing the sequencer connection failed", name, e);
            }
        }
    }

    /**
     * One stamping transaction: returns the last position it assigned (or the locked head if another
     * instance had already stamped everything), or -1 if no committed row was waiting.
     */
    private long stampBatch(Connection c) throws SQLException {
        lastBatchWasFull = false;
        if (!journal.anyWaiting(c)) {
            return -1;
        }
        long t0 = System.nanoTime();
        long last = sequencer.lock(c);
        List<Envelope> rows = null;
        List<String> ids;
        if (tailListeners.isEmpty()) {
            ids = journal.waitingIds(c, batchSize);
        } else {
            rows = journal.waitingRows(c, batchSize, MAX_TAIL_BYTES);
            ids = new ArrayList<>(rows.size());
            for (Envelope e : rows) {
                ids.add(e.id().toString());
            }
        }
        if (ids.isEmpty()) {
            c.commit();
            return last;
        }
        sequencer.stamp(c, ids, last + 1, owner, clock.millis());
        c.commit();
        if (rows != null) {
            List<Envelope> stampedRows = new ArrayList<>(rows.size());
            long pos = last + 1;
            for (Envelope e : rows) {
                stampedRows.add(new Envelope(pos++, e.id(), e.type(), e.contentType(), e.payload(), e.producedAt()));
            }
            List<Envelope> view = java.util.Collections.unmodifiableList(stampedRows);
            for (TailListener l : tailListeners) {
                try {
                    l.onStamped(view);
                } catch (RuntimeException x) {
                    log.warn("strongzero-pump[{}]: tail listener {} threw; ignored", name, l, x);
                }
            }
        }
        stamped.addAndGet(ids.size());
        metrics.sequenced(name, ids.size(), System.nanoTime() - t0);
        long upTo = last + ids.size();
        head.accumulateAndGet(upTo, Math::max);
        // a batch cut short by the byte bound may have more rows behind it: look again at once
        lastBatchWasFull = ids.size() == batchSize || (rows != null && totalBytes(rows) >= MAX_TAIL_BYTES / 2);
        if (log.isDebugEnabled()) {
            log.debug("strongzero-pump[{}]: stamped {} rows as positions {}..{}", name, ids.size(), last + 1, upTo);
        }
        return upTo;
    }

    /**
     * Stops the threads, waiting up to 5 s for each. Idempotent; restores the interrupt flag if
     * interrupted while waiting.
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
        wake.release();
        boolean stopped = Threads.join(sequencerThread, 5_000) & Threads.join(pokeThread, 5_000);
        if (!stopped) {
            log.warn("strongzero-pump[{}]: a thread did not stop within 5 s", name);
        }
        synchronized (connectionLock) {
            releaseConnection();
        }
        log.info("strongzero-pump[{}]: closed (stamped {} rows)", name, stamped.get());
    }

    @Override
    public String toString() {
        return "StrongZeroPump[" + name + ", " + dialect.shortName() + ", head=" + head.get() + "]";
    }

    /**
     * Builds a {@link StrongZeroPump}. Each setter validates its value at once and names the rule it
     * breaks. Not thread-safe.
     */
    public static final class Builder {
        private String name;
        private DataSource dataSource;
        private Dialect dialect;
        private String tablePrefix = Schema.DEFAULT_PREFIX;
        private Duration pollInterval = Duration.ofMillis(200);
        private int batchSize = 1000;
        private boolean createSchemaIfMissing;
        private String pokeEndpoint;
        private String owner;
        private Clock clock = Clock.systemUTC();
        private StrongZeroMetrics metrics = StrongZeroMetrics.NONE;

        private Builder() {
        }

        /** The journal's name, the same as the producer's: {@link Protocol#nameRule()}. Required. */
        public Builder name(String name) {
            this.name = Checks.name("name", name);
            return this;
        }

        /** The journal database. Required. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The SQL dialect; detected from the data source when not set. */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** Table name prefix, default {@code sz_}. */
        public Builder tablePrefix(String prefix) {
            this.tablePrefix = Schema.validatePrefix(prefix);
            return this;
        }

        /** How often to look for committed rows without a wake-up: 1 ms to 60 s, default 200 ms. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Checks.between("pollInterval", interval, 1, 60_000, "1 ms", "60 s");
            return this;
        }

        /** Rows stamped per transaction: 1 to 10000, default 1000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = Checks.between("batchSize", batchSize, 1, 10_000);
            return this;
        }

        /** Runs the producer DDL at start if the tables are missing. Default false. */
        public Builder createSchemaIfMissing(boolean create) {
            this.createSchemaIfMissing = create;
            return this;
        }

        /**
         * A ZeroMQ endpoint to bind for pokes from senders in other processes, for example
         * {@code ipc:///tmp/strongzero-users.poke} or {@code tcp://127.0.0.1:7301}. Optional: in-process
         * senders call {@link StrongZeroPump#wakeUp()} directly.
         */
        public Builder pokeEndpoint(String endpoint) {
            this.pokeEndpoint = Checks.endpoint("pokeEndpoint", endpoint);
            return this;
        }

        /** The name recorded as the sequencer's last owner (for operations); default host:pid. */
        public Builder owner(String owner) {
            if (owner == null || owner.isBlank() || owner.length() > 200) {
                throw new StrongZeroConfigException("owner must be 1 to 200 characters but was '" + owner + "'");
            }
            this.owner = owner;
            return this;
        }

        /** Where measurements go; default {@link StrongZeroMetrics#NONE}. */
        public Builder metrics(StrongZeroMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The clock for timestamps in the sequencer row (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the pump (not started).
         *
         * @throws StrongZeroConfigException if name or dataSource is missing
         */
        public StrongZeroPump build() {
            if (name == null) {
                throw new StrongZeroConfigException("name is required: the journal's (producer's) name");
            }
            if (dataSource == null) {
                throw new StrongZeroConfigException("dataSource is required: the journal database");
            }
            return new StrongZeroPump(this);
        }
    }
}
