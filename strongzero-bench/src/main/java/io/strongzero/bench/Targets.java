package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The targets of issue 6 (set for PostgreSQL; evaluated on every database so the reports compare), as
 * "met or not, and by how much". Only what a run measured is evaluated.
 */
final class Targets {

    private Targets() {
    }

    static ObjectNode evaluate(JsonNode r) {
        ObjectNode t = Json.object();
        if (r.has("ratio_tx1")) {
            atLeast(t, "e2e_vs_raw_tx1", r.path("ratio_tx1").asDouble(), 0.8, "end-to-end >= 0.8x raw at 1 message/transaction");
        }
        if (r.has("ratio_tx100")) {
            atLeast(t, "e2e_vs_raw_tx100", r.path("ratio_tx100").asDouble(), 0.5, "end-to-end >= 0.5x raw at 100 messages/transaction");
        }
        JsonNode lat = r.path("latency_ms");
        for (String rate : new String[] {"1000_per_s", "sparse_200ms"}) {
            if (lat.has(rate)) {
                atMost(t, "latency_p99_" + rate, lat.path(rate).path("p99").asDouble(), 10, "p99 <= 10 ms at " + rate);
            }
        }
        for (String rate : new String[] {"100_per_s", "1000_per_s", "sparse_200ms"}) {
            if (lat.has(rate)) {
                atMost(t, "latency_p50_" + rate, lat.path(rate).path("p50").asDouble(), 3, "p50 <= 3 ms at " + rate);
            }
        }
        if (r.has("catchup_msgs_per_s")) {
            atLeast(t, "catchup", r.path("catchup_msgs_per_s").asDouble(), 100_000, "catch-up >= 100,000 messages/s");
        }
        JsonNode heap = r.path("peak_heap_mb");
        if (heap.has("producer")) {
            double peak = Math.max(heap.path("producer").asDouble(), heap.path("consumer").asDouble());
            boolean ok = peak <= 64 && !heap.path("out_of_memory").asBoolean();
            t.putObject("heap_64mb").put("target", "producer and consumer within -Xmx64m through catch-up, no OutOfMemoryError")
                    .put("value", peak).put("met", ok);
        }
        return t;
    }

    private static void atLeast(ObjectNode t, String key, double value, double target, String text) {
        t.putObject(key).put("target", text).put("value", value).put("met", value >= target);
    }

    private static void atMost(ObjectNode t, String key, double value, double target, String text) {
        t.putObject(key).put("target", text).put("value", value).put("met", value <= target);
    }
}
