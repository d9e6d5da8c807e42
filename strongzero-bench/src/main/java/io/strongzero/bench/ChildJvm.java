package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strongzero.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started with this JVM's classpath and driven over stdin/stdout (see {@link ChildLoop}).
 * Its stderr (the library's logs) goes to a log file whose tail is quoted when a command fails.
 */
final class ChildJvm implements AutoCloseable {

    private static final String EOF = "\u0000eof";

    private final String name;
    private final Process process;
    private final BufferedWriter stdin;
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Path log;
    private final List<String> jvmArgs;

    private ChildJvm(String name, Process process, Path log, List<String> jvmArgs) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.jvmArgs = jvmArgs;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(this::readStdout, "strongzero-bench-child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} in a new JVM with {@code jvmArgs} and {@code args}, and waits for its
     * "ready" line.
     */
    static ChildJvm start(String name, Class<?> main, List<String> jvmArgs, List<String> args, Path logDir)
            throws IOException {
        List<String> options = new ArrayList<>(jvmArgs);
        options.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.showDateTime=true"));
        List<String> cmd = JavaProcess.command(options, main, args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Files.deleteIfExists(log);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ChildJvm child = new ChildJvm(name, p, log, List.copyOf(jvmArgs));
        JsonNode ready = child.await(Duration.ofSeconds(60), "startup");
        if (!ready.path("ready").asBoolean()) {
            child.close();
            throw new IllegalStateException(name + ": unexpected first line " + ready);
        }
        return child;
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(ChildLoop.REPLY_PREFIX)) {
                    replies.add(line.substring(ChildLoop.REPLY_PREFIX.length()));
                } else {
                    System.err.println("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            replies.add(EOF);
        }
    }

    String name() {
        return name;
    }

    List<String> jvmArgs() {
        return jvmArgs;
    }

    /** Sends a command and returns its reply; fails with the log's tail if the child failed or died. */
    JsonNode call(ObjectNode command, Duration timeout) {
        String cmd = command.path("cmd").asText();
        try {
            stdin.write(Json.line(command));
            stdin.newLine();
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot send " + cmd + " (exited with " + exitCode() + ")\n"
                    + logTail(), e);
        }
        JsonNode reply = await(timeout, cmd);
        if (!reply.path("ok").asBoolean()) {
            throw new IllegalStateException(name + ": " + cmd + " failed: " + reply.path("error").asText() + "\n" + logTail());
        }
        return reply;
    }

    JsonNode call(String cmd, Duration timeout) {
        return call(Json.object().put("cmd", cmd), timeout);
    }

    private JsonNode await(Duration timeout, String what) {
        String line;
        try {
            line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted waiting for " + what, e);
        }
        if (line == null) {
            throw new IllegalStateException(name + ": no reply to " + what + " within " + timeout.toSeconds() + " s\n" + logTail());
        }
        if (line.equals(EOF)) {
            replies.add(EOF);
            throw new IllegalStateException(name + ": exited with " + exitCode() + " during " + what
                    + ("3".equals(exitCode()) ? " (OutOfMemoryError: -XX:+ExitOnOutOfMemoryError)" : "") + "\n" + logTail());
        }
        return Json.parse(line);
    }

    /** CPU time the child has used so far (user + system, from the OS). */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private String exitCode() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown)";
        }
    }

    /** True if the log shows an OutOfMemoryError. */
    boolean logMentionsOutOfMemory() {
        try {
            return Files.exists(log) && Files.readString(log).contains("OutOfMemoryError");
        } catch (IOException e) {
            return false;
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            int from = Math.max(0, lines.size() - 40);
            return "--- last lines of " + log + " ---\n" + String.join("\n", lines.subList(from, lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the child: "stop" if it is alive, then a kill after 30 s. Returns the exit code. */
    int stop() {
        if (process.isAlive()) {
            try {
                call("stop", Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                System.err.println(name + ": stop failed: " + e.getMessage());
            }
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        JavaProcess.killAndWait(process, Duration.ofSeconds(10));
    }
}
