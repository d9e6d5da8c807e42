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
        assertTrue(Files.size(dir.resolve("h2-tiny-sweep.png")) > 1000, "sweep chart written");
        String md = Files.readString(dir.resolve("h2-tiny.md"));
        for (String section : new String[] {"## Latency", "Cold start: the first message", "## Latency against offered rate",
            "## Two producer instances"}) {
            assertTrue(md.contains(section), "summary has " + section);
        }
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
        for (String stage : new String[] {"from_schedule", "commit_to_handler"}) {
            positive(r.path("cold_start_ms"), stage);
        }
        JsonNode sweep = r.path("latency_sweep");
        assertTrue(sweep.path("steps").size() >= 1, "at least one sweep step in " + sweep);
        double previous = 0;
        for (JsonNode step : sweep.path("steps")) {
            assertTrue(step.path("offered_per_s").asDouble() > previous, "offered rates climb: " + sweep);
            previous = step.path("offered_per_s").asDouble();
            for (String p : new String[] {"achieved_per_s", "p50", "p90", "p99", "p99_9", "max", "commit_to_handler_p99"}) {
                positive(step, p);
            }
            assertTrue(step.path("commit_to_handler_p50").isNumber(), "commit -> handler p50 in " + step);
            assertEquals(0, step.path("missing").asLong(), "every scheduled message of the step reached the handler");
        }
        JsonNode last = sweep.path("steps").get(sweep.path("steps").size() - 1);
        if (sweep.has("saturated_at_per_s")) {
            assertTrue(last.has("saturated"), "the sweep stops at the saturated step: " + sweep);
            assertEquals(last.path("offered_per_s").asDouble(), sweep.path("saturated_at_per_s").asDouble(), "saturated rate");
        } else {
            assertEquals(Profile.TINY.sweepMaxRate, last.path("offered_per_s").asDouble(), "unsaturated: the ladder's top: " + sweep);
        }
        for (int i = 0; i < sweep.path("steps").size() - 1; i++) {
            assertFalse(sweep.path("steps").get(i).has("saturated"), "only the last step may be saturated: " + sweep);
        }
        JsonNode two = r.path("two_instances");
        for (JsonNode s : new JsonNode[] {two, two.path("woken_instance")}) {
            for (String p : new String[] {"p50", "p90", "p99", "p99_9", "max"}) {
                positive(s, p);
            }
            assertEquals(0, s.path("missing").asLong(), "every scheduled message reached both instances' consumers");
            assertTrue(s.path("breakdown").path("commit_to_handler").path("count").asLong() > 0, "breakdown in " + s);
        }
        assertEquals(two.path("messages").asLong(), two.path("stamped_in_phase").path("a").asLong()
                + two.path("stamped_in_phase").path("b").asLong(), "every message of the phase stamped by one of the instances");
        positive(r.path("peak_heap_mb"), "producer");
        positive(r.path("peak_heap_mb"), "consumer");
        assertFalse(r.path("peak_heap_mb").path("out_of_memory").asBoolean(), "no OutOfMemoryError");
        assertEquals(Profile.TINY.fanout.length, r.path("fanout").size(), "one fan-out entry per consumer count");
        for (JsonNode f : r.path("fanout")) {
            positive(f, "aggregate_msgs_per_s");
            assertTrue(f.path("producer_cpu_cores").isNumber(), "producer CPU reported");
        }
        JsonNode pa = r.path("parallel_apply");
        assertEquals(Profile.TINY.parallelConcurrency.length, pa.path("runs").size(), "one parallel-apply run per concurrency");
        for (JsonNode run : pa.path("runs")) {
            positive(run, "applied_msgs_per_s");
            assertEquals(run.path("messages").asLong(), run.path("rows").asLong(), "one effect row per message: " + run);
            assertEquals(0, run.path("order_violations").asLong(), "each key applied in position order: " + run);
            assertTrue(run.path("exactly_once_in_key_order").asBoolean(), "checked exactly once: " + run);
        }
        assertTrue(md.contains("## Parallel apply"), "summary has the parallel-apply section");
        assertEquals(0, r.path("parallel_apply_violations").asLong(), "no duplicate or key out of order");
        assertEquals(0, r.path("lost_messages").asLong(), "no message lost in any scenario");
        // H2's targets: throughput at 1 and 100 messages per transaction, and the heap (no latency, two-instance or
        // catch-up target)
        for (String target : new String[] {"e2e_vs_raw_tx1", "e2e_vs_raw_tx100", "heap_64mb"}) {
            assertTrue(r.path("targets").path(target).path("met").isBoolean(), target + " evaluated in " + r.path("targets"));
        }
        assertFalse(r.path("targets").has("two_instances_p99"), "no two-instance target on H2");
    }

    private static void positive(JsonNode node, String key) {
        JsonNode v = node.get(key);
        assertTrue(v != null && v.isNumber() && v.asDouble() > 0, key + " must be a positive number but was " + v + " in " + node);
    }
}
