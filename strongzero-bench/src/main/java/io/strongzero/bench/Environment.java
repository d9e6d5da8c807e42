package io.strongzero.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The machine, JVM and database a run measured, for the result file. */
final class Environment {

    private Environment() {
    }

    static ObjectNode describe(BenchDatabase db) {
        ObjectNode n = Json.object();
        n.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        n.put("cpus", Runtime.getRuntime().availableProcessors());
        n.put("cpu_model", firstValue("/proc/cpuinfo", "model name"));
        String mem = firstValue("/proc/meminfo", "MemTotal");
        if (mem.endsWith(" kB")) {
            mem = String.format("%.1f GiB", Long.parseLong(mem.substring(0, mem.length() - 3).trim()) / 1048576.0);
        }
        n.put("memory", mem);
        n.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        n.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        n.put("db_version", db.version());
        n.put("db_settings", db.settings());
        n.put("load_average_at_start", loadAverage());
        String git = System.getProperty("bench.git");
        if (git != null && !git.isBlank()) {
            n.put("git_commit", git);
        }
        return n;
    }

    /** The 1, 5 and 15 minute load averages of the machine ("unknown" off Linux). */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The share of the machine's CPU time that was busy (not idle or waiting for I/O) during
     * {@code millis}, from {@code /proc/stat}; -1 off Linux.
     */
    static double cpuBusy(long millis) throws InterruptedException {
        long[] a = cpuTimes();
        Thread.sleep(millis);
        long[] b = cpuTimes();
        if (a == null || b == null || b[0] == a[0]) {
            return -1;
        }
        return 1.0 - (double) (b[1] - a[1]) / (b[0] - a[0]);
    }

    /**
     * Waits until the machine is quiet (CPU less than 25% busy over two seconds) or {@code maxSeconds}
     * passed; returns the last busy share measured. With {@code maxSeconds <= 0} it only takes a quick
     * sample.
     */
    static double awaitQuiet(long maxSeconds) throws InterruptedException {
        if (maxSeconds <= 0) {
            return cpuBusy(250);
        }
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        double busy;
        do {
            busy = cpuBusy(2_000);
        } while (busy > 0.25 && System.nanoTime() < deadline);
        return busy;
    }

    /** The busy share of the machine's CPU between two {@link #cpuTimes()} readings; -1 if unknown. */
    static double busyBetween(long[] a, long[] b) {
        if (a == null || b == null || b[0] == a[0]) {
            return -1;
        }
        return 1.0 - (double) (b[1] - a[1]) / (b[0] - a[0]);
    }

    /** {total, idle + iowait} jiffies, or null. */
    static long[] cpuTimes() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String firstValue(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                if (line.startsWith(key)) {
                    int colon = line.indexOf(':');
                    return colon < 0 ? line : line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }
}
