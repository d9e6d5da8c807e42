package io.strongzero.tck;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.testing.JavaProcess;
import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The test consumer in a JVM of its own ({@link JavaProcess}), so tests can kill it with SIGKILL. {@link #main}
 * runs the consumer of {@link Pipeline#consumerBuilder} until killed.
 */
final class ConsumerProcess {

    /** The environment variable that passes the database password to the child (not its command line). */
    private static final String PASSWORD_VARIABLE = "STRONGZERO_TCK_DB_PASSWORD";

    private ConsumerProcess() {
    }

    /**
     * Starts a consumer JVM on the test class path: args are jdbcUrl, user, consumer name, producer endpoint, handler
     * sleep ms, transaction size; the password, if the database has one, goes through the environment.
     */
    static JavaProcess start(TestDatabase.Instance db, String name, String endpoint, long slowMillis,
                             int transactionSize) throws IOException {
        Map<String, String> environment = new HashMap<>();
        environment.put(PASSWORD_VARIABLE, db.password()); // null removes an inherited one
        return JavaProcess.start("consumer-" + name, ConsumerProcess.class, environment, db.jdbcUrl(),
                db.user() == null ? "" : db.user(), name, endpoint, Long.toString(slowMillis),
                Integer.toString(transactionSize));
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
