package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * CPU time of this JVM by component, so a profile can say which stage costs what: Java threads by
 * their (StrongZero) names from the {@link ThreadMXBean}, the JIT compiler and GC threads from
 * {@code /proc/self/task}. Threads that ended are counted only if they reported themselves through
 * {@link #addFinished(long)} (the harness's writer threads do).
 */
final class ThreadCpu {

    private static final AtomicLong FINISHED_BENCH_THREADS = new AtomicLong();

    private ThreadCpu() {
    }

    /** Called by a harness thread just before it ends, with its own CPU time. */
    static void addFinished(long nanos) {
        FINISHED_BENCH_THREADS.addAndGet(nanos);
    }

    /** Nanoseconds of CPU per category so far. */
    static ObjectNode snapshot() {
        Map<String, Long> byCategory = new TreeMap<>();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byCategory.merge(category(info.getThreadName()), cpu, Long::sum);
            }
        }
        byCategory.merge("bench_threads", FINISHED_BENCH_THREADS.get(), Long::sum);
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long nanos = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
                    String cat = comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? "jit"
                            : comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread") ? "gc_and_vm"
                            : null;
                    if (cat != null) {
                        byCategory.merge(cat, nanos, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            // not Linux: no JIT/GC figures
        }
        ObjectNode n = Json.object();
        byCategory.forEach(n::put);
        return n;
    }

    private static String category(String thread) {
        if (thread.startsWith("strongzero-pump-")) {
            return "pump";
        }
        if (thread.startsWith("strongzero-producer-")) {
            return thread.contains("-reader") ? "producer_readers" : "producer_frontend";
        }
        if (thread.startsWith("strongzero-consumer-")) {
            return "consumer_threads";
        }
        if (thread.startsWith("strongzero-bench-")) {
            return "bench_threads";
        }
        if (thread.startsWith("iothread") || thread.startsWith("reaper")) {
            return "zeromq_io";
        }
        if (thread.contains("housekeeper") || thread.contains("connection adder") || thread.contains("connection closer")) {
            return "hikari";
        }
        if (thread.equals("main")) {
            return "bench_main";
        }
        return "other_java";
    }

    /** {@code after - before} per category, in microseconds per message. */
    static ObjectNode perMessageMicros(JsonNode before, JsonNode after, long messages) {
        ObjectNode n = Json.object();
        for (Map.Entry<String, JsonNode> e : after.properties()) {
            if (!e.getValue().isNumber()) {
                continue;
            }
            long delta = e.getValue().asLong() - before.path(e.getKey()).asLong(0);
            if (delta > 0) {
                n.put(e.getKey(), Json.round(delta / 1e3 / messages, 1));
            }
        }
        return n;
    }
}
