package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;

/** The Markdown summary of one run's result. */
final class Report {

    private Report() {
    }

    static String markdown(JsonNode r, String pngName) {
        StringBuilder md = new StringBuilder();
        JsonNode env = r.path("environment");
        md.append("# StrongZero benchmark: ").append(r.path("db").asText()).append(", ").append(r.path("profile").asText())
                .append(" profile\n\n");
        md.append("- Date: ").append(env.path("date").asText()).append('\n');
        md.append("- Machine: ").append(env.path("cpus").asInt()).append(" CPUs (").append(env.path("cpu_model").asText())
                .append("), ").append(env.path("memory").asText()).append(" RAM, ").append(env.path("os").asText()).append('\n');
        md.append("- Java: ").append(env.path("java").asText()).append('\n');
        md.append("- Database: ").append(env.path("db_version").asText()).append(" (").append(env.path("db_settings").asText())
                .append(")\n");
        if (env.has("git_commit")) {
            md.append("- Commit: ").append(env.path("git_commit").asText()).append('\n');
        }
        md.append("- Payload: ").append(r.path("payload_bytes").asInt()).append(" bytes (MessagePack); lost messages: ")
                .append(r.path("lost_messages").asLong()).append("; run took ").append(r.path("duration_s").asDouble())
                .append(" s\n\n");
        if (pngName != null) {
            md.append("![charts](").append(pngName).append(")\n\n");
        }
        if (r.has("raw_tx1_msgs_per_s")) {
            md.append("## Throughput (").append(BenchRun.WRITERS).append(" writer threads)\n\n");
            md.append("| transaction shape | raw inserts, msg/s | StrongZero end to end, msg/s | ratio | target |\n");
            md.append("|---|---:|---:|---:|---:|\n");
            for (String key : new String[] {"tx1", "tx100"}) {
                if (r.has("raw_" + key + "_msgs_per_s")) {
                    md.append(String.format(Locale.ROOT, "| %s message(s) per transaction | %,.0f | %,.0f | %.2fx | %s |\n",
                            key.substring(2), r.path("raw_" + key + "_msgs_per_s").asDouble(),
                            r.path("e2e_" + key + "_msgs_per_s").asDouble(), r.path("ratio_" + key).asDouble(),
                            ">= " + Targets.ratio(r.path("db").asText(), key) + "x"));
                }
            }
            md.append("\nEnd to end: first commit to the last message applied with its offset committed by the consumer "
                    + "(separate JVM). Stages of each attempt:\n\n");
            md.append("| shape | writers, msg/s | stamped by pump, msg/s | last commit -> all stamped, ms | all stamped -> all applied, ms "
                    + "| pump passes | consumer transactions |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|\n");
            for (String key : new String[] {"tx1", "tx100"}) {
                for (JsonNode a : r.path("throughput_detail").path(key).path("attempts")) {
                    md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.1f | %.1f | %,d | %,d |\n", key,
                            a.path("writers_msgs_per_s").asDouble(), a.path("stamped_msgs_per_s").asDouble(),
                            a.path("last_commit_to_all_stamped_ms").asDouble(), a.path("all_stamped_to_all_applied_ms").asDouble(),
                            a.path("pump_passes").asInt(), a.path("consumer_commits").asInt()));
                }
            }
            md.append('\n');
        }
        JsonNode lat = r.path("latency_ms");
        if (lat.size() > 0) {
            md.append("## Latency, commit -> handler start, ms\n\n");
            md.append("Measured from each message's *scheduled* send time (coordinated omission corrected) to the start of "
                    + "its handler in the consumer JVM, with wall-clock epoch microseconds in the payload.\n\n");
            md.append("| offered load | messages | p50 | p90 | p99 | p99.9 | max | p50 / p99 from actual send |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<String, JsonNode> e : lat.properties()) {
                JsonNode s = e.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f |\n",
                        e.getKey(), s.path("count").asLong(), s.path("p50").asDouble(), s.path("p90").asDouble(),
                        s.path("p99").asDouble(), s.path("p99_9").asDouble(), s.path("max").asDouble(),
                        s.path("from_actual_send").path("p50").asDouble(), s.path("from_actual_send").path("p99").asDouble()));
            }
            md.append("\nWhere the time goes (p50 / p99 / max, ms):\n\n");
            md.append("| offered load | schedule -> commit | commit -> stamped by pump | stamped -> handler | commit -> handler |\n");
            md.append("|---|---:|---:|---:|---:|\n");
            for (Map.Entry<String, JsonNode> e : r.path("latency_breakdown_ms").properties()) {
                JsonNode b = e.getValue();
                md.append("| ").append(e.getKey());
                for (String stage : new String[] {"schedule_to_commit", "commit_to_stamped", "stamped_to_handler", "commit_to_handler"}) {
                    JsonNode s = b.path(stage);
                    if (s.isMissingNode()) {
                        md.append(" | n/a");
                        continue;
                    }
                    md.append(String.format(Locale.ROOT, " | %.2f / %.2f / %.2f", s.path("p50").asDouble(), s.path("p99").asDouble(),
                            s.path("max").asDouble()));
                }
                md.append(" |\n");
            }
            md.append('\n');
            JsonNode cold = r.path("cold_start_ms");
            if (cold.has("commit_to_handler")) {
                md.append(String.format(Locale.ROOT, "Cold start: the first message after both JVMs and the components started "
                        + "took %.2f ms from its scheduled send, %.2f ms commit -> handler (schedule -> commit %.2f, commit "
                        + "-> stamped %.2f, stamped -> handler %.2f ms).%n%n", cold.path("from_schedule").asDouble(),
                        cold.path("commit_to_handler").asDouble(), cold.path("schedule_to_commit").asDouble(),
                        cold.path("commit_to_stamped").asDouble(), cold.path("stamped_to_handler").asDouble()));
            }
        }
        sweep(md, r, pngName);
        twoInstances(md, r);
        if (r.has("catchup_msgs_per_s")) {
            JsonNode c = r.path("catchup");
            JsonNode h = r.path("peak_heap_mb");
            md.append("## Catch-up and memory\n\n");
            md.append(String.format(Locale.ROOT, "A consumer JVM started (cold) behind %,d messages drained them at **%,.0f "
                            + "messages/s** (%.2f s from the consumer's start, of which %.0f ms before the first message arrived; first "
                            + "half %,.0f msg/s, second half %,.0f msg/s). Peak heap used after GC, both "
                            + "JVMs at -Xmx64m: producer %.1f MB, consumer %.1f MB; OutOfMemoryError: %s. The consumer spent "
                            + "%,.0f ms applying (first handler call to commit, %d transactions) and %,.0f ms between "
                            + "transactions (its next pull: producer read, transfer, decoding).\n\n",
                    c.path("backlog_messages").asLong(), r.path("catchup_msgs_per_s").asDouble(), c.path("drain_s").asDouble(),
                    c.path("start_to_first_message_ms").asDouble(), c.path("first_half_msgs_per_s").asDouble(), c.path("second_half_msgs_per_s").asDouble(),
                    h.path("producer").asDouble(), h.path("consumer").asDouble(), h.path("out_of_memory").asBoolean() ? "yes" : "no",
                    c.path("consumer_apply_ms").asDouble(), c.path("consumer_commits").asInt(),
                    c.path("consumer_between_transactions_ms").asDouble()));
        }
        if (r.path("fanout").size() > 0) {
            md.append("## Fan-out (one producer, consumers in one consumer JVM, each with its own name, offset and pool)\n\n");
            md.append("| consumers | aggregate msg/s | per consumer msg/s | producer JVM CPU, cores | consumer JVM CPU, cores |\n");
            md.append("|---:|---:|---:|---:|---:|\n");
            for (JsonNode f : r.path("fanout")) {
                md.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f | %.2f |\n", f.path("consumers").asInt(),
                        f.path("aggregate_msgs_per_s").asDouble(), f.path("per_consumer_msgs_per_s").asDouble(),
                        f.path("producer_cpu_cores").asDouble(), f.path("consumer_jvm_cpu_cores").asDouble()));
            }
            md.append('\n');
        }
        parallelApply(md, r);
        if (r.path("scenario_timing").size() > 0) {
            md.append("Machine load while measuring (1/5/15-minute load averages before and after each scenario; above ")
                    .append(env.path("cpus").asInt()).append(" means other processes competed for the CPUs):\n\n");
            md.append("| scenario | seconds | other processes' CPU before | machine CPU busy during (all processes) | load before | load after |\n");
            md.append("|---|---:|---:|---:|---|---|\n");
            for (Map.Entry<String, JsonNode> e : r.path("scenario_timing").properties()) {
                JsonNode s = e.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f%% | %s | %s | %s |\n", e.getKey(), s.path("seconds").asDouble(),
                        s.path("other_cpu_busy_before").asDouble() * 100,
                        s.has("machine_cpu_busy_during") ? String.format(Locale.ROOT, "%.0f%%", s.path("machine_cpu_busy_during").asDouble() * 100) : "n/a",
                        s.path("load_average_before").asText(), s.path("load_average_after").asText()));
            }
            md.append('\n');
        }
        JsonNode t = r.path("targets");
        if (t.size() > 0) {
            md.append("## Targets\n\n| target | value | met |\n|---|---:|:---:|\n");
            for (JsonNode e : t) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s |\n", e.path("target").asText(),
                        e.path("value").asText(), e.path("met").asBoolean() ? "yes" : "**no**"));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The sweep's chart, written next to the run's chart: {@code <base>-sweep.png} for {@code <base>.png}. */
    static String sweepPng(String pngName) {
        return pngName.substring(0, pngName.length() - ".png".length()) + "-sweep.png";
    }

    private static void sweep(StringBuilder md, JsonNode r, String pngName) {
        JsonNode sw = r.path("latency_sweep");
        if (sw.path("steps").size() == 0) {
            return;
        }
        md.append("## Latency against offered rate (sweep), ms\n\n");
        md.append(String.format(Locale.ROOT, "One message per transaction, %d sender threads on scheduled slots, %s s per "
                        + "offered rate; latency from the scheduled send time to the handler start (coordinated omission corrected). "
                        + "The sweep %s. ", BenchRun.RATE_THREADS, trim(sw.path("step_seconds").asDouble()), sw.path("rule").asText()));
        if (sw.has("saturated_at_per_s")) {
            md.append(String.format(Locale.ROOT, "Saturated at %,.0f msg/s offered; the highest rate below saturation was %,.0f msg/s.\n\n",
                    sw.path("saturated_at_per_s").asDouble(), sw.path("highest_unsaturated_per_s").asDouble()));
        } else {
            md.append(String.format(Locale.ROOT, "Not saturated up to %,.0f msg/s offered (the profile's highest rate).\n\n",
                    sw.path("highest_unsaturated_per_s").asDouble()));
        }
        if (pngName != null) {
            md.append("![latency against offered rate](").append(sweepPng(pngName)).append(")\n\n");
        }
        md.append("| offered, msg/s | achieved, msg/s | messages | p50 | p90 | p99 | p99.9 | max | commit -> handler p50 / p99 | saturated |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (JsonNode s : sw.path("steps")) {
            md.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f | %s |\n",
                    s.path("offered_per_s").asDouble(), s.path("achieved_per_s").asDouble(), s.path("messages").asLong(),
                    s.path("p50").asDouble(), s.path("p90").asDouble(), s.path("p99").asDouble(), s.path("p99_9").asDouble(),
                    s.path("max").asDouble(), s.path("commit_to_handler_p50").asDouble(), s.path("commit_to_handler_p99").asDouble(),
                    s.has("saturated") ? s.path("saturated").asText() : ""));
        }
        md.append('\n');
    }

    private static void parallelApply(StringBuilder md, JsonNode r) {
        JsonNode pa = r.path("parallel_apply");
        if (pa.path("runs").size() == 0) {
            return;
        }
        md.append("## Parallel apply (per-key lanes)\n\n");
        md.append(String.format(Locale.ROOT, "A handler that waits %d ms (an outside call) and then inserts one row in its "
                        + "transaction; keys drawn at random from %,d; each run a fresh consumer (own name and effects table, pool of "
                        + "concurrency + 2) on its own backlog of the one journal, %d messages per lane transaction. Applied "
                        + "messages/s from the first measured handler call to the last row committed. Checked after each run: one row "
                        + "per message, none missing, and each key's rows in position order.%n%n", pa.path("handler_wait_ms").asInt(),
                pa.path("keys").asInt(), pa.path("transaction_size").asInt()));
        md.append("| concurrency | messages | applied msg/s | speed-up | seconds | rows | missing | duplicates | order violations | exactly once, in key order |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
        for (JsonNode run : pa.path("runs")) {
            md.append(String.format(Locale.ROOT, "| %d | %,d | %,.0f | %.2fx | %.1f | %,d | %d | %d | %d | %s |\n",
                    run.path("concurrency").asInt(), run.path("messages").asLong(), run.path("applied_msgs_per_s").asDouble(),
                    run.path("speedup").asDouble(), run.path("seconds").asDouble(), run.path("rows").asLong(),
                    run.path("missing").asLong(), run.path("duplicates").asLong() + run.path("out_of_range").asLong(),
                    run.path("order_violations").asLong(), run.path("exactly_once_in_key_order").asBoolean() ? "yes" : "**NO**"));
        }
        for (JsonNode run : pa.path("runs")) {
            if (run.has("order_violation_examples")) {
                md.append("\nConcurrency ").append(run.path("concurrency").asInt()).append(", keys out of order: ")
                        .append(run.path("order_violation_examples").asText()).append('\n');
            }
        }
        md.append('\n');
    }

    private static void twoInstances(StringBuilder md, JsonNode r) {
        JsonNode two = r.path("two_instances");
        if (!two.has("p99")) {
            return;
        }
        md.append("## Two producer instances on one journal, ms\n\n");
        md.append(String.format(Locale.ROOT, "Two producers (each with its own pump and endpoint) in the producer JVM on the "
                        + "same journal; the senders wake instance B%s. %,.0f msg/s for %,d messages, latency from the "
                        + "scheduled send time to the handler start of a consumer pulling from each instance (both in the consumer "
                        + "JVM, same phase). Rows stamped during the phase: instance A %,d, instance B %,d.\n\n",
                two.path("instances_learn_by").asText("").startsWith("pokes")
                        ? " and poke instance A (pokeEndpoints: this database has no head notifications)"
                        : " only; instance A learns of new positions from the database's head notifications",
                two.path("offered_per_s").asDouble(), two.path("messages").asLong(),
                two.path("stamped_in_phase").path("a").asLong(), two.path("stamped_in_phase").path("b").asLong()));
        md.append("| consumer pulls from | messages | p50 | p90 | p99 | p99.9 | max | commit -> handler p50 / p99 | target |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double target = Targets.twoInstances(r.path("db").asText());
        twoInstancesRow(md, two.path("instances_learn_by").asText("").startsWith("pokes") ? "instance A (poked by the senders)"
                : "instance A (not woken)", two, target > 0 ? "p99 <= " + trim(target) + " ms" : "none");
        twoInstancesRow(md, "instance B (woken)", two.path("woken_instance"), "");
        md.append('\n');
    }

    private static void twoInstancesRow(StringBuilder md, String label, JsonNode s, String target) {
        if (!s.has("p99")) {
            return;
        }
        JsonNode c2h = s.path("breakdown").path("commit_to_handler");
        md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f | %s |\n", label,
                s.path("count").asLong(), s.path("p50").asDouble(), s.path("p90").asDouble(), s.path("p99").asDouble(),
                s.path("p99_9").asDouble(), s.path("max").asDouble(), c2h.path("p50").asDouble(), c2h.path("p99").asDouble(), target));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
