package io.strongzero.it.faults;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test app ({@link FaultProducerApp} or {@link FaultConsumerApp}) in a JVM of its own: the driver sends
 * it commands on stdin, waits for its {@code @} markers on stdout and kills it with SIGKILL
 * ({@link Process#destroyForcibly()}: no shutdown hooks, no clean close). Everything the app prints goes
 * to a log file (kept for failure reports) and the last lines stay in memory.
 */
final class AppProcess implements AutoCloseable {

    private static final int TAIL_LINES = 60;

    private final String name;
    private final Process process;
    private final Path log;
    private final BlockingQueue<String> markers = new LinkedBlockingQueue<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread reader;
    private final OutputStream stdin;

    private AppProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = process.getOutputStream();
        this.reader = new Thread(this::readOutput, "faults-" + name + "-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts {@code main} of {@code mainClass} with {@code args} in a JVM with {@code jvmArgs}, logging to
     * {@code logDir/<name>.log} (appended).
     */
    static AppProcess start(String name, Class<?> mainClass, List<String> jvmArgs, List<String> args, Path logDir)
            throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss512k"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Files.writeString(log, "=== start " + Instant.now() + " " + String.join(" ", args) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        return new AppProcess(name, p, log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                if (line.startsWith("@")) {
                    markers.add(line.substring(1));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Sends one command line. */
    void send(String command) {
        try {
            stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " does not take commands (dead?): " + command + "\n" + tail(), e);
        }
    }

    /**
     * Waits for the next marker that starts with {@code prefix} (others are dropped) and returns it.
     *
     * @throws AssertionError on timeout or if the process dies first, with the end of its output
     */
    String awaitMarker(String prefix, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": no @" + prefix + " within " + timeout.toMillis() + " ms; output ends:\n"
                        + tail());
            }
            String m;
            try {
                m = markers.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(name + ": interrupted while waiting for @" + prefix, e);
            }
            if (m != null && m.startsWith(prefix)) {
                return m;
            }
            if (m == null && !process.isAlive()) {
                try {
                    reader.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                m = markers.poll();
                if (m != null && m.startsWith(prefix)) {
                    return m;
                }
                throw new AssertionError(name + " exited with " + process.exitValue() + " before @" + prefix
                        + "; output ends:\n" + tail());
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits for the process to be gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + process.pid() + ") did not die within 30 s of SIGKILL");
            }
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** The last lines the process printed. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + (process.isAlive() ? "" : ", dead") + ")";
    }
}
