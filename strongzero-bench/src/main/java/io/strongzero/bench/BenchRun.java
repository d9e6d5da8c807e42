package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strongzero.core.Dialect;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One benchmark run on one database: the scenarios of issues 6 and 16, each with a fresh producer JVM and a
 * fresh consumer JVM (and fresh databases), results collected into one JSON tree.
 */
final class BenchRun {

    /** Writer threads in the throughput scenarios, for StrongZero and for the raw baseline alike. */
    static final int WRITERS = 4;
    /** Sender threads taking the scheduled slots in the latency scenarios. */
    static final int RATE_THREADS = 4;
    /** Consumer settings for every scenario: messages per pull and per consumer transaction. */
    static final int CONSUMER_MAX_BATCH = 1000;
    static final int CONSUMER_TRANSACTION_SIZE = 1000;
    /** Parallel apply: distinct message keys, and messages per lane transaction. */
    static final int PARALLEL_KEYS = 10_000;
    static final int PARALLEL_TRANSACTION_SIZE = 100;
    static final String DEFAULT_HEAP = "-Xmx256m";
    static final String CATCHUP_HEAP = "-Xmx64m";

    private final Dialect dialect;
    private final Profile profile;
    private final Path logDir;
    private final Path jfrDir;
    private final BenchDatabase db;
    private final ObjectNode root;
    private final String runId;
    private final long waitQuietSeconds;
    private final Set<String> experiments;
    private long lost;
    private long repeats;
    private long applyViolations;

    BenchRun(Dialect dialect, Profile profile, Path logDir, Path jfrDir, String runId, long waitQuietSeconds,
             Set<String> experiments) {
        this.waitQuietSeconds = waitQuietSeconds;
        this.experiments = experiments;
        this.dialect = dialect;
        this.profile = profile;
        this.logDir = logDir;
        this.jfrDir = jfrDir;
        this.runId = runId;
        this.db = new BenchDatabase(dialect, runId);
        this.root = Json.object();
    }

    /** Runs the named scenarios (any of {@link BenchMain#SCENARIOS}) and returns the result tree. */
    ObjectNode run(Set<String> scenarios) throws IOException, InterruptedException {
        root.put("db", dialect.shortName());
        root.put("profile", profile.id());
        root.set("environment", Environment.describe(db));
        ObjectNode config = root.putObject("config");
        config.put("writer_threads", WRITERS);
        config.put("rate_sender_threads", RATE_THREADS);
        config.put("consumer_max_batch_messages", CONSUMER_MAX_BATCH);
        config.put("consumer_transaction_size", CONSUMER_TRANSACTION_SIZE);
        config.put("tx1_messages", profile.tx1Messages);
        config.put("tx100_messages", profile.tx100Messages);
        config.put("catchup_messages", profile.catchupMessages);
        config.put("fanout_backlog_per_consumer", profile.fanoutBacklog);
        config.put("repeats", profile.repeats);
        config.put("sweep_step_seconds", profile.sweepStepSeconds);
        config.put("child_heap", DEFAULT_HEAP + " (" + CATCHUP_HEAP + " for catch-up)");
        if (!experiments.isEmpty()) {
            experiments.forEach(config.putArray("experiments")::add);
        }
        long started = System.nanoTime();
        ObjectNode timing = Json.object();
        try {
            for (String scenario : BenchMain.SCENARIOS) {
                if (!scenarios.contains(scenario)) {
                    continue;
                }
                double busyBefore = Environment.awaitQuiet(waitQuietSeconds);
                if (busyBefore > 0.25) {
                    log(String.format("the machine is busy (%.0f%% CPU used by other processes) as %s starts: figures will be low",
                            busyBefore * 100, scenario));
                }
                long t0 = System.nanoTime();
                long[] cpu0 = Environment.cpuTimes();
                String loadBefore = Environment.loadAverage();
                switch (scenario) {
                    case "throughput" -> throughput();
                    case "latency" -> latency();
                    case "sweep" -> sweep();
                    case "two_instances" -> twoInstances();
                    case "catchup" -> catchUp();
                    case "parallel_apply" -> parallelApply();
                    default -> fanOut();
                }
                timing.putObject(scenario).put("seconds", Json.round((System.nanoTime() - t0) / 1e9, 1))
                        .put("other_cpu_busy_before", Json.round(busyBefore, 2))
                        .put("machine_cpu_busy_during", Json.round(Environment.busyBetween(cpu0, Environment.cpuTimes()), 2))
                        .put("load_average_before", loadBefore).put("load_average_after", Environment.loadAverage());
            }
        } finally {
            db.close();
        }
        root.put("lost_messages", lost);
        root.put("handler_repeats", repeats);
        if (root.has("parallel_apply")) {
            root.put("parallel_apply_violations", applyViolations);
        }
        root.put("duration_s", Json.round((System.nanoTime() - started) / 1e9, 1));
        root.set("scenario_timing", timing);
        root.set("targets", Targets.evaluate(root));
        return root;
    }

    // ---------------------------------------------------------------------------------------------- throughput

    private void throughput() throws IOException {
        log("throughput: 1 and 100 messages per transaction, " + WRITERS + " writers, against the raw baseline");
        ObjectNode details = root.putObject("throughput_detail");
        try (Children jvms = startChildren("tput", "throughput")) {
            ChildJvm prod = jvms.prod();
            ChildJvm cons = jvms.cons();
            startConsumers(cons, jvms.endpoint(), List.of("tput"));
            long sent = 0;
            // Warm up both paths in both shapes before measuring anything: in a young JVM the JIT
            // compiler threads take a large share of two CPUs, and interpreted code is slow.
            for (int perTx : new int[] {100, 1}) {
                int warm = perTx == 1 ? profile.tx1Warmup : profile.tx100Warmup;
                prod.call(write("raw", perTx, warm), limit(warm));
                prod.call(write("write", perTx, warm), limit(warm));
                sent += warm;
                await(cons, sent, warm);
            }
            for (int perTx : new int[] {1, 100}) {
                int n = perTx == 1 ? profile.tx1Messages : profile.tx100Messages;
                List<Double> raws = new ArrayList<>();
                List<Double> e2es = new ArrayList<>();
                ArrayNode attempts = Json.MAPPER.createArrayNode();
                for (int r = 0; r < profile.repeats; r++) {
                    CpuMeter cpu = new CpuMeter(prod, cons, db);
                    JsonNode raw = prod.call(write("raw", perTx, n), limit(n));
                    ObjectNode rawCpu = cpu.perMessageMicros(n);
                    cpu = new CpuMeter(prod, cons, db);
                    double rawRate = n / seconds(raw.path("first_commit_micros").asLong(), raw.path("last_commit_micros").asLong());
                    JsonNode w = prod.call(write("write", perTx, n), limit(n));
                    sent += n;
                    JsonNode a = await(cons, sent, n);
                    JsonNode head = prod.call(Json.object().put("cmd", "awaitHead").put("target", sent), limit(n));
                    ObjectNode e2eCpu = cpu.perMessageMicros(n);
                    int pumpPasses = prod.call(Json.object().put("cmd", "headEvents")
                            .put("since_micros", w.path("start_micros").asLong()), Duration.ofSeconds(30)).path("heads").size();
                    long first = w.path("first_commit_micros").asLong();
                    long last = w.path("last_commit_micros").asLong();
                    long stamped = head.path("reached_micros").asLong();
                    long applied = a.path("reached_micros").asLong();
                    double e2eRate = n / seconds(first, applied);
                    raws.add(rawRate);
                    e2es.add(e2eRate);
                    attempts.addObject()
                            .put("raw_msgs_per_s", Json.round(rawRate, 0))
                            .put("e2e_msgs_per_s", Json.round(e2eRate, 0))
                            .put("writers_msgs_per_s", Json.round(n / seconds(first, last), 0))
                            .put("stamped_msgs_per_s", Json.round(n / seconds(first, stamped), 0))
                            .put("last_commit_to_all_stamped_ms", Json.round((stamped - last) / 1000.0, 1))
                            .put("all_stamped_to_all_applied_ms", Json.round((applied - stamped) / 1000.0, 1))
                            .put("pump_passes", pumpPasses)
                            .put("consumer_commits", a.path("consumers").path(0).path("commits").asLong())
                            .<ObjectNode>set("raw_cpu_us_per_msg", rawCpu)
                            .set("e2e_cpu_us_per_msg", e2eCpu);
                    log(String.format("  %d msg/tx: raw %.0f msg/s, end-to-end %.0f msg/s (%.2fx)", perTx, rawRate, e2eRate,
                            e2eRate / rawRate));
                }
                String key = perTx == 1 ? "tx1" : "tx100";
                double raw = median(raws);
                double e2e = median(e2es);
                root.put("e2e_" + key + "_msgs_per_s", Json.round(e2e, 0));
                root.put("raw_" + key + "_msgs_per_s", Json.round(raw, 0));
                root.put("ratio_" + key, Json.round(e2e / raw, 3));
                ObjectNode detail = details.putObject(key);
                detail.put("messages", n).put("per_tx", perTx).put("writers", WRITERS);
                detail.set("attempts", attempts);
            }
            details.set("producer_jvm", prod.call("stats", Duration.ofSeconds(30)));
            details.set("consumer_jvm", cons.call("stats", Duration.ofSeconds(30)));
            jvms.stop();
        }
    }

    // ------------------------------------------------------------------------------------------------- latency

    private void latency() throws IOException {
        log("latency: commit -> handler at fixed offered rates (scheduled send times)");
        ObjectNode latency = root.putObject("latency_ms");
        ObjectNode breakdown = root.putObject("latency_breakdown_ms");
        try (Children jvms = startChildren("lat", "latency")) {
            startConsumers(jvms.cons(), jvms.endpoint(), List.of("latency"));
            RatePhases rates = ratePhases(jvms);
            // the first message after the components started, in fresh JVMs: what a cold start costs
            RatePhases.View cold = rates.run(1.0, 1, "a", Map.of("latency", "a")).get("latency");
            ObjectNode coldStart = root.putObject("cold_start_ms");
            coldStart.put("from_schedule", cold.summary().path("max").asDouble());
            for (String stage : new String[] {"schedule_to_commit", "commit_to_stamped", "stamped_to_handler", "commit_to_handler"}) {
                coldStart.put(stage, cold.breakdown().path(stage).path("max").asDouble());
            }
            log(String.format("  first message after the start: %.2f ms from its scheduled send, %.2f ms commit -> handler",
                    coldStart.path("from_schedule").asDouble(), coldStart.path("commit_to_handler").asDouble()));
            rates.warmUp(profile.latencyWarmupSeconds, "a");
            Object[][] phases = {
                {"100_per_s", 100.0, profile.rate100Seconds},
                {"1000_per_s", 1000.0, profile.rate1000Seconds},
                {"sparse_200ms", 5.0, profile.sparseSeconds},
            };
            for (Object[] phase : phases) {
                String name = (String) phase[0];
                double perSecond = (Double) phase[1];
                long count = Math.max(3, Math.round(perSecond * (Double) phase[2]));
                RatePhases.View v = rates.run(perSecond, count, "a", Map.of("latency", "a")).get("latency");
                latency.set(name, v.summary());
                breakdown.set(name, v.breakdown());
                log(String.format("  %s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d messages)", name,
                        v.summary().path("p50").asDouble(), v.summary().path("p99").asDouble(),
                        v.summary().path("p99_9").asDouble(), v.summary().path("max").asDouble(), count));
            }
            jvms.stop();
        }
    }

    // --------------------------------------------------------------------------------------------------- sweep

    /** Latency against offered rate, one message per transaction, up the {@link Sweep} ladder until saturation. */
    private void sweep() throws IOException {
        log("sweep: latency against offered rate, " + profile.sweepStepSeconds + " s per rate; " + Sweep.RULE);
        ObjectNode sweep = root.putObject("latency_sweep");
        sweep.put("step_seconds", profile.sweepStepSeconds);
        sweep.put("rule", Sweep.RULE);
        ArrayNode steps = sweep.putArray("steps");
        try (Children jvms = startChildren("sweep", "sweep")) {
            startConsumers(jvms.cons(), jvms.endpoint(), List.of("sweep"));
            RatePhases rates = ratePhases(jvms);
            rates.warmUp(profile.latencyWarmupSeconds, "a");
            double sustained = 0;
            for (double offered : Sweep.rates(profile.sweepMaxRate)) {
                long count = Sweep.messages(offered, profile.sweepStepSeconds);
                ObjectNode step = Sweep.step(offered, rates.run(offered, count, "a", Map.of("sweep", "a")).get("sweep"));
                steps.add(step);
                log(String.format(Locale.ROOT, "  %,8.0f msg/s offered: achieved %,.0f msg/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, "
                                + "commit -> handler p50 %.2f / p99 %.2f ms%s", offered, step.path("achieved_per_s").asDouble(),
                        step.path("p50").asDouble(), step.path("p99").asDouble(), step.path("max").asDouble(),
                        step.path("commit_to_handler_p50").asDouble(), step.path("commit_to_handler_p99").asDouble(),
                        step.has("saturated") ? "; saturated: " + step.path("saturated").asText() : ""));
                if (step.has("saturated")) {
                    sweep.put("saturated_at_per_s", offered);
                    break;
                }
                sustained = offered;
            }
            sweep.put("highest_unsaturated_per_s", sustained);
            jvms.stop();
        }
    }

    // ------------------------------------------------------------------------------------------- two instances

    /**
     * Two producer instances on one journal in the producer JVM: the senders wake instance B only, consumer
     * {@code two-a} pulls from instance A (which must learn of B's stamping by itself), consumer {@code two-b} from B,
     * both in the consumer JVM, in the same phase.
     */
    private void twoInstances() throws IOException {
        double perSecond = 100;
        long count = Math.max(3, Math.round(perSecond * profile.rate100Seconds));
        log("two instances: " + (int) perSecond + " msg/s through instance B's sender; consumer two-a pulls from instance A, "
                + "two-b from B");
        try (Children jvms = startChildren("two", "two-instances")) {
            ChildJvm prod = jvms.prod();
            JsonNode b = prod.call(Json.object().put("cmd", "startInstance"), Duration.ofSeconds(60));
            startConsumers(jvms.cons(), jvms.endpoint(), List.of("two-a"));
            startConsumers(jvms.cons(), b.path("endpoint").asText(), List.of("two-b"));
            RatePhases rates = ratePhases(jvms);
            rates.warmUp(profile.latencyWarmupSeconds, "b");
            JsonNode before = prod.call("stats", Duration.ofSeconds(30));
            Map<String, String> views = new LinkedHashMap<>();
            views.put("two-a", "a");
            views.put("two-b", "b");
            Map<String, RatePhases.View> seen = rates.run(perSecond, count, "b", views);
            JsonNode after = prod.call("stats", Duration.ofSeconds(30));
            ObjectNode two = seen.get("two-a").summary().deepCopy();
            two.put("pulled_from", "instance A (not woken by the senders' in-process wake-up)");
            two.put("instances_learn_by", b.path("instances_learn_by").asText());
            two.set("breakdown", seen.get("two-a").breakdown());
            ObjectNode woken = two.putObject("woken_instance");
            woken.put("pulled_from", "instance B (woken by the senders)");
            woken.setAll(seen.get("two-b").summary());
            woken.set("breakdown", seen.get("two-b").breakdown());
            two.putObject("stamped_in_phase")
                    .put("a", after.path("stamped").asLong() - before.path("stamped").asLong())
                    .put("b", after.path("stamped_b").asLong() - before.path("stamped_b").asLong());
            root.set("two_instances", two);
            log(String.format(Locale.ROOT, "  from A: p50 %.2f ms, p99 %.2f ms, max %.2f ms; from B (woken): p50 %.2f ms, p99 %.2f ms, "
                            + "max %.2f ms (%d messages; stamped by A %d, by B %d)", two.path("p50").asDouble(),
                    two.path("p99").asDouble(), two.path("max").asDouble(), woken.path("p50").asDouble(),
                    woken.path("p99").asDouble(), woken.path("max").asDouble(), count,
                    two.path("stamped_in_phase").path("a").asLong(), two.path("stamped_in_phase").path("b").asLong()));
            jvms.stop();
        }
    }

    private RatePhases ratePhases(Children jvms) {
        return new RatePhases(jvms.prod(), jvms.cons(), (target, work, windows) -> await(jvms.cons(), target, work, windows));
    }

    // ------------------------------------------------------------------------------------------------ catch-up

    private void catchUp() throws IOException {
        int n = profile.catchupMessages;
        log("catch-up: a consumer starts behind " + n + " messages; producer and consumer JVMs at " + CATCHUP_HEAP);
        BenchDatabase.Target pt = db.create("catchup_p");
        BenchDatabase.Target ct = db.create("catchup_c");
        ObjectNode detail = root.putObject("catchup");
        ObjectNode heap = root.putObject("peak_heap_mb");
        try (ChildJvm prod = producer("catchup-producer", CATCHUP_HEAP, pt)) {
            JsonNode started = prod.call(startProducer(), Duration.ofSeconds(60));
            long fillStart = Micros.now();
            prod.call(write("write", Math.min(1000, n), n), limit(n));
            JsonNode head = prod.call(Json.object().put("cmd", "awaitHead").put("target", n), limit(n));
            detail.put("backlog_messages", n);
            detail.put("backlog_fill_s", Json.round((head.path("reached_micros").asLong() - fillStart) / 1e6, 2));
            try (ChildJvm cons = consumer("catchup-consumer", CATCHUP_HEAP, ct)) {
                JsonNode s = startConsumers(cons, started.path("endpoint").asText(), List.of("catchup"));
                JsonNode a = await(cons, n, n);
                double rate = n / seconds(s.path("start_micros").asLong(), a.path("reached_micros").asLong());
                long half = a.path("consumers").path(0).path("reached_half_micros").asLong();
                long firstHandler = a.path("consumers").path(0).path("first_handler_micros").asLong();
                detail.put("start_to_first_message_ms", Json.round((firstHandler - s.path("start_micros").asLong()) / 1000.0, 1));
                detail.put("first_message_to_done_msgs_per_s", Json.round(n / seconds(firstHandler, a.path("reached_micros").asLong()), 0));
                detail.put("second_half_msgs_per_s", Json.round((n - n / 2) / seconds(half, a.path("reached_micros").asLong()), 0));
                detail.put("first_half_msgs_per_s", Json.round((n / 2) / seconds(s.path("start_micros").asLong(), half), 0));
                root.put("catchup_msgs_per_s", Json.round(rate, 0));
                detail.put("drain_s", Json.round(seconds(s.path("start_micros").asLong(), a.path("reached_micros").asLong()), 2));
                JsonNode c0 = a.path("consumers").path(0);
                detail.put("consumer_commits", c0.path("commits").asLong());
                detail.put("consumer_apply_ms", c0.path("apply_ms").asDouble());
                detail.put("consumer_between_transactions_ms", c0.path("between_transactions_ms").asDouble());
                JsonNode ps = prod.call("stats", Duration.ofSeconds(30));
                JsonNode cs = cons.call("stats", Duration.ofSeconds(30));
                detail.set("producer_jvm", ps);
                detail.set("consumer_jvm", cs);
                int consumerExit = cons.stop();
                int producerExit = prod.stop();
                boolean oom = consumerExit == 3 || producerExit == 3 || cons.logMentionsOutOfMemory() || prod.logMentionsOutOfMemory();
                heap.put("producer", Json.round(ps.path("peak_heap_after_gc_bytes").asLong() / 1048576.0, 1));
                heap.put("consumer", Json.round(cs.path("peak_heap_after_gc_bytes").asLong() / 1048576.0, 1));
                heap.put("limit_mb", 64);
                heap.put("out_of_memory", oom);
                heap.put("measured", "peak heap used right after a GC (all heap pools), producer and consumer JVMs through the catch-up run");
                log(String.format("  %.0f msg/s; peak heap after GC: producer %.1f MB, consumer %.1f MB (limit 64 MB), OOM: %s",
                        rate, heap.path("producer").asDouble(), heap.path("consumer").asDouble(), oom));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- fan-out

    private void fanOut() throws IOException {
        int m = profile.fanoutBacklog;
        log("fan-out: " + Arrays.toString(profile.fanout) + " consumers (one consumer JVM, own names and pools) drain " + m + " messages each");
        ArrayNode fan = root.putArray("fanout");
        try (Children jvms = startChildren("fan", "fanout")) {
            ChildJvm prod = jvms.prod();
            ChildJvm cons = jvms.cons();
            prod.call(write("write", Math.min(1000, m), m), limit(m));
            prod.call(Json.object().put("cmd", "awaitHead").put("target", m), limit(m));
            // Warm the consumer JVM's and the producer's read path once, unmeasured, so that the first
            // measured fan-out does not pay for JIT compilation the later ones do not.
            startConsumers(cons, jvms.endpoint(), List.of("fanwarm"));
            await(cons, m, m);
            cons.call("stopConsumers", Duration.ofSeconds(60));
            for (int k : profile.fanout) {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    names.add("fan" + k + "-" + i);
                }
                Duration prodCpu0 = prod.cpu();
                Duration consCpu0 = cons.cpu();
                long t0 = System.nanoTime();
                JsonNode s = startConsumers(cons, jvms.endpoint(), names);
                JsonNode a = await(cons, m, (long) m * k);
                long t1 = System.nanoTime();
                double wallCpuWindow = (t1 - t0) / 1e9;
                double prodCpu = (prod.cpu().minus(prodCpu0)).toNanos() / 1e9;
                double consCpu = (cons.cpu().minus(consCpu0)).toNanos() / 1e9;
                double drain = seconds(s.path("start_micros").asLong(), a.path("reached_micros").asLong());
                double aggregate = (double) m * k / drain;
                double applyMs = 0;
                double betweenMs = 0;
                for (JsonNode c : a.path("consumers")) {
                    applyMs += c.path("apply_ms").asDouble();
                    betweenMs += c.path("between_transactions_ms").asDouble();
                }
                fan.addObject()
                        .put("consumers", k)
                        .put("aggregate_msgs_per_s", Json.round(aggregate, 0))
                        .put("per_consumer_msgs_per_s", Json.round(aggregate / k, 0))
                        .put("drain_s", Json.round(drain, 3))
                        .put("producer_cpu_s", Json.round(prodCpu, 2))
                        .put("producer_cpu_cores", Json.round(prodCpu / wallCpuWindow, 2))
                        .put("consumer_jvm_cpu_cores", Json.round(consCpu / wallCpuWindow, 2))
                        .put("consumers_apply_ms_sum", Json.round(applyMs, 1))
                        .put("consumers_between_transactions_ms_sum", Json.round(betweenMs, 1));
                log(String.format("  %2d consumers: %.0f msg/s aggregate, producer JVM %.2f cores", k, aggregate,
                        prodCpu / wallCpuWindow));
                cons.call("stopConsumers", Duration.ofSeconds(60));
            }
            jvms.stop();
        }
    }

    // ------------------------------------------------------------------------------------------ parallel apply

    /**
     * Issue 17: a handler that waits {@value ParallelApply#HANDLER_WAIT_MS} ms and writes one row, at each of the
     * profile's concurrencies, on one journal and one consumer database. Each run appends its own backlog (keys drawn
     * from {@value #PARALLEL_KEYS}), waits until the pump stamped it, and starts a fresh consumer (own name, own
     * effects table, pool of concurrency + 2) that passes over the runs before without waiting. Every run must apply
     * its messages exactly once and each key in position order: a miss counts as lost, a duplicate (or a row of
     * another run's message) and an order violation in {@code parallel_apply_violations}; either fails the run.
     */
    private void parallelApply() throws IOException {
        int[] lanes = profile.parallelConcurrency;
        log("parallel apply: handler waits " + ParallelApply.HANDLER_WAIT_MS + " ms then writes a row; concurrency "
                + Arrays.toString(lanes) + ", " + PARALLEL_KEYS + " keys, about " + profile.parallelSeconds + " s per run");
        ObjectNode pa = root.putObject("parallel_apply");
        pa.put("handler_wait_ms", ParallelApply.HANDLER_WAIT_MS).put("keys", PARALLEL_KEYS)
                .put("transaction_size", PARALLEL_TRANSACTION_SIZE).put("seconds_per_run", profile.parallelSeconds);
        ArrayNode runs = pa.putArray("runs");
        try (Children jvms = startChildren("par", "parallel")) {
            ChildJvm prod = jvms.prod();
            ChildJvm cons = jvms.cons();
            long written = 0;
            double base = 0;
            for (int n : lanes) {
                long count = ParallelApply.backlog(profile.parallelSeconds, n);
                prod.call(write("write", 100, count).put("keys", PARALLEL_KEYS), limit(count));
                prod.call(Json.object().put("cmd", "awaitHead").put("target", written + count), limit(count));
                Duration timeout = Duration.ofSeconds(Math.max(120, count / 100));
                cons.call(Json.object().put("cmd", "startApply").put("name", "par" + n).put("endpoint", jvms.endpoint())
                        .put("concurrency", n).put("table", "bench_par_" + n).put("skip_through", written).put("count", count)
                        .put("transaction_size", PARALLEL_TRANSACTION_SIZE), Duration.ofSeconds(90));
                ObjectNode a = (ObjectNode) cons.call(Json.object().put("cmd", "awaitApply").put("timeout_ms", timeout.toMillis()),
                        timeout.plusSeconds(60));
                written += count;
                double rate = a.path("applied_msgs_per_s").asDouble();
                if (base == 0) {
                    base = rate;
                }
                ObjectNode run = runs.addObject().put("concurrency", n).put("messages", count)
                        .put("applied_msgs_per_s", Json.round(rate, 0)).put("speedup", Json.round(rate / base, 2))
                        .put("seconds", Json.round(count / rate, 1));
                ParallelApply.Verdict v = ParallelApply.judge(run, a);
                lost += v.missing();
                applyViolations += v.violations();
                log(String.format(Locale.ROOT, "  concurrency %2d: %,.0f msg/s applied (%.2fx concurrency %d), %,d messages, %,d rows, "
                        + "%d keys%s", n, rate, rate / base, lanes[0], count, a.path("rows").asLong(), a.path("keys").asInt(),
                        v.summary()));
            }
            jvms.stop();
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /**
     * Creates the databases {@code database}_p and {@code database}_c, starts {@code name}-producer and
     * {@code name}-consumer on them (default heap), and then the producer.
     */
    private Children startChildren(String database, String name) throws IOException {
        BenchDatabase.Target pt = db.create(database + "_p");
        BenchDatabase.Target ct = db.create(database + "_c");
        ChildJvm prod = producer(name + "-producer", DEFAULT_HEAP, pt);
        ChildJvm cons = null;
        try {
            cons = consumer(name + "-consumer", DEFAULT_HEAP, ct);
            JsonNode started = prod.call(startProducer(), Duration.ofSeconds(60));
            if (!root.has("payload_bytes")) {
                root.put("payload_bytes", started.path("payload_bytes").asInt());
            }
            return new Children(prod, cons, started);
        } catch (IOException | RuntimeException | Error e) {
            if (cons != null) {
                cons.close();
            }
            prod.close();
            throw e;
        }
    }

    private ObjectNode startProducer() {
        ObjectNode cmd = Json.object().put("cmd", "start");
        if (experiments.contains("pg-full-pos-index")) {
            cmd.put("pg_full_pos_index", true);
        }
        return cmd;
    }

    private ChildJvm producer(String name, String heap, BenchDatabase.Target t) throws IOException {
        return ChildJvm.start(name, ProducerChild.class, jvmArgs(name, heap),
                List.of("db=" + dialect.shortName(), "url=" + t.url(), "user=" + t.user()), logDir);
    }

    private ChildJvm consumer(String name, String heap, BenchDatabase.Target t) throws IOException {
        return ChildJvm.start(name, ConsumerChild.class, jvmArgs(name, heap),
                List.of("db=" + dialect.shortName(), "url=" + t.url(), "user=" + t.user()), logDir);
    }

    private List<String> jvmArgs(String name, String heap) {
        List<String> args = new ArrayList<>(List.of(heap, "-Xms" + heap.substring(4)));
        args.addAll(profile.childJvmOptions);
        if (jfrDir != null) {
            args.add("-XX:StartFlightRecording=filename=" + jfrDir.resolve(runId + "-" + name + ".jfr").toAbsolutePath()
                    + ",settings=profile,dumponexit=true");
        }
        return args;
    }

    private JsonNode startConsumers(ChildJvm cons, String endpoint, List<String> names) {
        ObjectNode cmd = Json.object().put("cmd", "start").put("endpoint", endpoint)
                .put("transaction_size", CONSUMER_TRANSACTION_SIZE).put("max_batch", CONSUMER_MAX_BATCH).put("pool", 2);
        ArrayNode array = cmd.putArray("names");
        names.forEach(array::add);
        return cons.call(cmd, Duration.ofSeconds(90));
    }

    /** Waits for the consumer(s) to commit position {@code target}; counts lost messages. */
    private JsonNode await(ChildJvm cons, long target, long work) {
        return await(cons, target, work, null);
    }

    /**
     * Waits for the consumer(s) to commit position {@code target}, with the recording windows of the consumers named
     * in {@code windows} (if not null) reported under {@code windows.<name>}; counts lost messages.
     */
    private JsonNode await(ChildJvm cons, long target, long work, List<String> windows) {
        ObjectNode cmd = Json.object().put("cmd", "await").put("target", target).put("timeout_ms", limit(work).toMillis());
        if (windows != null) {
            windows.forEach(cmd.putArray("windows")::add);
        }
        JsonNode a = cons.call(cmd, limit(work).plusSeconds(30));
        lost += a.path("lost").asLong();
        repeats += a.path("handler_repeats").asLong();
        if (a.path("lost").asLong() > 0) {
            log("  LOST " + a.path("lost").asLong() + " messages up to position " + target);
        }
        return a;
    }

    private static ObjectNode write(String cmd, int perTx, long count) {
        return Json.object().put("cmd", cmd).put("threads", WRITERS).put("per_tx", perTx).put("count", count);
    }

    /** A generous time limit: two minutes, or the time {@code messages} take at 200 messages/s. */
    static Duration limit(long messages) {
        return Duration.ofSeconds(Math.max(120, messages / 200));
    }

    private static double seconds(long fromMicros, long toMicros) {
        return Math.max(1, toMicros - fromMicros) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void log(String line) {
        System.out.println("bench: " + line);
        System.out.flush();
    }
}
