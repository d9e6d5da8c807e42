package io.strongzero.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep's ladder, stop rule and report, on made-up figures (no child JVMs). */
class SweepTest {

    @Test
    void ladderClimbsToTheProfilesHighestRate() {
        assertEquals(List.of(100.0, 300.0, 1_000.0), Sweep.rates(Profile.TINY.sweepMaxRate));
        assertEquals(64_000.0, Sweep.rates(Profile.QUICK.sweepMaxRate).get(Sweep.rates(Profile.QUICK.sweepMaxRate).size() - 1));
    }

    @Test
    void aStepIsSaturatedWhenItsAchievedRateFallsBelowNinetyPercentOrItsP99ExceedsOneSecond() {
        assertNull(Sweep.saturation(1000, 900, 1000), "90% and 1 s exactly are still unsaturated");
        assertTrue(Sweep.saturation(1000, 899, 5).contains("achieved 899"), "below 90% of the offered rate");
        assertTrue(Sweep.saturation(1000, 1000, 1000.5).contains("p99 1,000.5 ms"), "p99 above 1 s");
    }

    @Test
    void stepAchievedRateRunsFromTheFirstScheduledSendToTheLastHandlerStart() {
        // 3 messages scheduled at 0, 10 and 20 ms, handled 30 ms after the first was scheduled: 100 msg/s offered,
        // 3 / 0.030 s = 100 msg/s achieved.
        ObjectNode window = Json.object();
        window.putArray("intended_micros").add(1_000_000).add(1_010_000).add(1_020_000);
        window.putArray("handler_micros").add(1_002_000).add(1_012_000).add(1_030_000);
        ObjectNode producer = Json.object();
        producer.putArray("commit_micros").add(1_001_000).add(1_011_000).add(1_021_000);
        ObjectNode summary = Json.object().put("messages", 3).put("p50", 2.0).put("p90", 10.0).put("p99", 10.0)
                .put("p99_9", 10.0).put("max", 10.0).put("missing", 0);
        ObjectNode breakdown = Json.object();
        breakdown.putObject("commit_to_handler").put("p50", 1.0).put("p99", 9.0);
        JsonNode step = Sweep.step(100, new RatePhases.View(summary, breakdown, window, producer));
        assertEquals(100, step.path("achieved_per_s").asDouble());
        assertEquals(143, step.path("committed_per_s").asDouble(), "3 commits by 21 ms");
        assertEquals(9.0, step.path("commit_to_handler_p99").asDouble());
        assertTrue(!step.has("saturated"), "not saturated: " + step);
        JsonNode slow = Sweep.step(200, new RatePhases.View(summary, breakdown, window, producer));
        assertTrue(slow.path("saturated").asText().contains("50%"), "100 of 200 msg/s offered: " + slow);
    }

    @Test
    void reportAndCompareShowTheSweepAndTheTwoInstanceFigures() {
        ObjectNode r = Json.object().put("db", "postgresql").put("profile", "quick");
        ObjectNode sweep = r.putObject("latency_sweep").put("step_seconds", 3.0).put("rule", Sweep.RULE)
                .put("saturated_at_per_s", 300.0).put("highest_unsaturated_per_s", 100.0);
        sweep.putArray("steps").addObject().put("offered_per_s", 100.0).put("achieved_per_s", 100.0).put("p99", 4.5);
        ((com.fasterxml.jackson.databind.node.ArrayNode) sweep.path("steps")).addObject().put("offered_per_s", 300.0)
                .put("achieved_per_s", 200.0).put("p99", 7.25).put("saturated", "achieved 200 msg/s, 67% of the offered 300");
        ObjectNode two = r.putObject("two_instances").put("p50", 1.5).put("p99", 12.5).put("count", 1000)
                .put("offered_per_s", 100.0).put("messages", 1000);
        two.putObject("woken_instance").put("p50", 1.0).put("p99", 3.25).put("count", 1000);
        two.putObject("breakdown").putObject("commit_to_handler").put("p50", 1.25).put("p99", 11.5);
        r.set("targets", Targets.evaluate(r));
        assertEquals(false, r.path("targets").path("two_instances_p99").path("met").asBoolean(true),
                "judged commit -> handler: 11.5 ms > 10 ms");
        assertEquals(11.5, r.path("targets").path("two_instances_p99").path("value").asDouble());

        String md = Report.markdown(r, "postgresql-quick.png");
        assertTrue(md.contains("![latency against offered rate](postgresql-quick-sweep.png)"), md);
        assertTrue(md.contains("| 300 | 200 |"), md);
        assertTrue(md.contains("| instance A (not woken) | 1000 | 1.50 |"), md);
        assertTrue(md.contains("| instance B (woken) | 1000 | 1.00 |"), md);
        assertTrue(md.contains("with two producer instances, consumer on the instance not woken (from the scheduled send: 12.50 ms)"
                + " | 11.5 | **no**"), "the target row: " + md);

        String table = Compare.table(List.of("a", "b"), List.of(r, Json.object()));
        assertTrue(table.contains("sweep, 300 msg/s offered"), table);
        assertTrue(table.contains("200, 0.00 / **7.25**, 0.00 / 0.00 (saturated)"), table);
        assertTrue(table.contains("1.50 / **12.50** / 0.00 / 0.00 (1.00 / 3.25)"), table);
        assertTrue(table.contains("100 (300)"), table);
    }
}
