package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.Health;
import io.strongzero.pump.JournalAdmin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ProducerHealthTest {

    private final H2Journal journal = new H2Journal();
    private final JournalAdmin admin = new JournalAdmin(journal.dataSource, Dialect.H2, "sz_", Clock.systemUTC());
    private final ProducerCounters counters = new ProducerCounters();
    private final ProducerHealth health = new ProducerHealth("users", admin, Duration.ofSeconds(60), counters,
            Parts.progress(journal.dataSource));
    private final Health pumpUp = new Health.Builder("pump:users").detail("head", 3L).build();

    @Test
    void aRunningProducerReportsItsCountsItsPumpsDetailsAndItsRegisteredConsumers() {
        counters.served.set(5);
        admin.registerConsumer("members", 0);
        Health h = health.report(null, true, pumpUp, List.of("tcp://127.0.0.1:7300"), null);
        assertTrue(h.live() && h.ready(), h.reasons().toString());
        assertEquals(5L, h.details().get("served"));
        assertEquals(3L, h.details().get("head"), "the pump's details");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> consumers = (List<Map<String, Object>>) h.details().get("consumers");
        assertEquals("members", consumers.get(0).get("name"));
        assertEquals("REGISTERED", consumers.get(0).get("state"));
    }

    @Test
    void aDeadFrontendANotStartedProducerAndAFailingMaintenanceShowInTheHealth() {
        assertFalse(health.report(null, false, pumpUp, List.of(), null).live(), "a dead frontend");
        Health notStarted = health.report("not started", false, pumpUp, List.of(), null);
        assertFalse(notStarted.ready());
        assertTrue(notStarted.reasons().contains("not started"), notStarted.reasons().toString());
        Health degraded = health.report(null, true, pumpUp, List.of(), "disk full");
        assertTrue(degraded.reasons().contains("maintenance (progress/retention) failed: disk full"),
                degraded.reasons().toString());
    }
}
