package io.strongzero.consumer;

import io.strongzero.consumer.internal.BatchApplier;
import io.strongzero.consumer.internal.ConsumerCounters;
import io.strongzero.consumer.internal.ConsumerHealth;
import io.strongzero.consumer.internal.ConsumerStores;
import io.strongzero.consumer.internal.DeadLetterStore;
import io.strongzero.consumer.internal.HandlerInvoker;
import io.strongzero.consumer.internal.StreamState;
import io.strongzero.consumer.internal.PoolCheck;
import io.strongzero.consumer.internal.StreamWorker;
import io.strongzero.core.Dialect;
import io.strongzero.core.Health;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Lifecycle;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * that fails is rolled back and re-applied one message at a time. Settings are in a {@link ConsumerConfig}
 * ({@link #config()}); how transactions run and where positions are kept can be replaced
 * ({@link ConsumerTransactions}, {@link PositionStore}).
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

    private final ConsumerConfig config;
    private final String name;
    private final Dialect dialect;
    private final ConsumerStores stores;
    private final boolean defaultPositions;
    private final IdempotencyGuard idempotency;
    private final HandlerInvoker invoker;
    private final BatchApplier applier;
    private final ConsumerCounters counters = new ConsumerCounters();
    private final StreamWorker.Shared shared;
    private final Ticker ticker;

    private final Lifecycle lifecycle;
    private final Map<String, StreamWorker> streams = new LinkedHashMap<>();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private StrongZeroConsumer(Builder b, ConsumerConfig config) {
        this.config = config;
        this.name = config.name();
        this.lifecycle = new Lifecycle("consumer " + name);
        this.dialect = config.dialect() != null ? config.dialect() : Dialect.detect(b.dataSource);
        this.ticker = b.ticker;
        String prefix = config.tablePrefix();
        this.defaultPositions = b.positionStore == null;
        PositionStore positions = defaultPositions ? PositionStore.jdbc(dialect, prefix) : b.positionStore;
        this.stores = new ConsumerStores(name, b.dataSource, prefix, b.transactions, positions, new DeadLetterStore(prefix),
                b.clock);
        this.idempotency = new IdempotencyGuard(b.dataSource, name, prefix, b.clock, dialect);
        this.invoker = new HandlerInvoker(name, b.handlers, b.codecs, config.unknownTypePolicy(), b.metrics, ticker);
        this.applier = new BatchApplier(stores, invoker, idempotency, config.transactionMode(), b.metrics, ticker);
        this.shared = new StreamWorker.Shared(config, stores, applier, counters, ticker, b.random, b.metrics,
                b.deadLetterListener, lifecycle::isRunning, (producer, id) -> deadLetters().replay(producer, id).applied());
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** This consumer's name (the offset key, with the producer name). */
    public String name() {
        return name;
    }

    /** This consumer's settings. */
    public ConsumerConfig config() {
        return config;
    }

    /**
     * Checks (or creates) the consumer tables and starts one thread per producer. Returns at once.
     *
     * @throws io.strongzero.core.StrongZeroSchemaException if a table is missing
     */
    public StrongZeroConsumer start() {
        return lifecycle.start(() -> {
            if (config.concurrency() > 1) {
                if (!defaultPositions) {
                    throw new StrongZeroConfigException("consumer " + name + ": concurrency(" + config.concurrency()
                            + ") records one position per lane in the offset table, so it needs the default position "
                            + "store; remove positionStore(...) or use concurrency(1)");
                }
                int streams = config.producers().size();
                PoolCheck.requireConnections(stores.dataSource(), streams * (config.concurrency() + 1), name,
                        streams + " producer stream(s), each applying in " + config.concurrency() + " lanes and reading "
                        + "its offsets and dead letters on one more connection");
            }
            stores.verifySchema(dialect, config.createSchemaIfMissing(), defaultPositions, defaultPositions);
            invoker.prepareCodecs();
            lifecycle.markRunning();
            config.producers().forEach((producer, endpoint) -> {
                StreamWorker w = new StreamWorker(shared, producer, endpoint);
                streams.put(producer, w);
                w.start();
            });
            log.info("strongzero-consumer[{}]: started, producers {}, handlers for {}, mode {}, unknown types: {}",
                    name, config.producers(), invoker.types(), config.transactionMode(), config.unknownTypePolicy());
            return this;
        });
    }

    /** Starts (if not started) and blocks until {@link #close()} is called from another thread. */
    public void run() throws InterruptedException {
        lifecycle.startIfNew(this::start);
        terminated.await();
    }

    /** Waits until the consumer is closed; returns false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code read} of the stream of {@code producer}, or {@code none} if this consumer does not pull from it. */
    private <T> T ofStream(String producer, Function<StreamState, T> read, T none) {
        StreamWorker w = streams.get(producer);
        return w == null ? none : read.apply(w.state());
    }

    /** The last committed position for a producer as this consumer knows it (-1 before it was loaded). */
    public long position(String producer) {
        StreamWorker w = streams.get(producer);
        if (w == null) {
            throw new IllegalArgumentException("consumer " + name + " has no producer '" + producer + "'; it has "
                    + config.producers().keySet());
        }
        return w.state().position();
    }

    /** The producer's head as of the last reply (-1 before the first reply). */
    public long producerHead(String producer) {
        return ofStream(producer, StreamState::head, -1L);
    }

    /** Messages applied (committed) since start. */
    public long appliedCount() {
        return counters.applied();
    }

    /**
     * Messages skipped since start: of unknown type under {@link UnknownTypePolicy#SKIP}, and redacted
     * entries (messages of types the producer's security does not let this consumer's key read).
     */
    public long skippedCount() {
        return counters.skipped();
    }

    /** Messages the producer has that this consumer has not applied yet (head minus position; -1 before the first reply). */
    public long lagMessages(String producer) {
        return ofStream(producer, StreamState::lagMessages, -1L);
    }

    /**
     * Age of the oldest message not applied yet, by the sender's clock: the age of the last applied
     * message while behind, 0 when caught up.
     */
    public long lagMillis(String producer) {
        return ofStream(producer, s -> s.lagMillis(stores.clock().millis()), 0L);
    }

    /**
     * Liveness: each producer's thread runs. Readiness: started, and the consumer database answers.
     * Degraded (with reasons): a producer not answering, a blocked stream, open dead letters.
     * Details per producer: endpoint, position, head, lag, last successful pull, blocked.
     */
    @Override
    public Health health() {
        return ConsumerHealth.of(config, stores, streams.values(), counters, lifecycle.isRunning(), lifecycle.isClosed(), ticker);
    }

    /** Messages parked in the dead-letter table since start. */
    public long parkedCount() {
        return counters.parked();
    }

    /** True while a producer's stream is stopped by a BLOCKING dead letter. */
    public boolean isBlocked(String producer) {
        return ofStream(producer, StreamState::blocked, false);
    }

    /** The dead-letter operations (list, show, replay, discard) of this consumer. */
    public DeadLetters deadLetters() {
        return new DeadLetters(applier, counters);
    }

    /** The idempotency guard of this consumer (also reachable from handlers as {@link HandlerContext#once}). */
    public IdempotencyGuard idempotencyGuard() {
        return idempotency;
    }

    /**
     * Dead letters replayed successfully through this consumer since start (by {@link DeadLetters#replay}, or for a
     * replay requested from another process). Not part of {@link #appliedCount()}: that counts the stream.
     */
    public long replayedCount() {
        return counters.replayed();
    }

    /** Failed attempts (handler exceptions, unknown types under FAIL, database errors) since start. */
    public long failureCount() {
        return counters.failures();
    }

    /** The last failure of a producer's stream, or null if its last attempt succeeded. */
    public String lastError(String producer) {
        return ofStream(producer, StreamState::lastError, null);
    }

    /**
     * Stops pulling; each producer's thread finishes the transaction in flight and exits, waiting at most
     * the close timeout (default 10 s). Idempotent. An interrupted or timed-out close never moves an
     * offset past an unapplied message: the transaction in flight either commits whole or not at all.
     */
    @Override
    public void close() {
        if (!lifecycle.close()) {
            return;
        }
        if (!StreamWorker.stopAll(streams.values(), config.closeTimeout(), ticker)) {
            log.warn("strongzero-consumer[{}]: a producer thread did not stop within {} ms and was interrupted",
                    name, config.closeTimeout().toMillis());
        }
        terminated.countDown();
        log.info("strongzero-consumer[{}]: closed (applied {} messages, skipped {})", name, counters.applied(),
                counters.skipped());
    }

    @Override
    public String toString() {
        return "StrongZeroConsumer[" + name + ", producers=" + config.producers().keySet() + "]";
    }

    /**
     * Builds a {@link StrongZeroConsumer}: the settings (the setters it shares with {@link ConsumerConfig.Builder},
     * validated at once) make its {@link ConsumerConfig}; the collaborators (data source, handlers, codecs,
     * listener, metrics, clock, ticker, random source, transactions, position store) are set here. Not thread-safe.
     */
    public static final class Builder extends ConsumerConfig.Setters<Builder> {
        private DataSource dataSource;
        private final Map<String, HandlerInvoker.Registration<?>> handlers = new LinkedHashMap<>();
        private final Map<String, PayloadCodec> codecs = HandlerInvoker.defaultCodecs();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private DeadLetterListener deadLetterListener = DeadLetterListener.NONE;
        private StrongZeroMetrics metrics = StrongZeroMetrics.NONE;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private ConsumerTransactions transactions = ConsumerTransactions.jdbc();
        private PositionStore positionStore;

        private Builder() {
        }

        /** All settings at once, replacing those set so far (the collaborators stay). */
        public Builder config(ConsumerConfig config) {
            return copyFrom(config);
        }

        /** The consumer's own database (offsets, handler effects). Required. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The handler for a message type, with the class its payload decodes to. One handler per type. */
        public <T> Builder handler(String type, Class<T> payloadType, MessageHandler<T> handler) {
            HandlerInvoker.register(handlers, type, payloadType, handler);
            return this;
        }

        /** A codec for its content type, replacing the default one (for example a mapper with extra modules). */
        public Builder codec(PayloadCodec codec) {
            codecs.put(codec.contentType(), codec);
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

        /** The random source for retry and reconnect jitter, uniform in [0, 1) (tests make it deterministic). */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The clock for offset, dead-letter and idempotency timestamps. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The monotonic time source of timeouts, backoffs and health. Default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** How the consumer runs its transactions. Default {@link ConsumerTransactions#jdbc()}. */
        public Builder transactions(ConsumerTransactions transactions) {
            this.transactions = Objects.requireNonNull(transactions, "transactions");
            return this;
        }

        /**
         * Where the consumer keeps its positions. Default {@link PositionStore#jdbc}: the offset table (then checked
         * by {@link StrongZeroConsumer#start()}).
         */
        public Builder positionStore(PositionStore positionStore) {
            this.positionStore = Objects.requireNonNull(positionStore, "positionStore");
            return this;
        }

        /**
         * Builds the consumer (not started).
         *
         * @throws StrongZeroConfigException if name, dataSource or producers are missing, or settings conflict
         */
        public StrongZeroConsumer build() {
            ConsumerConfig built = buildConfig();
            Checks.required("dataSource", dataSource, "the consumer's own database");
            Checks.valid(!handlers.isEmpty() || built.unknownTypePolicy() != UnknownTypePolicy.FAIL, "no handler is "
                    + "registered and unknownTypePolicy is FAIL: every message would stop the stream; register handlers "
                    + "with handler(type, class, handler)");
            return new StrongZeroConsumer(this, built);
        }
    }
}
