package io.strongzero.tck;

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
final class ConsumerProcess implements AutoCloseable {

    /** The environment variable that passes the database password to the child (not its command line). */
    private static final String PASSWORD_VARIABLE = "STRONGZERO_TCK_DB_PASSWORD";

    private final Process process;
    private final Path log;

    private ConsumerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a consumer JVM on the test class path: args are jdbcUrl, user, consumer name, producer endpoint, handler
     * sleep ms, transaction size; the password, if the database has one, goes through the environment.
     */
    static ConsumerProcess start(TestDatabase.Instance db, String name, String endpoint, long slowMillis,
                                 int transactionSize) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                ConsumerProcess.class.getName(), db.jdbcUrl(), db.user() == null ? "" : db.user(), name, endpoint,
                Long.toString(slowMillis), Integer.toString(transactionSize)));
        Path log = Files.createTempFile("strongzero-consumer-", ".log");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (db.password() != null) {
            builder.environment().put(PASSWORD_VARIABLE, db.password());
        } else {
            builder.environment().remove(PASSWORD_VARIABLE);
        }
        Process p = builder.start();
        return new ConsumerProcess(p, log);
    }

    /** SIGKILL: no shutdown hooks, no clean close. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("consumer process did not die");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The process's output, for failure messages. */
    String output() {
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
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(4);
        try (HikariDataSource ds = new HikariDataSource(config);
             StrongZeroConsumer consumer = Pipeline.consumerBuilder(args[2], ds, args[3], Long.parseLong(args[4]))
                     .transactionSize(Integer.parseInt(args[5])).build()) {
            consumer.run();
        }
    }
}
