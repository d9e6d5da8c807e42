package io.strongzero.pump;

import io.strongzero.core.Dialect;
import io.strongzero.core.Health;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.StrongZeroSchemaException;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Backoff;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Jdbc;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.Lifecycle;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.SequencerStore;
import io.strongzero.core.internal.Threads;
import io.strongzero.core.internal.Transactions;
import io.strongzero.pump.internal.HeadNotifications;
import io.strongzero.pump.internal.HeldConnection;
import io.strongzero.pump.internal.JournalUpkeep;
import io.strongzero.pump.internal.PokeReceiver;
import io.strongzero.pump.internal.Stamper;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * poll interval}. On PostgreSQL every stamping transaction also notifies the journal's channel on commit, and
 * the pump {@linkplain Builder#headNotifications(boolean) listens} on one more connection of its data source (size the
 * pool for it), so it learns of positions other instances stamped within milliseconds instead of at its next poll.
 * Wake-ups and notifications only reduce latency: correctness never depends on them.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} (idempotent) to stop its threads. Thread-safe.
 */
public final class StrongZeroPump implements AutoCloseable, Health.Check {

    private static final Logger log = LoggerFactory.getLogger(StrongZeroPump.class);
    private final PumpConfig config;
    private final String name;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final String tablePrefix;
    private final JournalStore journal;
    private final SequencerStore sequencer;
    /** The sequencer's stamping transaction. */
    private final Stamper stamper;
    private final Duration pollInterval;
    private final int batchSize;
    private final String owner;
    private final Clock clock;
    /** The wait after failed passes: {@code pollInterval x 2^min(failures, 5)}, at most 5 s. */
    private final Backoff retryBackoff;

    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong head = new AtomicLong(-1);
    private final AtomicLong stamped = new AtomicLong();
    private final List<HeadListener> listeners = new CopyOnWriteArrayList<>();
    private final List<TailListener> tailListeners = new CopyOnWriteArrayList<>();
    private final Lifecycle lifecycle;
    private volatile String lastError;
    private volatile long lastSuccessAt;
    private Thread sequencerThread;
    private PokeReceiver pokes;
    /** The head notifications' listener (PostgreSQL, headNotifications on), or null. */
    private volatile HeadNotifications notifications;
    /** The journal's upkeep (PostgreSQL: VACUUM every vacuumEvery stamped rows), or null if none runs. */
    private final JournalUpkeep upkeep;

    private StrongZeroPump(Builder b, PumpConfig given) {
        this.dataSource = b.dataSource;
        this.dialect = given.dialect() != null ? given.dialect() : Dialect.detect(b.dataSource);
        this.owner = given.owner() != null ? given.owner() : defaultOwner();
        this.config = given.toBuilder().dialect(dialect).owner(owner).build();
        this.name = config.name();
        this.lifecycle = new Lifecycle("pump " + name);
        this.tablePrefix = config.tablePrefix();
        this.journal = new JournalStore(dialect, tablePrefix);
        this.sequencer = new SequencerStore(dialect, tablePrefix, name);
        this.pollInterval = config.pollInterval();
        this.batchSize = config.batchSize();
        this.upkeep = journal.hasUpkeep() && config.vacuumEvery() > 0
                ? new JournalUpkeep(name, dataSource, journal, config.vacuumEvery()) : null;
        this.clock = b.clock;
        this.stamper = new Stamper(name, journal, sequencer, batchSize, owner, clock, b.ticker, b.metrics, tailListeners);
        this.retryBackoff = retryBackoff(pollInterval);
        this.connection = new HeldConnection(dataSource, Connection.TRANSACTION_READ_COMMITTED, HOLD_CONNECTION, b.ticker,
                (what, e) -> log.debug("strongzero-pump[{}]: {}", name, what, e));
    }

    /**
     * The sequencer's wait after failed passes: after {@code k} failures in a row {@code pollInterval x 2^min(k, 5)},
     * at most 5 s; {@link Backoff.Attempts#next()} after the k-th failure gives that wait.
     */
    static Backoff retryBackoff(Duration pollInterval) {
        long poll = pollInterval.toMillis();
        return Backoff.exponential(Duration.ofMillis(Math.min(5_000, poll << 1)), Duration.ofMillis(Math.min(5_000, poll << 5)));
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

    /**
     * The settings this pump runs with: those it was built with, the detected dialect and the default owner
     * filled in.
     */
    public PumpConfig config() {
        return config;
    }

    /** The journal's (producer's) name. */
    public String name() {
        return config.name();
    }

    /** The SQL dialect in use. */
    public Dialect dialect() {
        return config.dialect();
    }

    /** The table prefix in use. */
    public String tablePrefix() {
        return config.tablePrefix();
    }

    /** The data source of the journal database. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The ZeroMQ endpoint this pump accepts pokes on, or {@code null} if none was configured. */
    public String pokeEndpoint() {
        return config.pokeEndpoint();
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
     * sequencer role, this or another instance) and when, and {@code headNotifications}: whether the pump listens
     * for other instances' stampings ({@code listening on <channel>}, with {@code headNotificationsBackendPid}, the
     * listening session's {@code pg_stat_activity.pid}), reconnects, or is off and why.
     */
    @Override
    public Health health() {
        Health.Builder h = new Health.Builder("pump:" + name);
        String notRunning = lifecycle.notRunning();
        if (notRunning != null) {
            h.notReady(notRunning);
        } else if (sequencerThread == null || !sequencerThread.isAlive()) {
            h.dead("the sequencer thread died");
        }
        String error = lastError;
        if (error != null) {
            h.notReady("sequencing fails: " + error);
        }
        h.detail("head", head.get()).detail("stampedByThisInstance", stamped.get()).detail("lastSuccessAt", lastSuccessAt);
        if (upkeep != null) {
            h.detail("journalUpkeeps", upkeep.runs());
        }
        HeadNotifications n = notifications;
        h.detail("headNotifications", n != null ? n.state() : !config.headNotifications() ? "off (headNotifications false)"
                : "off (" + dialect.displayName() + " has no notifications)");
        if (n != null && n.isListening()) {
            h.detail("headNotificationsBackendPid", n.backendPid());
        }
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
        return lifecycle.isRunning();
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
        return lifecycle.start(() -> {
            if (config.createSchemaIfMissing()) {
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
            lifecycle.markRunning();
            sequencerThread = Threads.newThread("pump", name, this::runSequencer);
            sequencerThread.start();
            if (config.headNotifications() && sequencer.listenStatement() != null) {
                notifications = new HeadNotifications(name, dataSource, sequencer, head::get, h -> announce(head.get(), h));
                notifications.start();
            }
            String pokeEndpoint = config.pokeEndpoint();
            if (pokeEndpoint != null) {
                pokes = new PokeReceiver(name, pokeEndpoint, this::wakeUp, "every " + pollInterval.toMillis() + " ms");
                try {
                    pokes.start();
                } catch (RuntimeException e) {
                    pokes = null;
                    close();
                    throw e;
                }
            }
            log.info("strongzero-pump[{}]: started ({}, head {}, poll every {} ms{}{})", name, dialect.shortName(),
                    head.get(), pollInterval.toMillis(), pokeEndpoint == null ? "" : ", pokes on " + pokeEndpoint,
                    notifications == null ? "" : ", head notifications on " + sequencer.notificationChannel());
            return this;
        });
    }

    private void runSequencer() {
        Backoff.Attempts failures = retryBackoff.attempts();
        long retryDelay = 0;
        while (lifecycle.isRunning()) {
            boolean woken;
            try {
                woken = wake.tryAcquire(failures.failures() == 0 ? pollInterval.toMillis() : retryDelay,
                        TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!lifecycle.isRunning()) {
                return;
            }
            try {
                sequenceAvailable(woken);
                if (failures.failures() > 0) {
                    log.info("strongzero-pump[{}]: sequencing recovered after {} failed attempts", name, failures.failures());
                }
                failures.reset();
                lastError = null;
                lastSuccessAt = clock.millis();
            } catch (SQLException | RuntimeException e) {
                retryDelay = failures.next();
                lastError = Secrets.redact(e.toString());
                if (failures.failures() == 1 || failures.failures() % 50 == 0) {
                    log.warn("strongzero-pump[{}]: sequencing failed ({} attempts so far), retrying with backoff: {}",
                            name, failures.failures(), lastError);
                }
            }
        }
    }

    /**
     * Stamps every committed row without a position, in batches, then refreshes the head. Package-private
     * for tests that drive sequencing step by step.
     */
    void sequenceAvailable() throws SQLException {
        sequenceAvailable(false);
    }

    /**
     * As {@link #sequenceAvailable()}; {@code woken}: a sender's wake-up started the pass, so rows are likely waiting
     * and the first transaction takes the lock at once instead of first asking whether any does.
     */
    private void sequenceAvailable(boolean woken) throws SQLException {
        long before = head.get();
        long latest;
        synchronized (connectionLock) {
            Connection c = connection.get();
            try {
                latest = -1;
                boolean probe = !woken;
                while (lifecycle.isRunning()) {
                    Stamper.Result batch = stamper.stampBatch(c, probe);
                    probe = false; // after a full batch more rows wait
                    if (batch.upTo() < 0) {
                        break;
                    }
                    if (batch.rows() > 0) {
                        stamped.addAndGet(batch.rows());
                        if (upkeep != null) {
                            upkeep.stamped(batch.rows());
                        }
                        head.accumulateAndGet(batch.upTo(), Math::max);
                    }
                    latest = Math.max(latest, batch.upTo());
                    if (!batch.full()) {
                        break;
                    }
                }
                if (latest < 0) {
                    latest = sequencer.head(c); // nothing stamped here: learn what other instances stamped
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c, e);
                connection.release(); // a broken connection goes back to the pool, which discards it
                throw e;
            }
        }
        announce(before, latest);
    }

    /**
     * Raises the head to {@code latest} (never lowers it) and tells the listeners if it now stands above
     * {@code before}: after a stamping pass, and after a head notification from another instance.
     */
    private void announce(long before, long latest) {
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

    /** How long the sequencer keeps one pooled connection before handing it back and taking another. */
    private static final Duration HOLD_CONNECTION = Duration.ofSeconds(30);
    private final Object connectionLock = new Object();
    /** The sequencer's connection for its short READ COMMITTED transactions, kept across passes. */
    private final HeldConnection connection;

    /**
     * Stops the threads, waiting up to 5 s for each. Idempotent; restores the interrupt flag if
     * interrupted while waiting.
     */
    @Override
    public void close() {
        if (!lifecycle.close()) {
            return;
        }
        wake.release();
        if (upkeep != null) {
            upkeep.close();
        }
        boolean stopped = Threads.join(sequencerThread, 5_000) & (pokes == null || pokes.stop(5_000))
                & (notifications == null || notifications.stop(5_000));
        if (!stopped) {
            log.warn("strongzero-pump[{}]: a thread did not stop within 5 s", name);
        }
        synchronized (connectionLock) {
            connection.release();
        }
        log.info("strongzero-pump[{}]: closed (stamped {} rows)", name, stamped.get());
    }

    @Override
    public String toString() {
        return "StrongZeroPump[" + name + ", " + dialect.shortName() + ", head=" + head.get() + "]";
    }

    /**
     * Builds a {@link StrongZeroPump}: its settings go into a {@link PumpConfig} (the setters are the config's,
     * {@link PumpConfig.Setters}, validated at once), its collaborators (data source, metrics, clock, ticker) stay
     * here. Not thread-safe.
     */
    public static final class Builder extends PumpConfig.Setters<Builder> {
        private DataSource dataSource;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private StrongZeroMetrics metrics = StrongZeroMetrics.NONE;

        private Builder() {
        }

        /** Replaces every setting with {@code config}'s. */
        public Builder config(PumpConfig config) {
            return copyFrom(Objects.requireNonNull(config, "config"));
        }

        /** The journal database. Required. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
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

        /** The monotonic time source for intervals (how long a connection is held, stamping times); tests. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Builds the pump (not started).
         *
         * @throws StrongZeroConfigException if name or dataSource is missing
         */
        public StrongZeroPump build() {
            PumpConfig built = buildConfig();
            Checks.required("dataSource", dataSource, "the journal database");
            return new StrongZeroPump(this, built);
        }
    }
}
