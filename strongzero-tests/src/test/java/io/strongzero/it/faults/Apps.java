package io.strongzero.it.faults;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the two test apps ({@link FaultProducerApp}, {@link FaultConsumerApp}) share: argument parsing,
 * the connection pool, markers on stdout for the driver and the command loop on stdin.
 *
 * <p>Protocol with the driver ({@link AppProcess}): the app prints lines starting with {@code @} as
 * markers ({@code @READY}, {@code @STOPPED}, ...) and reads one command per line from stdin. When stdin
 * ends (the driver closed it or died), the app halts at once, so no app outlives its driver.
 */
final class Apps {

    static final String PRODUCER = "faults";
    static final String TYPE = "fault.item";
    static final String CONSUMER = "faults-consumer";

    private Apps() {
    }

    /** Parses {@code --key=value} arguments. */
    static Map<String, String> args(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("arguments are --key=value, not '" + a + "'");
            }
            out.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return out;
    }

    static String require(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + key + "=...");
        }
        return v;
    }

    /** A small pool that fails fast (3 s) while the database is down, so the apps see outages as errors. */
    static HikariDataSource pool(String url, String user, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(30_000);
        return new HikariDataSource(config);
    }

    /** Prints a marker line for the driver. */
    static synchronized void marker(String text) {
        System.out.println("@" + text);
        System.out.flush();
    }

    /**
     * Reads commands from stdin on a daemon thread and hands each line to {@code handler}; halts the JVM
     * when stdin ends. A handler failure is printed and the loop goes on.
     */
    static void commandLoop(String name, Consumer<String> handler) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    try {
                        handler.accept(line.strip());
                    } catch (RuntimeException e) {
                        System.out.println(name + ": command '" + line + "' failed: " + e);
                        e.printStackTrace(System.out);
                    }
                }
            } catch (IOException e) {
                // stdin broke: same as its end
            }
            System.out.println(name + ": stdin closed, halting");
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }, "faults-" + name + "-commands");
        t.setDaemon(true);
        t.start();
    }

    /** Sleeps until the process is killed (used to hold a window open for the driver's kill -9). */
    static void holdUntilKilled() {
        try {
            Thread.sleep(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
