package io.strongzero.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strongzero.core.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the harness end to end on H2 with the tiny profile (child JVMs, a few hundred messages per
 * scenario) and checks only the shape of the result: every key is there, every figure is a positive
 * number, nothing was lost. No timing is asserted, so a slow machine cannot fail it.
 */
class BenchSmokeTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void tinyRunOnH2WritesACompleteResultWithNoMessageLost(@TempDir Path dir) throws Exception {
        BenchMain.run(Dialect.H2, Profile.TINY, dir, dir.resolve("logs"), null, new LinkedHashSet<>(BenchMain.SCENARIOS), 0,
                Set.of());

        Path json = dir.resolve("h2-tiny.json");
        assertTrue(Files.size(dir.resolve("h2-tiny.png")) > 1000, "chart written");
        assertTrue(Files.readString(dir.resolve("h2-tiny.md")).contains("## Latency"), "summary written");
        JsonNode r = Json.read(json);

        for (String key : new String[] {"e2e_tx1_msgs_per_s", "raw_tx1_msgs_per_s", "e2e_tx100_msgs_per_s",
            "raw_tx100_msgs_per_s", "catchup_msgs_per_s"}) {
            positive(r, key);
        }
        for (String rate : new String[] {"100_per_s", "1000_per_s", "sparse_200ms"}) {
            JsonNode s = r.path("latency_ms").path(rate);
            for (String p : new String[] {"p50", "p90", "p99", "p99_9", "max"}) {
                positive(s, p);
            }
            assertEquals(0, s.path("missing").asLong(), rate + ": every scheduled message reached the handler");
            assertTrue(s.path("count").asLong() >= 3, rate + " count");
        }
        positive(r.path("peak_heap_mb"), "producer");
        positive(r.path("peak_heap_mb"), "consumer");
        assertFalse(r.path("peak_heap_mb").path("out_of_memory").asBoolean(), "no OutOfMemoryError");
        assertEquals(Profile.TINY.fanout.length, r.path("fanout").size(), "one fan-out entry per consumer count");
        for (JsonNode f : r.path("fanout")) {
            positive(f, "aggregate_msgs_per_s");
            assertTrue(f.path("producer_cpu_cores").isNumber(), "producer CPU reported");
        }
        assertEquals(0, r.path("lost_messages").asLong(), "no message lost in any scenario");
        // H2's targets: throughput at 1 and 100 messages per transaction, and the heap (no latency or catch-up target)
        for (String target : new String[] {"e2e_vs_raw_tx1", "e2e_vs_raw_tx100", "heap_64mb"}) {
            assertTrue(r.path("targets").path(target).path("met").isBoolean(), target + " evaluated in " + r.path("targets"));
        }
    }

    private static void positive(JsonNode node, String key) {
        JsonNode v = node.get(key);
        assertTrue(v != null && v.isNumber() && v.asDouble() > 0, key + " must be a positive number but was " + v + " in " + node);
    }
}
