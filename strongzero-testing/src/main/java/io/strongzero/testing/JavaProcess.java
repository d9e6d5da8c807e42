package io.strongzero.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A main class in a JVM of its own, with the test's class path and its output (stdout and stderr) in a
 * temporary file, so a test can run a service as a separate process, wait for what it prints, and stop it with
 * SIGTERM or kill it with SIGKILL. {@link #close()} kills it if it still runs and deletes the output file.
 *
 * <p>Thread-safe.
 */
public final class JavaProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path output;

    private JavaProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code mainClass} with {@code args} in a JVM with a heap of 128 MB.
     *
     * @param name for messages and the output file's name
     */
    public static JavaProcess start(String name, Class<?> mainClass, String... args) throws IOException {
        return start(name, mainClass, Map.of(), args);
    }

    /**
     * Starts {@code mainClass} with {@code args}, with {@code environment} added to this JVM's environment (a
     * null value removes the variable): the place for a secret such as a password, which the command line would
     * show to every user of the machine.
     */
    public static JavaProcess start(String name, Class<?> mainClass, Map<String, String> environment, String... args)
            throws IOException {
        List<String> cmd = command(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"), mainClass, List.of(args));
        Path output = Files.createTempFile("strongzero-" + name + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        environment.forEach((key, value) -> {
            if (value == null) {
                builder.environment().remove(key);
            } else {
                builder.environment().put(key, value);
            }
        });
        return new JavaProcess(name, builder.start(), output);
    }

    /**
     * The command line that runs {@code mainClass} with {@code args} in a JVM of this JVM's installation, with
     * {@code jvmOptions} and this JVM's class path.
     */
    public static List<String> command(List<String> jvmOptions, Class<?> mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Kills {@code process} (SIGKILL) if it still runs and waits up to {@code timeout} for it to die; an interrupt
     * ends the wait and is kept.
     */
    public static void killAndWait(Process process, Duration timeout) {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until a line of output matches {@code regex}; returns its first group (or the whole match). */
    public String await(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        Await.until(timeout, name + " to print /" + regex + "/", () -> {
            Matcher m = pattern.matcher(output());
            if (m.find()) {
                found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before printing /" + regex
                        + "/; its output:\n" + output());
            }
            return false;
        }, this::output);
        return found[0];
    }

    /** SIGKILL: no shutdown hooks, no clean close, open transactions die with the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not die after SIGKILL");
        }
    }

    /** SIGTERM: the shutdown hook closes the service cleanly; waits for the exit. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not stop within 20 s after SIGTERM; output:\n" + output());
        }
    }

    /** @return true while the process runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        killAndWait(process, Duration.ofSeconds(20));
        Files.deleteIfExists(output);
    }
}
