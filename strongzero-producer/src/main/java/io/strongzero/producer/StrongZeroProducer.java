package io.strongzero.producer;

import io.strongzero.core.Health;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Lifecycle;
import io.strongzero.producer.internal.Maintenance;
import io.strongzero.producer.internal.ProducerCounters;
import io.strongzero.producer.internal.ProducerHealth;
import io.strongzero.producer.internal.Serving;
import io.strongzero.pump.JournalAdmin;
import io.strongzero.pump.PumpConfig;
import io.strongzero.pump.StrongZeroPump;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *         .dataSource(ds).pump(PumpConfig.builder().name("users").build()).bind("tcp://127.0.0.1:7300")
 *         .build().start();
 * StrongZeroSender sender = StrongZeroSender.builder().producer(producer).dataSource(ds).build();
 * }</pre>
 *
 * <p>By default the endpoints are plaintext and open to anyone who can connect (a WARN at start for endpoints not
 * on loopback). With {@link Builder#security(ProducerSecurity)} they use CurveZMQ: encrypted, only for the consumer
 * keys on the allow-list, each possibly limited to some message types ({@code docs/security.md}). Requests that
 * break the protocol are answered with an ERROR, counted in {@link #malformedCount()} and logged at WARN at most
 * once per 10 s, the ones held back summarized per error code (failed handshakes and refused keys likewise);
 * frames larger than 4 KiB close the connection.
 *
 * <p>The ROUTER socket is owned by one thread ({@code strongzero-producer-<name>-frontend}); readers hand their
 * replies to it through a queue and a wake-up pipe. Lifecycle: {@link #start()}, {@link #close()} (idempotent; also
 * closes the pump if this producer built it). Thread-safe.
 */
public final class StrongZeroProducer implements AutoCloseable, Health.Check {

    private static final Logger log = LoggerFactory.getLogger(StrongZeroProducer.class);

    /**
     * The {@code consumer} the producer passes to {@link StrongZeroMetrics#served} for a consumer that does not hold
     * retention (UNREGISTERED or not recorded): made-up names share one meter instead of adding one each.
     */
    public static final String UNREGISTERED_CONSUMERS = "_unregistered";

    private final ProducerConfig config;
    private final StrongZeroPump pump;
    private final boolean ownsPump;
    private final String name;
    private final ProducerCounters counters = new ProducerCounters();
    private final Maintenance maintenance;
    private final ProducerHealth health;
    private final Serving serving; // the frontend, readers and wake-ups
    private final Lifecycle lifecycle;
    private volatile List<String> boundEndpoints = List.of();

    private StrongZeroProducer(Builder b, ProducerConfig given) {
        this.ownsPump = b.pump == null;
        this.pump = ownsPump ? StrongZeroPump.builder().config(given.pump()).dataSource(b.dataSource).metrics(b.metrics)
                .ticker(b.ticker).build() : b.pump;
        this.config = given.toBuilder().pump(pump.config()).build();
        this.name = pump.name();
        this.lifecycle = new Lifecycle("producer " + name);
        this.maintenance = Maintenance.of(pump, config, b.ticker);
        this.health = new ProducerHealth(name, maintenance.admin(), config.consumerIdleAfter(), counters,
                maintenance.progress());
        this.serving = new Serving(name, config, pump, maintenance.progress(), b.metrics, counters, b.ticker,
                UNREGISTERED_CONSUMERS, lifecycle::isRunning);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings this producer runs with, its pump's included (whether it built the pump or was given it). */
    public ProducerConfig config() {
        return config;
    }

    /** The producer's (journal's) name, its pump's; consumers ask for it by this name. */
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
        return counters.served.get();
    }

    /** Messages answered from the in-memory tail instead of a journal read. */
    public long servedFromMemoryCount() {
        return counters.servedFromMemory.get();
    }

    /** Requests refused as malformed since start (each answered with an ERROR). */
    public long malformedCount() {
        return counters.malformed.get();
    }

    /** How often the frontend failed unexpectedly and was started again. */
    public long frontendRestartCount() {
        return counters.frontendRestarts.get();
    }

    /**
     * Connections refused during the CURVE handshake since start: keys not on the allow-list, and handshakes that
     * failed (a client expecting another producer key, or a garbled handshake). Always 0 in plaintext mode.
     */
    public long refusedConnectionCount() {
        return serving.deniedConnections() + counters.handshakeFailures.get();
    }

    /**
     * Starts the pump (if it is not running yet), binds the endpoints and starts the frontend and reader threads.
     *
     * @throws StrongZeroConfigException if an endpoint cannot be bound (port in use, bad address)
     */
    public StrongZeroProducer start() {
        return lifecycle.start(() -> {
            if (!pump.isRunning()) {
                pump.start();
            }
            maintenance.prepare(pump);
            lifecycle.markRunning();
            try {
                boundEndpoints = serving.start();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            maintenance.start();
            return this;
        });
    }

    /** Journal status and consumer progress operations for this producer's journal. */
    public JournalAdmin admin() {
        return maintenance.admin();
    }

    /** Every consumer that pulled or was registered (UNREGISTERED ones too), with its lag as of the last record. */
    public List<JournalAdmin.ConsumerProgress> consumers() {
        return maintenance.admin().consumers();
    }

    /** How long after its last pull an ACTIVE consumer is reported as idle (health, meters). */
    public Duration consumerIdleAfter() {
        return config.consumerIdleAfter();
    }

    /** Consumer names not recorded since start because {@link Builder#maxUnregisteredConsumers} was reached. */
    public long unrecordedConsumerNameCount() {
        return maintenance.progress().unrecordedCount();
    }

    /**
     * Registers a consumer before its first pull, so retention keeps its messages; an UNREGISTERED consumer
     * becomes a real one (see {@link JournalAdmin#registerConsumer}).
     */
    public void registerConsumer(String consumerName) {
        maintenance.register(consumerName);
    }

    /** Declares a consumer gone, so retention no longer waits for it. */
    public boolean removeConsumer(String consumerName) {
        return maintenance.remove(consumerName);
    }

    /** Runs one retention pass now (also scheduled when retention is configured). */
    public JournalAdmin.RetentionResult cleanUpJournal() {
        return maintenance.cleanUpNow();
    }

    /**
     * Liveness: the frontend and pump threads run. Readiness: the frontend is bound and the journal database
     * answers. Details: endpoints, counts, the pump's details; each consumer that is not UNREGISTERED with its
     * position, lag and state ({@code IDLE} after {@link Builder#consumerIdleAfter}); the number of idle and of
     * UNREGISTERED consumers, and of names not recorded because of {@link Builder#maxUnregisteredConsumers}.
     */
    @Override
    public Health health() {
        return health.report(lifecycle.notRunning(), serving.frontendAlive(), pump.health(),
                boundEndpoints, maintenance.lastError());
    }

    /** Stops the frontend and readers (waiting up to 5 s each) and the pump if this producer built it. Idempotent. */
    @Override
    public void close() {
        if (!lifecycle.close()) {
            return;
        }
        maintenance.close();
        serving.stop();
        if (ownsPump) {
            pump.close();
        }
        log.info("strongzero-producer[{}]: closed (served {} messages)", name, counters.served.get());
    }

    @Override
    public String toString() {
        return "StrongZeroProducer[" + name + ", " + boundEndpoints + "]";
    }

    /**
     * Builds a {@link StrongZeroProducer}: either around an existing {@link #pump(StrongZeroPump)}, or with a
     * {@link #pump(PumpConfig)} and a {@link #dataSource}, in which case the producer builds, starts and closes its
     * own pump. The settings go into a {@link ProducerConfig} (the setters are the config's,
     * {@link ProducerConfig.Setters}, validated at once); the collaborators (data source, pump, metrics, ticker)
     * stay here. Not thread-safe.
     */
    public static final class Builder extends ProducerConfig.Setters<Builder> {
        private StrongZeroPump pump;
        private DataSource dataSource;
        private StrongZeroMetrics metrics = StrongZeroMetrics.NONE;
        private Ticker ticker = Ticker.system();

        private Builder() {
        }

        /** Replaces every setting (the pump's settings included) with {@code config}'s. */
        public Builder config(ProducerConfig config) {
            return copyFrom(Objects.requireNonNull(config, "config"));
        }

        /** An existing pump (started if needed, never closed by the producer); not with a pump config or dataSource. */
        public Builder pump(StrongZeroPump pump) {
            this.pump = Objects.requireNonNull(pump, "pump");
            return this;
        }

        /** The journal database, for the pump the producer builds and for its readers. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** Where measurements go (also the pump's, if the producer builds it); default {@link StrongZeroMetrics#NONE}. */
        public Builder metrics(StrongZeroMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The monotonic time source for long-poll deadlines and rate-limited logs (also the built pump's); tests. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Builds the producer (not started).
         *
         * @throws StrongZeroConfigException if no endpoint is bound, or neither a pump nor a pump configuration and
         *     a dataSource are set, or a pump is combined with a pump configuration or a dataSource
         */
        public StrongZeroProducer build() {
            ProducerConfig built = buildConfig();
            Checks.valid(pump == null || built.pump() == null && dataSource == null, () -> "pump cannot be combined with "
                        + (built.pump() != null ? "a PumpConfig" + (dataSource != null ? ", dataSource" : "") : "dataSource")
                        + ": the pump " + pump.name() + " has its own; configure them on the pump");
            Checks.valid(pump != null || built.pump() != null && dataSource != null,
                    "either pump(StrongZeroPump), or pump(PumpConfig) and dataSource, are "
                    + "required");
            return new StrongZeroProducer(this, built);
        }
    }
}
