package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.producer.ProducerConfig;
import io.strongzero.pump.StrongZeroPump;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The serving threads' wiring and lifecycle, over a real pump and an in-memory journal. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServingTest {

    private final H2Journal journal = new H2Journal();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private Serving serving(StrongZeroPump pump, String endpoint) {
        return new Serving("users", ProducerConfig.builder().bind(endpoint).build(), pump,
                Parts.progress(journal.dataSource), StrongZeroMetrics.NONE, new ProducerCounters(), Ticker.system(),
                "_unregistered", running::get);
    }

    @Test
    void startBindsAndListensToThePumpAndStopEndsTheThreads() {
        try (StrongZeroPump pump = StrongZeroPump.builder().name("users").dataSource(journal.dataSource).build()) {
            Serving serving = serving(pump, "tcp://127.0.0.1:*");
            assertFalse(serving.frontendAlive(), "not started");
            List<String> endpoints = serving.start();
            assertEquals(1, endpoints.size());
            assertTrue(endpoints.get(0).startsWith("tcp://127.0.0.1:") && !endpoints.get(0).endsWith(":*"), endpoints.get(0));
            assertTrue(serving.frontendAlive());
            assertEquals(0, serving.deniedConnections(), "plaintext refuses no key");

            Serving clash = serving(pump, endpoints.get(0));
            StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, clash::start);
            assertTrue(e.getMessage().contains("cannot bind [" + endpoints.get(0) + "]"), e.getMessage());
            running.set(false);
            clash.stop();
            serving.stop();
            assertFalse(serving.frontendAlive());
        }
    }
}
