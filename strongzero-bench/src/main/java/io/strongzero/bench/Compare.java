package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A Markdown table comparing result files side by side, one column per run, for
 * {@code docs/benchmarks.md}.
 *
 * <pre>
 * Compare bench/results/h2-quick.json bench/results/postgresql-quick.json bench/results/mariadb-quick.json
 * </pre>
 */
public final class Compare {

    private Compare() {
    }

    public static void main(String[] args) throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String a : args) {
            runs.add(Json.read(Path.of(a)));
            String file = Path.of(a).getFileName().toString();
            names.add(file.substring(0, file.length() - ".json".length()));
        }
        String md = table(names, runs);
        System.out.print(md);
        String out = System.getProperty("compare.out");
        if (out != null) {
            Files.writeString(Path.of(out), md);
        }
    }

    static String table(List<String> names, List<JsonNode> runs) {
        StringBuilder md = new StringBuilder("| | ").append(String.join(" | ", names)).append(" |\n|---|");
        md.append("---:|".repeat(names.size())).append('\n');
        row(md, runs, "1 msg/tx: StrongZero / raw, msg/s (ratio; targets PostgreSQL 0.9x, MariaDB 0.85x, H2 0.5x)", r -> String.format(Locale.ROOT,
                "%,.0f / %,.0f (**%.2fx**)", r.path("e2e_tx1_msgs_per_s").asDouble(), r.path("raw_tx1_msgs_per_s").asDouble(),
                r.path("ratio_tx1").asDouble()));
        row(md, runs, "100 msg/tx: StrongZero / raw, msg/s (ratio; targets PostgreSQL 0.7x, MariaDB 0.65x, H2 0.5x)", r -> String.format(Locale.ROOT,
                "%,.0f / %,.0f (**%.2fx**)", r.path("e2e_tx100_msgs_per_s").asDouble(), r.path("raw_tx100_msgs_per_s").asDouble(),
                r.path("ratio_tx100").asDouble()));
        for (String[] rate : new String[][] {{"100_per_s", "100 msg/s"}, {"1000_per_s", "1,000 msg/s"},
            {"sparse_200ms", "1 msg / 200 ms"}}) {
            row(md, runs, "latency " + rate[1] + ": p50 / p99 / p99.9 / max, ms", r -> {
                JsonNode s = r.path("latency_ms").path(rate[0]);
                return String.format(Locale.ROOT, "%.2f / **%.2f** / %.2f / %.2f", s.path("p50").asDouble(), s.path("p99").asDouble(),
                        s.path("p99_9").asDouble(), s.path("max").asDouble());
            });
        }
        sweepRows(md, runs);
        if (runs.stream().anyMatch(r -> r.path("two_instances").has("p99"))) {
            row(md, runs, "two instances, 100 msg/s, consumer on the instance not woken: p50 / p99 / p99.9 / max, ms "
                    + "(woken instance: p50 / p99); target p99 <= 10 ms", r -> {
                JsonNode t = r.path("two_instances");
                if (!t.has("p99")) {
                    return "";
                }
                JsonNode b = t.path("woken_instance");
                return String.format(Locale.ROOT, "%.2f / **%.2f** / %.2f / %.2f (%.2f / %.2f)", t.path("p50").asDouble(),
                        t.path("p99").asDouble(), t.path("p99_9").asDouble(), t.path("max").asDouble(), b.path("p50").asDouble(),
                        b.path("p99").asDouble());
            });
        }
        row(md, runs, "catch-up, msg/s from consumer start (from first message)", r -> String.format(Locale.ROOT,
                "**%,.0f** (%,.0f)", r.path("catchup_msgs_per_s").asDouble(),
                r.path("catchup").path("first_message_to_done_msgs_per_s").asDouble()));
        row(md, runs, "peak heap after GC at -Xmx64m: producer / consumer, MB", r -> String.format(Locale.ROOT, "%.1f / %.1f%s",
                r.path("peak_heap_mb").path("producer").asDouble(), r.path("peak_heap_mb").path("consumer").asDouble(),
                r.path("peak_heap_mb").path("out_of_memory").asBoolean() ? " (OOM)" : ""));
        row(md, runs, "fan-out 1 / 4 / 16 consumers: aggregate msg/s", r -> {
            List<String> parts = new ArrayList<>();
            for (JsonNode f : r.path("fanout")) {
                parts.add(String.format(Locale.ROOT, "%,.0f", f.path("aggregate_msgs_per_s").asDouble()));
            }
            return String.join(" / ", parts);
        });
        row(md, runs, "fan-out: producer JVM CPU, cores", r -> {
            List<String> parts = new ArrayList<>();
            for (JsonNode f : r.path("fanout")) {
                parts.add(String.format(Locale.ROOT, "%.2f", f.path("producer_cpu_cores").asDouble()));
            }
            return String.join(" / ", parts);
        });
        row(md, runs, "lost messages", r -> Long.toString(r.path("lost_messages").asLong()));
        row(md, runs, "load average (1 min) before each scenario", r -> {
            List<String> parts = new ArrayList<>();
            for (JsonNode s : r.path("scenario_timing")) {
                parts.add(s.path("load_average_before").asText().split(" ")[0]);
            }
            return String.join(" / ", parts);
        });
        row(md, runs, "date (UTC)", r -> r.path("environment").path("date").asText());
        return md.toString();
    }

    /** One row per offered rate any run's sweep reached, and the rate each run saturated at. */
    private static void sweepRows(StringBuilder md, List<JsonNode> runs) {
        TreeSet<Double> rates = new TreeSet<>();
        for (JsonNode r : runs) {
            for (JsonNode s : r.path("latency_sweep").path("steps")) {
                rates.add(s.path("offered_per_s").asDouble());
            }
        }
        for (double rate : rates) {
            row(md, runs, String.format(Locale.ROOT, "sweep, %,.0f msg/s offered: achieved msg/s, p50 / p99 ms, commit -> handler "
                    + "p50 / p99 ms", rate), r -> {
                for (JsonNode s : r.path("latency_sweep").path("steps")) {
                    if (s.path("offered_per_s").asDouble() == rate) {
                        return String.format(Locale.ROOT, "%,.0f, %.2f / **%.2f**, %.2f / %.2f%s", s.path("achieved_per_s").asDouble(),
                                s.path("p50").asDouble(), s.path("p99").asDouble(), s.path("commit_to_handler_p50").asDouble(),
                                s.path("commit_to_handler_p99").asDouble(), s.has("saturated") ? " (saturated)" : "");
                    }
                }
                return "";
            });
        }
        if (!rates.isEmpty()) {
            row(md, runs, "sweep: highest offered rate below saturation, msg/s (saturated at)", r -> {
                JsonNode sw = r.path("latency_sweep");
                if (sw.path("steps").size() == 0) {
                    return "";
                }
                return String.format(Locale.ROOT, "%,.0f (%s)", sw.path("highest_unsaturated_per_s").asDouble(),
                        sw.has("saturated_at_per_s") ? String.format(Locale.ROOT, "%,.0f", sw.path("saturated_at_per_s").asDouble())
                                : "not saturated");
            });
        }
    }

    private static void row(StringBuilder md, List<JsonNode> runs, String label, Function<JsonNode, String> cell) {
        md.append("| ").append(label);
        for (JsonNode r : runs) {
            md.append(" | ").append(cell.apply(r));
        }
        md.append(" |\n");
    }
}
