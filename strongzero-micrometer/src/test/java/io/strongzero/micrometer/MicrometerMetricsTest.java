package io.strongzero.micrometer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.StrongZeroConfigException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SPI mapping, tag bounding, validation and caching, without a pipeline. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MicrometerMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void mapsEveryEventToItsMeterWithItsTags() {
        MicrometerMetrics m = MicrometerMetrics.of(registry);
        m.sent("a", 10, 1_000);
        m.sequenced("users", 3, 2_000);
        m.served("users", "members", 4, 400);
        m.busy("users");
        m.refused("users", ErrorCode.MALFORMED_REQUEST);
        m.handled("members", "users", "a", 5_000);
        m.committed("members", "users", 4, 6_000);
        m.retried("members", "users", "a");
        m.deadLettered("members", "users", "a", true);

        assertEquals(1, registry.get("strongzero.sender.sent").tag("type", "a").counter().count());
        assertEquals(10, registry.get("strongzero.sender.payload").tag("type", "a").summary().totalAmount());
        assertEquals(1_000, registry.get("strongzero.sender.write").tag("type", "a").timer().totalTime(TimeUnit.NANOSECONDS));
        assertEquals(3, registry.get("strongzero.pump.sequenced.rows").tag("producer", "users").counter().count());
        assertEquals(2_000, registry.get("strongzero.pump.sequencing").tag("producer", "users").timer()
                .totalTime(TimeUnit.NANOSECONDS));
        assertEquals(4, registry.get("strongzero.producer.served.messages").tags("producer", "users", "consumer", "members")
                .counter().count());
        assertEquals(400, registry.get("strongzero.producer.served.bytes").tags("producer", "users", "consumer", "members")
                .counter().count());
        assertEquals(1, registry.get("strongzero.producer.busy").tag("producer", "users").counter().count());
        assertEquals(1, registry.get("strongzero.producer.refused").tags("producer", "users", "code", "MALFORMED_REQUEST")
                .counter().count());
        assertEquals(5_000, registry.get("strongzero.consumer.handler").tags("consumer", "members", "producer", "users",
                "type", "a").timer().totalTime(TimeUnit.NANOSECONDS));
        assertEquals(6_000, registry.get("strongzero.consumer.transaction").tags("consumer", "members", "producer", "users")
                .timer().totalTime(TimeUnit.NANOSECONDS));
        assertEquals(4, registry.get("strongzero.consumer.transaction.messages").tags("consumer", "members", "producer",
                "users").summary().totalAmount());
        assertEquals(1, registry.get("strongzero.consumer.retries").tags("consumer", "members", "producer", "users",
                "type", "a").counter().count());
        assertEquals(1, registry.get("strongzero.consumer.dead.letters").tags("consumer", "members", "producer", "users",
                "type", "a", "blocking", "true").counter().count());
        assertTrue(registry.getMeters().stream().allMatch(meter -> meter.getId().getName().startsWith("strongzero.")));
    }

    @Test
    void typeTagsBeyondTheLimitAreReportedAsOtherSoUnboundedTypesCannotExplodeTheRegistry() {
        MicrometerMetrics m = MicrometerMetrics.builder(registry).maxTypeTags(2).build();
        for (int i = 0; i < 1000; i++) {
            m.sent("type-" + i, 1, 1);
            m.handled("members", "users", "type-" + i, 1);
        }
        m.sent("type-0", 1, 1);
        assertEquals(2, registry.get("strongzero.sender.sent").tag("type", "type-0").counter().count());
        assertEquals(1, registry.get("strongzero.sender.sent").tag("type", "type-1").counter().count());
        assertEquals(998, registry.get("strongzero.sender.sent").tag("type", MicrometerMetrics.OTHER_TYPE).counter().count());
        assertEquals(3, registry.get("strongzero.sender.sent").counters().size());
        assertEquals(3, registry.get("strongzero.consumer.handler").timers().size());
        assertNull(registry.find("strongzero.sender.sent").tag("type", "type-2").counter());
    }

    @Test
    void aRegistryThatRefusesAMeterNeverThrowsIntoStrongZero() {
        // a gauge already holds the name and tags the counter needs: Micrometer refuses the counter
        Gauge.builder("strongzero.producer.busy", () -> 1).tag("producer", "users").register(registry);
        MicrometerMetrics m = MicrometerMetrics.of(registry);
        assertThrows(IllegalArgumentException.class,
                () -> registry.counter("strongzero.producer.busy", "producer", "users"), "the registry does refuse it");
        assertDoesNotThrow(() -> m.busy("users"));
        assertDoesNotThrow(() -> m.busy("users"));
        m.busy("orders");
        assertEquals(1, registry.get("strongzero.producer.busy").tag("producer", "orders").counter().count(),
                "other meters still work");
    }

    @Test
    void builderRefusesInvalidSettingsNamingTheSettingAndTheValue() {
        MicrometerMetrics.Builder b = MicrometerMetrics.builder(registry);
        assertEquals("maxTypeTags must be between 1 and 10000 but was 0",
                assertThrows(StrongZeroConfigException.class, () -> b.maxTypeTags(0)).getMessage());
        assertEquals("cacheTtl must be between 0 and 10 min but was PT-1S",
                assertThrows(StrongZeroConfigException.class, () -> b.cacheTtl(Duration.ofSeconds(-1))).getMessage());
        assertThrows(StrongZeroConfigException.class, () -> b.cacheTtl(Duration.ofMinutes(11)));
        assertThrows(StrongZeroConfigException.class, () -> b.cacheTtl(null));
        assertThrows(NullPointerException.class, () -> MicrometerMetrics.builder(null));
        MicrometerMetrics m = b.maxTypeTags(7).cacheTtl(Duration.ofSeconds(30)).build();
        MicrometerMetrics copy = m.toBuilder().build();
        assertEquals(7, copy.maxTypeTags());
        assertEquals(Duration.ofSeconds(30), copy.cacheTtl());
        assertEquals(registry, copy.registry());
    }

    @Test
    void bindConsumerNeedsTheProducerNames() {
        MicrometerMetrics m = MicrometerMetrics.of(registry);
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, () -> m.bindConsumer(
                io.strongzero.consumer.StrongZeroConsumer.builder().name("c").dataSource(new org.h2.jdbcx.JdbcDataSource())
                        .dialect(io.strongzero.core.Dialect.H2).producer("users", "tcp://127.0.0.1:1")
                        .handler("t", String.class, (msg, ctx) -> { }).build()));
        assertTrue(e.getMessage().contains("bindConsumer(consumer, \"users\")"), e.getMessage());
    }

    @Test
    void cachedValueLoadsOncePerIntervalAndRemembersFailures() {
        AtomicLong now = new AtomicLong();
        AtomicLong loads = new AtomicLong();
        boolean[] fail = {false};
        Cached<Long> cached = new Cached<>("a test value", () -> {
            loads.incrementAndGet();
            if (fail[0]) {
                throw new IllegalStateException("down");
            }
            return loads.get();
        }, Duration.ofSeconds(5), now::get);
        assertEquals(1L, cached.get());
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertEquals(1L, cached.get());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(2L, cached.get());
        fail[0] = true;
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertNull(cached.get());
        assertNull(cached.get());
        assertEquals(3, loads.get(), "a failure is not retried on every read");
        fail[0] = false;
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertEquals(4L, cached.get());
        assertEquals(4, cached.loads());
    }
}
