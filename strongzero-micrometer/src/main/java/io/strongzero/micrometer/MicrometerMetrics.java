package io.strongzero.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.producer.StrongZeroProducer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * StrongZero's measurements as Micrometer meters. Pass it to the builders of the components
 * ({@code .metrics(metrics)} on {@code StrongZeroSender}, {@code StrongZeroPump}, {@code StrongZeroProducer},
 * {@code StrongZeroConsumer}) for the counters and timers, and bind the started components for the gauges:
 *
 * <pre>{@code
 * MicrometerMetrics metrics = MicrometerMetrics.of(registry);
 * StrongZeroProducer producer = StrongZeroProducer.builder().dataSource(db)
 *         .pump(PumpConfig.builder().name("users").build()).bind("tcp://0.0.0.0:7300").metrics(metrics).build().start();
 * ProducerGauges producerGauges = metrics.bindProducer(producer);      // head, lag per consumer, journal size
 * StrongZeroConsumer consumer = StrongZeroConsumer.builder().name("members") ...
 *         .producer("users", "tcp://users-service:7300").metrics(metrics).build().start();
 * ConsumerGauges consumerGauges = metrics.bindConsumer(consumer, "users");   // position, lag, dead letters
 * }</pre>
 *
 * <p>Every meter is named {@code strongzero.*} and tagged with {@code producer}, {@code consumer} and, for
 * per-message meters, {@code type}; docs/operations.md lists them all. Message types become tag values, so
 * they must be a small, fixed set (tens, not one per entity): past {@link Builder#maxTypeTags(int)}
 * distinct types (default 100) further types are reported as {@value #OTHER_TYPE} and a WARN is logged
 * once.
 *
 * <p>Thread-safe: the methods of {@link StrongZeroMetrics} are called from StrongZero's threads and
 * never throw. Immutable configuration; {@link #toBuilder()} gives a builder to derive another.
 */
public final class MicrometerMetrics implements StrongZeroMetrics {

    /** The {@code type} tag value for message types beyond {@link Builder#maxTypeTags(int)}. */
    public static final String OTHER_TYPE = "_other";

    private static final Logger log = LoggerFactory.getLogger(MicrometerMetrics.class);

    private final MeterRegistry registry;
    private final int maxTypeTags;
    private final Duration cacheTtl;
    private final LongSupplier ticker;
    private final Set<String> types = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean typesOverflowed = new AtomicBoolean();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final ConcurrentHashMap<Key, Meter> meters = new ConcurrentHashMap<>();

    /** A meter's name and tag values, to find it again without building a Micrometer id per event. */
    private record Key(String name, String a, String b, String c, String d) {
    }

    private MicrometerMetrics(Builder b) {
        this.registry = b.registry;
        this.maxTypeTags = b.maxTypeTags;
        this.cacheTtl = b.cacheTtl;
        this.ticker = b.ticker;
    }

    /** Meters in {@code registry} with the default settings. */
    public static MicrometerMetrics of(MeterRegistry registry) {
        return builder(registry).build();
    }

    /** A builder for meters in {@code registry}. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** A builder with this instance's settings. */
    public Builder toBuilder() {
        return new Builder(registry).maxTypeTags(maxTypeTags).cacheTtl(cacheTtl).ticker(ticker);
    }

    /** The registry meters are registered in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The most distinct {@code type} tag values. */
    public int maxTypeTags() {
        return maxTypeTags;
    }

    /** How long a database-backed gauge value (journal size, open dead letters) is reused. */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /**
     * Registers the gauges of a producer: head, per-consumer position and lag, journal rows, unsequenced
     * rows and oldest position. The last ones need a query ({@code JournalAdmin.status()}); its result is
     * reused for {@link #cacheTtl()}, so a scrape never queries more than once per interval.
     * {@link ProducerGauges#close()} removes them.
     */
    public ProducerGauges bindProducer(StrongZeroProducer producer) {
        Objects.requireNonNull(producer, "producer");
        return new ProducerGauges(registry, producer, producer.admin()::status, cacheTtl, ticker);
    }

    /**
     * Registers the gauges of a consumer for the given producers (the names passed to its builder's
     * {@code producer(name, endpoint)}): position, lag in messages and seconds, blocked, plus open dead
     * letters (a query, reused for {@link #cacheTtl()}) and the applied, parked and failure counts.
     * {@link ConsumerGauges#close()} removes them.
     *
     * @throws StrongZeroConfigException if no producer name is given
     */
    public ConsumerGauges bindConsumer(StrongZeroConsumer consumer, String... producers) {
        Objects.requireNonNull(consumer, "consumer");
        if (producers == null || producers.length == 0) {
            throw new StrongZeroConfigException("bindConsumer needs the names of the consumer's producers, for example "
                    + "bindConsumer(consumer, \"users\")");
        }
        for (String p : producers) {
            if (p == null || p.isBlank()) {
                throw new StrongZeroConfigException("producer names must not be blank but were " + List.of(producers));
            }
        }
        return new ConsumerGauges(registry, consumer, List.of(producers), () -> consumer.deadLetters().count(),
                cacheTtl, ticker);
    }

    // --- StrongZeroMetrics ---------------------------------------------------------------------------

    @Override
    public void sent(String type, int payloadBytes, long nanos) {
        try {
            String t = type(type);
            counter("strongzero.sender.sent", "messages written to the journal (in the sender's transaction)", null,
                    t, null, null, null, "type").increment();
            summary("strongzero.sender.payload", "payload size of written messages", t).record(payloadBytes);
            timer("strongzero.sender.write", "time to write one journal row", t, null, null, "type")
                    .record(nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void sequenced(String producer, int rows, long nanos) {
        try {
            counter("strongzero.pump.sequenced.rows", "journal rows given a position", null, producer, null, null, null,
                    "producer").increment(rows);
            timer("strongzero.pump.sequencing", "one stamping transaction of the pump", producer, null, null, "producer")
                    .record(nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void served(String producer, String consumer, int messages, long bytes) {
        try {
            counter("strongzero.producer.served.messages", "messages sent to consumers", null, producer, consumer, null,
                    null, "producer", "consumer").increment(messages);
            counter("strongzero.producer.served.bytes", "message frame bytes sent to consumers", BaseUnits.BYTES, producer,
                    consumer, null, null, "producer", "consumer").increment(bytes);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void busy(String producer) {
        try {
            counter("strongzero.producer.busy", "pulls refused as BUSY (the consumer retries after a pause)", null, producer,
                    null, null, null, "producer").increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void refused(String producer, ErrorCode code) {
        try {
            counter("strongzero.producer.refused", "malformed or invalid requests refused", null, producer,
                    code == null ? "UNKNOWN" : code.name(), null, null, "producer", "code").increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void handled(String consumer, String producer, String type, long nanos) {
        try {
            timer("strongzero.consumer.handler", "handler time per message", consumer, producer, type(type),
                    "consumer", "producer", "type").record(nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void committed(String consumer, String producer, int messages, long nanos) {
        try {
            timer("strongzero.consumer.transaction", "one consumer transaction: handlers, offset and commit", consumer,
                    producer, null, "consumer", "producer").record(nanos, TimeUnit.NANOSECONDS);
            Key key = new Key("strongzero.consumer.transaction.messages", consumer, producer, null, null);
            ((DistributionSummary) meters.computeIfAbsent(key, k -> DistributionSummary.builder(k.name())
                    .description("messages per committed consumer transaction").tags("consumer", tag(consumer),
                            "producer", tag(producer)).register(registry))).record(messages);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void retried(String consumer, String producer, String type) {
        try {
            counter("strongzero.consumer.retries", "failed attempts that will be retried", null, consumer, producer,
                    type(type), null, "consumer", "producer", "type").increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void deadLettered(String consumer, String producer, String type, boolean blocking) {
        try {
            counter("strongzero.consumer.dead.letters", "messages parked (blocking=false) or stopping their stream "
                    + "(blocking=true)", null, consumer, producer, type(type), Boolean.toString(blocking),
                    "consumer", "producer", "type", "blocking").increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void bufferFull(String consumer, String producer, long nanos) {
        try {
            timer("strongzero.consumer.buffer.full", "waits for a lane to catch up with the buffer of pulled messages "
                    + "full (concurrency > 1): a slow key holding the other keys back", consumer, producer, null,
                    "consumer", "producer").record(nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        if (failureLogged.compareAndSet(false, true)) {
            log.warn("strongzero-micrometer: recording a measurement failed; further failures are logged at DEBUG", e);
        } else {
            log.debug("strongzero-micrometer: recording a measurement failed", e);
        }
    }

    // --- meters --------------------------------------------------------------------------------------

    /** The type tag value: the type itself while fewer than maxTypeTags were seen, else {@link #OTHER_TYPE}. */
    String type(String type) {
        String t = tag(type);
        if (types.contains(t)) {
            return t;
        }
        synchronized (types) {
            if (types.contains(t)) {
                return t;
            }
            if (types.size() < maxTypeTags) {
                types.add(t);
                return t;
            }
        }
        if (typesOverflowed.compareAndSet(false, true)) {
            log.warn("strongzero-micrometer: more than {} message types seen; type '{}' and further new types are "
                    + "tagged type={} (message types must be a small fixed set: they are tag values)", maxTypeTags, t,
                    OTHER_TYPE);
        }
        return OTHER_TYPE;
    }

    private static String tag(String value) {
        return value == null ? "" : value;
    }

    private Counter counter(String name, String description, String unit, String a, String b, String c, String d,
                            String... tagNames) {
        Key key = new Key(name, a, b, c, d);
        Meter m = meters.get(key);
        if (m == null) {
            m = meters.computeIfAbsent(key, k -> Counter.builder(name).description(description).baseUnit(unit)
                    .tags(tags(tagNames, a, b, c, d)).register(registry));
        }
        return (Counter) m;
    }

    private Timer timer(String name, String description, String a, String b, String c, String... tagNames) {
        Key key = new Key(name, a, b, c, null);
        Meter m = meters.get(key);
        if (m == null) {
            m = meters.computeIfAbsent(key, k -> Timer.builder(name).description(description)
                    .tags(tags(tagNames, a, b, c, null)).register(registry));
        }
        return (Timer) m;
    }

    private DistributionSummary summary(String name, String description, String type) {
        Key key = new Key(name, type, null, null, null);
        return (DistributionSummary) meters.computeIfAbsent(key, k -> DistributionSummary.builder(name)
                .description(description).baseUnit(BaseUnits.BYTES).tags("type", type).register(registry));
    }

    private static String[] tags(String[] names, String a, String b, String c, String d) {
        String[] values = {a, b, c, d};
        String[] out = new String[names.length * 2];
        for (int i = 0; i < names.length; i++) {
            out[2 * i] = names[i];
            out[2 * i + 1] = tag(values[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "MicrometerMetrics[" + registry.getClass().getSimpleName() + ", maxTypeTags=" + maxTypeTags
                + ", cacheTtl=" + cacheTtl + "]";
    }

    /**
     * Configures a {@link MicrometerMetrics}; each setter validates its value at once. Not thread-safe.
     */
    public static final class Builder {
        private final MeterRegistry registry;
        private int maxTypeTags = 100;
        private Duration cacheTtl = Duration.ofSeconds(5);
        private LongSupplier ticker = System::nanoTime;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Most distinct message types used as {@code type} tag values (1 to 10000, default 100); further types
         * are tagged {@value MicrometerMetrics#OTHER_TYPE}.
         */
        public Builder maxTypeTags(int max) {
            if (max < 1 || max > 10_000) {
                throw new StrongZeroConfigException("maxTypeTags must be between 1 and 10000 but was " + max);
            }
            this.maxTypeTags = max;
            return this;
        }

        /**
         * How long the result of a gauge's database query (journal status, open dead letters) is reused:
         * 0 to 10 min, default 5 s. Zero queries on every read, which lets a scraper load the database.
         */
        public Builder cacheTtl(Duration ttl) {
            if (ttl == null || ttl.isNegative() || ttl.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new StrongZeroConfigException("cacheTtl must be between 0 and 10 min but was " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /** The nanosecond ticker the caches measure their age with; default {@code System::nanoTime}. */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The configured {@link MicrometerMetrics}. */
        public MicrometerMetrics build() {
            return new MicrometerMetrics(this);
        }
    }

    /** Maps a value to a gauge's double, NaN when there is none. */
    static <T> double orNaN(T value, Function<T, Number> f) {
        if (value == null) {
            return Double.NaN;
        }
        Number n = f.apply(value);
        return n == null ? Double.NaN : n.doubleValue();
    }
}
