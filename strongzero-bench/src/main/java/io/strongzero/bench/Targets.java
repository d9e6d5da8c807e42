package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The targets, per database, as "met or not, and by how much"; only what a run measured is evaluated. Throughput,
 * catch-up and heap are issue 15's (same-run raw baseline; the full profile on PostgreSQL, the quick one on MariaDB
 * and H2), latency is issue 16's (PostgreSQL and MariaDB; H2 has none). The 0.8x / 0.5x / 10 ms targets of issue 6
 * are retired. Issue 16 adds the two-instance latency target (p99 <= 10 ms, PostgreSQL and MariaDB), issue 17 the
 * parallel-apply speed-up (>= 10x at concurrency 16 against 1, every database) and its exactly-once check.
 */
final class Targets {

    /** End to end / raw at 1 and at 100 messages per transaction. */
    private record Ratios(double tx1, double tx100) {
    }

    /**
     * p99 ms with two producer instances on one journal, the consumer pulling from the one the senders do not wake
     * (PostgreSQL and MariaDB; none on H2).
     */
    static final double TWO_INSTANCES_P99_MS = 10;
    /** Parallel apply: the concurrency judged, and the speed-up against concurrency 1 it must reach. */
    static final int PARALLEL_LANES = 16;
    static final double PARALLEL_SPEEDUP = 10;

    private Targets() {
    }

    /** The two-instance p99 target on {@code db} in ms, 0 where none is set (H2). */
    static double twoInstances(String db) {
        return db.equals("h2") ? 0 : TWO_INSTANCES_P99_MS;
    }

    /** The end-to-end / raw target for {@code key} ("tx1" or "tx100") on database {@code db} (its short name). */
    static double ratio(String db, String key) {
        Ratios r = ratios(db);
        return key.equals("tx1") ? r.tx1() : r.tx100();
    }

    /** The latency targets on {@code db} as {p50 ms, p99 ms}; p50 is 0 where none is set, and both are 0 on H2. */
    static double[] latency(String db) {
        return switch (db) {
            case "h2" -> new double[] {0, 0};
            case "mariadb" -> new double[] {0, 8};
            default -> new double[] {2, 5};
        };
    }

    private static Ratios ratios(String db) {
        return switch (db) {
            case "mariadb" -> new Ratios(0.85, 0.65);
            case "h2" -> new Ratios(0.5, 0.5);
            default -> new Ratios(0.9, 0.7);
        };
    }

    static ObjectNode evaluate(JsonNode r) {
        ObjectNode t = Json.object();
        String db = r.path("db").asText("postgresql").toLowerCase(java.util.Locale.ROOT);
        Ratios ratios = ratios(db);
        if (r.has("ratio_tx1")) {
            atLeast(t, "e2e_vs_raw_tx1", r.path("ratio_tx1").asDouble(), ratios.tx1(),
                    "end-to-end >= " + ratios.tx1() + "x raw at 1 message/transaction");
        }
        if (r.has("ratio_tx100")) {
            atLeast(t, "e2e_vs_raw_tx100", r.path("ratio_tx100").asDouble(), ratios.tx100(),
                    "end-to-end >= " + ratios.tx100() + "x raw at 100 messages/transaction");
        }
        // Latency targets are judged commit -> handler, the measure ("commit to handler p99 under 5 ms"): from
        // the scheduled send time the figure also holds the sender's own transaction (its commit alone has a p99 of
        // 4.6-6.3 ms on this disk), which StrongZero does not run. The from-schedule figure is shown beside it.
        JsonNode lat = r.path("latency_ms");
        JsonNode stages = r.path("latency_breakdown_ms");
        if (!db.equals("h2")) {
            double p99 = latency(db)[1];
            for (String rate : new String[] {"100_per_s", "1000_per_s", "sparse_200ms"}) {
                JsonNode own = stages.path(rate).path("commit_to_handler");
                if (own.has("p99")) {
                    atMost(t, "latency_p99_" + rate, own.path("p99").asDouble(), p99, "commit -> handler p99 <= "
                            + (int) p99 + " ms at " + rate + fromSchedule(lat.path(rate).path("p99")));
                    if (latency(db)[0] > 0) {
                        atMost(t, "latency_p50_" + rate, own.path("p50").asDouble(), latency(db)[0], "commit -> handler"
                                + " p50 <= " + (int) latency(db)[0] + " ms at " + rate + fromSchedule(lat.path(rate).path("p50")));
                    }
                }
            }
        }
        JsonNode two = r.path("two_instances");
        JsonNode twoOwn = two.path("breakdown").path("commit_to_handler");
        if (twoOwn.has("p99") && twoInstances(db) > 0) {
            atMost(t, "two_instances_p99", twoOwn.path("p99").asDouble(), twoInstances(db), "commit -> handler p99 <= "
                    + (int) twoInstances(db) + " ms at 100_per_s with two producer instances, consumer on the instance not"
                    + " woken" + fromSchedule(two.path("p99")));
        }
        if (r.has("catchup_msgs_per_s") && db.equals("postgresql")) {
            atLeast(t, "catchup", r.path("catchup_msgs_per_s").asDouble(), 200_000, "catch-up >= 200,000 messages/s");
        }
        parallelApply(t, r.path("parallel_apply"));
        JsonNode heap = r.path("peak_heap_mb");
        if (heap.has("producer")) {
            double peak = Math.max(heap.path("producer").asDouble(), heap.path("consumer").asDouble());
            boolean ok = peak <= 64 && !heap.path("out_of_memory").asBoolean();
            t.putObject("heap_64mb").put("target", "producer and consumer within -Xmx64m through catch-up, no OutOfMemoryError")
                    .put("value", peak).put("met", ok);
        }
        return t;
    }

    /**
     * Parallel apply (issue 17, every database): the speed-up at concurrency {@value #PARALLEL_LANES} against 1, and
     * every run exactly once with each key in order.
     */
    private static void parallelApply(ObjectNode t, JsonNode pa) {
        if (pa.path("runs").size() == 0) {
            return;
        }
        boolean ok = true;
        for (JsonNode run : pa.path("runs")) {
            ok &= run.path("exactly_once_in_key_order").asBoolean();
            if (run.path("concurrency").asInt() == PARALLEL_LANES) {
                atLeast(t, "parallel_apply_speedup_" + PARALLEL_LANES, run.path("speedup").asDouble(), PARALLEL_SPEEDUP,
                        "parallel apply (handler waits " + pa.path("handler_wait_ms").asInt() + " ms): >= " + (int) PARALLEL_SPEEDUP
                                + "x at concurrency " + PARALLEL_LANES + " against 1");
            }
        }
        t.putObject("parallel_apply_exactly_once").put("target", "parallel apply: every message applied exactly once, "
                + "each key's in position order, at every concurrency").put("value", ok ? "yes" : "VIOLATED").put("met", ok);
    }

    /** " (from the scheduled send: X ms)", or nothing if the figure is missing. */
    private static String fromSchedule(JsonNode figure) {
        return figure.isNumber() ? String.format(java.util.Locale.ROOT, " (from the scheduled send: %.2f ms)",
                figure.asDouble()) : "";
    }

    private static void atLeast(ObjectNode t, String key, double value, double target, String text) {
        t.putObject(key).put("target", text).put("value", value).put("met", value >= target);
    }

    private static void atMost(ObjectNode t, String key, double value, double target, String text) {
        t.putObject(key).put("target", text).put("value", value).put("met", value <= target);
    }
}
