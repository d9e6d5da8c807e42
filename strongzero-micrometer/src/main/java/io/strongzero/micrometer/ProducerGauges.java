package io.strongzero.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.pump.JournalAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The gauges of one producer, registered by {@link MicrometerMetrics#bindProducer(StrongZeroProducer)}:
 *
 * <ul>
 *   <li>{@code strongzero.producer.head} (tag {@code producer}): the last position assigned, as the pump knows it;</li>
 *   <li>{@code strongzero.producer.served.from.memory}: a function counter of the messages answered from the
 *       in-memory tail instead of a journal read;</li>
 *   <li>{@code strongzero.producer.journal.rows}, {@code strongzero.producer.journal.unsequenced} and
 *       {@code strongzero.producer.journal.min.position}: from {@code JournalAdmin.status()};</li>
 *   <li>{@code strongzero.producer.consumers} (tags {@code producer}, {@code state}): how many consumers are in
 *       each state, {@code active}, {@code idle} (ACTIVE without a pull for the producer's
 *       {@code consumerIdleAfter}, see {@code JournalAdmin.ConsumerProgress.idle}), {@code registered},
 *       {@code unregistered} and {@code gone};</li>
 *   <li>per consumer that holds retention, ACTIVE or REGISTERED (tags {@code producer}, {@code consumer}):
 *       {@code strongzero.producer.consumer.position}, {@code strongzero.producer.consumer.lag.messages} and
 *       {@code strongzero.producer.consumer.lag.seconds}, as the producer recorded them (every
 *       {@code progressInterval}), and {@code strongzero.producer.consumer.idle} (1 if idle, else 0).</li>
 * </ul>
 *
 * The status query runs at most once per cache interval, whatever the number of gauges and scrapes. Gauges of
 * consumers that appear later are registered when a status is read; those of consumers declared GONE (or
 * gone from the table) are removed. UNREGISTERED consumers (names from pulls nobody vouched for, see the
 * producer's {@code maxUnregisteredConsumers}) get no per-consumer gauges, so made-up names cannot multiply the
 * meters or sit among the real consumers' lag; they are counted in {@code strongzero.producer.consumers}. A gauge
 * shows NaN while its value cannot be read.
 *
 * <p>Thread-safe. The gauges hold this object, and through it the producer, until {@link #close()}
 * removes them (idempotent).
 */
public final class ProducerGauges implements AutoCloseable {

    private final MeterRegistry registry;
    private final String producer;
    private final Duration idleAfter;
    private final LongSupplier wallClock;
    private final Cached<JournalAdmin.Status> status;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, List<Meter>> perConsumer = new ConcurrentHashMap<>();
    private volatile Map<String, JournalAdmin.ConsumerProgress> progress = Map.of();
    private volatile boolean closed;

    ProducerGauges(MeterRegistry registry, StrongZeroProducer producer, Supplier<JournalAdmin.Status> statusSource,
                   Duration ttl, LongSupplier ticker) {
        this(registry, producer, statusSource, ttl, ticker, System::currentTimeMillis);
    }

    /** As above, with the wall clock (epoch ms) idle is judged on, the clock the producer records pulls with. */
    ProducerGauges(MeterRegistry registry, StrongZeroProducer producer, Supplier<JournalAdmin.Status> statusSource,
                   Duration ttl, LongSupplier ticker, LongSupplier wallClock) {
        this.registry = registry;
        this.producer = producer.name();
        this.idleAfter = producer.consumerIdleAfter();
        this.wallClock = wallClock;
        this.status = new Cached<>("the journal status of producer " + this.producer, statusSource, ttl, ticker);
        meters.add(Gauge.builder("strongzero.producer.head", producer, p -> p.pump().head() < 0 ? Double.NaN : p.pump().head())
                .description("last position assigned in the journal").tag("producer", this.producer)
                .strongReference(true).register(registry));
        meters.add(FunctionCounter.builder("strongzero.producer.served.from.memory", producer,
                        StrongZeroProducer::servedFromMemoryCount)
                .description("messages answered from the in-memory tail, without a journal read")
                .tag("producer", this.producer).register(registry));
        meters.add(statusGauge("strongzero.producer.journal.rows", "rows in the journal", BaseUnits.ROWS,
                JournalAdmin.Status::rows));
        meters.add(statusGauge("strongzero.producer.journal.unsequenced", "committed journal rows waiting for a position",
                null, JournalAdmin.Status::unsequenced));
        meters.add(statusGauge("strongzero.producer.journal.min.position", "oldest position still in the journal",
                null, JournalAdmin.Status::minPosition));
        for (String state : List.of("active", "idle", "registered", "unregistered", "gone")) {
            meters.add(Gauge.builder("strongzero.producer.consumers", this, g -> {
                JournalAdmin.Status s = g.refresh();
                return s == null ? Double.NaN : s.consumers().stream().filter(c -> state.equals(g.stateOf(c))).count();
            }).description("consumers in the state of the tag (idle: ACTIVE without a pull for consumerIdleAfter)")
                    .tags("producer", this.producer, "state", state).strongReference(true).register(registry));
        }
        refresh();
    }

    private Gauge statusGauge(String name, String description, String unit, ToDoubleFunction<JournalAdmin.Status> f) {
        return Gauge.builder(name, this, g -> {
            JournalAdmin.Status s = g.refresh();
            return s == null ? Double.NaN : f.applyAsDouble(s);
        }).description(description).baseUnit(unit).tag("producer", producer).strongReference(true).register(registry);
    }

    /** Reads the (cached) status and registers or removes per-consumer gauges to match it. */
    JournalAdmin.Status refresh() {
        JournalAdmin.Status s = status.get();
        if (s == null || closed) {
            return s;
        }
        Map<String, JournalAdmin.ConsumerProgress> now = new ConcurrentHashMap<>();
        for (JournalAdmin.ConsumerProgress c : s.consumers()) {
            if (c.state().holdsRetention()) {
                now.put(c.name(), c);
            }
        }
        progress = now;
        synchronized (perConsumer) {
            for (String name : now.keySet()) {
                if (!perConsumer.containsKey(name)) {
                    perConsumer.put(name, List.of(
                            consumerGauge("strongzero.producer.consumer.position", name,
                                    "position the consumer last pulled after", null, c -> c.position()),
                            consumerGauge("strongzero.producer.consumer.lag.messages", name,
                                    "messages the consumer has not pulled yet", BaseUnits.MESSAGES, c -> c.lagMessages()),
                            consumerGauge("strongzero.producer.consumer.lag.seconds", name,
                                    "age of the oldest message the consumer has not pulled yet (sender's clock)",
                                    "seconds", c -> c.lagMillis() / 1000.0),
                            consumerGauge("strongzero.producer.consumer.idle", name,
                                    "1 if the consumer is ACTIVE but has not pulled for consumerIdleAfter, else 0", null,
                                    c -> c.idle(wallClock.getAsLong(), idleAfter) ? 1 : 0)));
                }
            }
            Set<String> stale = new HashSet<>(perConsumer.keySet());
            stale.removeAll(now.keySet());
            for (String name : stale) {
                perConsumer.remove(name).forEach(registry::remove);
            }
        }
        return s;
    }

    private Meter consumerGauge(String name, String consumer, String description, String unit,
                                ToDoubleFunction<JournalAdmin.ConsumerProgress> f) {
        return Gauge.builder(name, this, g -> {
            g.refresh();
            JournalAdmin.ConsumerProgress c = g.progress.get(consumer);
            return c == null ? Double.NaN : f.applyAsDouble(c);
        }).description(description).baseUnit(unit).tags("producer", producer, "consumer", consumer)
                .strongReference(true).register(registry);
    }

    /** The value of the {@code state} tag of {@code strongzero.producer.consumers} that counts this consumer. */
    private String stateOf(JournalAdmin.ConsumerProgress c) {
        return c.idle(wallClock.getAsLong(), idleAfter) ? "idle" : c.state().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The consumers that have gauges now (for tests). */
    Set<String> consumersWithGauges() {
        return Set.copyOf(perConsumer.keySet());
    }

    /** Status queries run so far (for tests). */
    long statusQueries() {
        return status.loads();
    }

    /** Removes every gauge of this producer from the registry. Idempotent. */
    @Override
    public void close() {
        closed = true;
        meters.forEach(registry::remove);
        synchronized (perConsumer) {
            perConsumer.values().forEach(l -> l.forEach(registry::remove));
            perConsumer.clear();
        }
    }

    @Override
    public String toString() {
        return "ProducerGauges[" + producer + ", consumers " + perConsumer.keySet() + "]";
    }
}
