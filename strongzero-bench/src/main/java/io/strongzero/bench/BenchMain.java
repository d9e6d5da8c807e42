package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strongzero.core.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the benchmark on one database and writes {@code <out>/<db>-<profile>.json}, {@code .md} and
 * {@code .png} (and {@code <db>-<profile>-sweep.png} when the sweep ran).
 *
 * <pre>
 * BenchMain --db h2|postgresql|mariadb [--profile tiny|quick|full] [--out bench/results]
 *           [--only throughput,latency,sweep,two_instances,catchup,fanout,parallel_apply] [--jfr DIR] [--logs DIR]
 *           [--wait-quiet SECONDS] [--experiment pg-full-pos-index]
 * </pre>
 *
 * {@code BenchMain --render <json>...} writes the summary and chart of existing result files again.
 *
 * <p>{@code --wait-quiet} waits, before each scenario, up to that long for the machine's CPU to be less than
 * 25% busy (other processes skew every figure on a small machine); the busy share is recorded either way.
 *
 * Child JVMs inherit this JVM's classpath. Exit code 0 when the run completed with no message lost (and, in
 * parallel apply, none applied twice and no key out of order), whether or not the targets were met (the report says which were).
 */
public final class BenchMain {

    static final List<String> SCENARIOS = List.of("throughput", "latency", "sweep", "two_instances", "catchup", "fanout",
            "parallel_apply");
    /**
     * Harness-side experiments that change what the library is given, not the library: {@code
     * pg-full-pos-index} pre-creates the PostgreSQL journal with {@code sz_journal_pos} as a full unique
     * index (with the NULL entries), as shipped before the partial index.
     */
    static final List<String> EXPERIMENTS = List.of("pg-full-pos-index");
    /** Keys written first in the result file, in this order. */
    private static final List<String> HEADLINE = List.of("db", "profile", "e2e_tx1_msgs_per_s", "raw_tx1_msgs_per_s",
            "ratio_tx1", "e2e_tx100_msgs_per_s", "raw_tx100_msgs_per_s", "ratio_tx100", "latency_ms", "catchup_msgs_per_s",
            "peak_heap_mb", "fanout", "parallel_apply", "lost_messages", "handler_repeats", "parallel_apply_violations", "targets", "environment", "config", "payload_bytes");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String db = null;
        String profile = "quick";
        Path out = Path.of("bench", "results");
        Path jfr = null;
        Path logs = null;
        long waitQuiet = 0;
        Set<String> experiments = new LinkedHashSet<>();
        Set<String> only = new LinkedHashSet<>(SCENARIOS);
        if (args.length >= 2 && args[0].equals("--render")) {
            for (int i = 1; i < args.length; i++) {
                render(Path.of(args[i]));
            }
            return;
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--db" -> db = value;
                case "--profile" -> profile = value;
                case "--out" -> out = Path.of(value);
                case "--jfr" -> jfr = Path.of(value);
                case "--logs" -> logs = Path.of(value);
                case "--wait-quiet" -> waitQuiet = Long.parseLong(value);
                case "--experiment" -> experiments.add(value);
                case "--only" -> only = new LinkedHashSet<>(List.of(value.split(",")));
                default -> usage("unknown argument " + a);
            }
            i++;
        }
        if (db == null) {
            usage("--db is required");
        }
        JsonNode result = run(Dialect.fromName(db), Profile.fromName(profile), out, logs, jfr, only, waitQuiet, experiments);
        System.exit(result.path("lost_messages").asLong() == 0 && result.path("parallel_apply_violations").asLong() == 0 ? 0 : 2);
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem + "\nusage: BenchMain --db h2|postgresql|mariadb [--profile tiny|quick|full] "
                + "[--out DIR] [--only " + String.join(",", SCENARIOS) + "] [--jfr DIR] [--logs DIR] [--wait-quiet SECONDS] "
                + "[--experiment " + String.join("|", EXPERIMENTS) + "]");
        System.exit(64);
    }

    /** Writes the .md summary and the .png chart of an existing result file again (after a report change). */
    static void render(Path json) throws Exception {
        JsonNode result = Json.read(json);
        String file = json.getFileName().toString();
        String base = file.substring(0, file.length() - ".json".length());
        Path dir = json.toAbsolutePath().getParent();
        writeCharts(result, dir, base);
        Files.writeString(dir.resolve(base + ".md"), Report.markdown(result, base + ".png"));
        System.out.println("bench: rendered " + dir.resolve(base + ".md") + " and .png");
    }

    /** Writes {@code <base>.png} and, if the run has a latency sweep, {@code <base>-sweep.png} into {@code dir}. */
    private static void writeCharts(JsonNode result, Path dir, String base) throws java.io.IOException {
        Charts.render(result, dir.resolve(base + ".png"));
        if (result.path("latency_sweep").path("steps").size() > 0) {
            Charts.renderSweep(result, dir.resolve(Report.sweepPng(base + ".png")));
        }
    }

    /** Runs and writes the result files; returns the result. */
    static JsonNode run(Dialect dialect, Profile profile, Path out, Path logs, Path jfr, Set<String> scenarios,
                        long waitQuietSeconds, Set<String> experiments) throws Exception {
        for (String e : experiments) {
            if (!EXPERIMENTS.contains(e)) {
                throw new IllegalArgumentException("experiment must be one of " + EXPERIMENTS + " but was '" + e + "'");
            }
        }
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("scenario must be one of " + SCENARIOS + " but was '" + s + "'");
            }
        }
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
        Path logDir = logs != null ? logs : out.resolve("logs").resolve(dialect.shortName() + "-" + profile.id());
        if (jfr != null) {
            Files.createDirectories(jfr);
        }
        System.out.println("bench: " + dialect.shortName() + ", " + profile.id() + " profile, scenarios " + scenarios
                + "; child logs in " + logDir);
        ObjectNode raw = new BenchRun(dialect, profile, logDir, jfr, runId, waitQuietSeconds, experiments).run(scenarios);
        ObjectNode result = Json.object();
        for (String key : HEADLINE) {
            if (raw.has(key)) {
                result.set(key, raw.get(key));
            }
        }
        result.setAll(raw);
        String base = dialect.shortName() + "-" + profile.id() + (experiments.isEmpty() ? "" : "+" + String.join("+", experiments));
        Json.write(out.resolve(base + ".json"), result);
        writeCharts(result, out, base);
        Files.writeString(out.resolve(base + ".md"), Report.markdown(result, base + ".png"));
        System.out.println("bench: wrote " + out.resolve(base + ".json") + ", .md and .png");
        System.out.print(Report.markdown(result, null));
        return result;
    }
}
