package io.strongzero.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.strongzero.consumer.StrongZeroConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The gauges of one consumer, registered by {@link MicrometerMetrics#bindConsumer(StrongZeroConsumer, String...)}:
 *
 * <ul>
 *   <li>per producer (tags {@code consumer}, {@code producer}): {@code strongzero.consumer.position} (last
 *       committed position), {@code strongzero.consumer.lag.messages} (producer's head minus position, as of the
 *       last reply), {@code strongzero.consumer.lag.seconds} (age of the oldest message not applied yet, 0 when
 *       caught up) and {@code strongzero.consumer.blocked} (1 while a BLOCKING dead letter stops the stream);</li>
 *   <li>tag {@code consumer}: {@code strongzero.consumer.dead.letters.open} (PARKED, BLOCKING and
 *       REPLAY_REQUESTED rows: a query, reused for the cache interval), and the function counters
 *       {@code strongzero.consumer.applied}, {@code strongzero.consumer.parked}, {@code strongzero.consumer.replayed} and
 *       {@code strongzero.consumer.failures} (since the consumer started).</li>
 * </ul>
 *
 * Per-producer gauges show NaN until the consumer has loaded its offset and heard from the producer.
 *
 * <p>Thread-safe. The gauges hold this object, and through it the consumer, until {@link #close()}
 * removes them (idempotent).
 */
public final class ConsumerGauges implements AutoCloseable {

    private final MeterRegistry registry;
    private final StrongZeroConsumer consumer;
    private final Cached<Long> deadLetters;
    private final List<Meter> meters = new ArrayList<>();

    ConsumerGauges(MeterRegistry registry, StrongZeroConsumer consumer, List<String> producers,
                   Supplier<Long> deadLetterCount, Duration ttl, LongSupplier ticker) {
        this.registry = registry;
        this.consumer = consumer;
        this.deadLetters = new Cached<>("the open dead letters of consumer " + consumer.name(), deadLetterCount, ttl,
                ticker);
        String name = consumer.name();
        for (String p : producers) {
            meters.add(perProducer("strongzero.consumer.position", p, "last committed position", null, c -> {
                long pos = c.position(p);
                return pos < 0 ? Double.NaN : pos;
            }));
            meters.add(perProducer("strongzero.consumer.lag.messages", p,
                    "messages the producer has that are not applied yet (as of the last reply)", BaseUnits.MESSAGES, c -> {
                        long lag = c.lagMessages(p);
                        return lag < 0 ? Double.NaN : lag;
                    }));
            meters.add(perProducer("strongzero.consumer.lag.seconds", p,
                    "age of the oldest message not applied yet (sender's clock), 0 when caught up", "seconds",
                    c -> c.lagMessages(p) < 0 ? Double.NaN : c.lagMillis(p) / 1000.0));
            meters.add(perProducer("strongzero.consumer.blocked", p,
                    "1 while a BLOCKING dead letter stops the stream of this producer", null,
                    c -> c.isBlocked(p) ? 1 : 0));
        }
        meters.add(Gauge.builder("strongzero.consumer.dead.letters.open", this,
                        g -> MicrometerMetrics.orNaN(g.deadLetters.get(), n -> n))
                .description("dead letters waiting for replay or discard (PARKED, BLOCKING, REPLAY_REQUESTED)")
                .tag("consumer", name).strongReference(true).register(registry));
        meters.add(FunctionCounter.builder("strongzero.consumer.applied", consumer, StrongZeroConsumer::appliedCount)
                .description("messages applied (committed) since start").tag("consumer", name).register(registry));
        meters.add(FunctionCounter.builder("strongzero.consumer.parked", consumer, StrongZeroConsumer::parkedCount)
                .description("messages parked as dead letters since start").tag("consumer", name).register(registry));
        meters.add(FunctionCounter.builder("strongzero.consumer.replayed", consumer, StrongZeroConsumer::replayedCount)
                .description("dead letters replayed successfully since start").tag("consumer", name).register(registry));
        meters.add(FunctionCounter.builder("strongzero.consumer.failures", consumer, StrongZeroConsumer::failureCount)
                .description("failed attempts (handler, database, transport) since start").tag("consumer", name)
                .register(registry));
    }

    private Meter perProducer(String name, String producer, String description, String unit,
                              ToDoubleFunction<StrongZeroConsumer> f) {
        return Gauge.builder(name, consumer, c -> {
            try {
                return f.applyAsDouble(c);
            } catch (IllegalArgumentException notStarted) {
                return Double.NaN; // the consumer has not started, or has no such producer
            }
        }).description(description).baseUnit(unit).tags("consumer", consumer.name(), "producer", producer)
                .strongReference(true).register(registry);
    }

    /** Dead-letter count queries run so far (for tests). */
    long deadLetterQueries() {
        return deadLetters.loads();
    }

    /** Removes every meter of this consumer from the registry. Idempotent. */
    @Override
    public void close() {
        meters.forEach(registry::remove);
    }

    @Override
    public String toString() {
        return "ConsumerGauges[" + consumer.name() + "]";
    }
}
