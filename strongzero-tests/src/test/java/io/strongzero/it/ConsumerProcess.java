package io.strongzero.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test consumer in a JVM of its own, so tests can kill it with SIGKILL. {@link #main} runs the
 * consumer of {@link Pipeline#consumerBuilder} until killed.
 */
public final class ConsumerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ConsumerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a consumer JVM: args are jdbcUrl, user, consumer name, producer endpoint, handler sleep ms, transaction size. */
    public static ConsumerProcess start(TestDatabase.Instance db, String name, String endpoint, long slowMillis,
                                        int transactionSize) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                ConsumerProcess.class.getName(), db.jdbcUrl(), db.user() == null ? "" : db.user(), name, endpoint,
                Long.toString(slowMillis), Integer.toString(transactionSize)));
        Path log = Files.createTempFile("strongzero-consumer-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ConsumerProcess(p, log);
    }

    /** SIGKILL: no shutdown hooks, no clean close. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("consumer process did not die");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process's output, for failure messages. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(log);
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        if (!args[1].isEmpty()) {
            config.setUsername(args[1]);
        }
        config.setMaximumPoolSize(4);
        try (HikariDataSource ds = new HikariDataSource(config);
             StrongZeroConsumer consumer = Pipeline.consumerBuilder(args[2], ds, args[3], Long.parseLong(args[4]))
                     .transactionSize(Integer.parseInt(args[5])).build()) {
            consumer.run();
        }
    }
}
