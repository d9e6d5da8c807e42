package io.strongzero.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the producer and consumer apps in one JVM, each on its own database (two H2 in-memory
 * databases by default), creates users from several threads, waits until the consumer has caught up
 * and compares both databases.
 *
 * <pre>
 * Options: --users N (default 5000)   --threads N (default 4)
 *          --producer-jdbc URL [--producer-user U]   --consumer-jdbc URL [--consumer-user U]
 * </pre>
 *
 * Prints {@code synced N/N messages, L lost, D duplicated} and exits non-zero unless L and D are 0.
 */
public final class UserSyncDemo {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        int users = Integer.parseInt(opts.getOrDefault("users", "5000"));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "4"));
        String producerUrl = opts.getOrDefault("producer-jdbc", "jdbc:h2:mem:producer;DB_CLOSE_DELAY=-1");
        String consumerUrl = opts.getOrDefault("consumer-jdbc", "jdbc:h2:mem:consumer;DB_CLOSE_DELAY=-1");
        Result r = run(users, threads, pool(producerUrl, opts.get("producer-user")), pool(consumerUrl, opts.get("consumer-user")));
        System.out.println(r.summary());
        System.out.println(r.figures());
        System.exit(r.lost == 0 && r.duplicated == 0 && r.synced == users ? 0 : 1);
    }

    /** Outcome of a demo run. */
    public record Result(int expected, int synced, int lost, int duplicated, double seconds, long[] latencyMicros) {
        public String summary() {
            return "synced " + synced + "/" + expected + " messages, " + lost + " lost, " + duplicated + " duplicated";
        }

        public String figures() {
            long[] l = latencyMicros.clone();
            Arrays.sort(l);
            return String.format("%.0f messages/s end to end; commit -> handler latency p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                    expected / seconds, pct(l, 50) / 1000.0, pct(l, 99) / 1000.0, l.length == 0 ? 0 : l[l.length - 1] / 1000.0);
        }

        private static long pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1)];
        }
    }

    /** Runs the demo on the given databases (closed at the end). */
    public static Result run(int users, int threads, HikariDataSource producerDb, HikariDataSource consumerDb)
            throws Exception {
        Map<Long, Long> committedAt = new ConcurrentHashMap<>();
        long[] latency = new long[users];
        AtomicLong latencyCount = new AtomicLong();
        try (producerDb; consumerDb;
             UserProducerApp producer = new UserProducerApp(producerDb, "tcp://127.0.0.1:*");
             MemberConsumerApp consumer = new MemberConsumerApp(consumerDb, producer.endpoint(), message -> {
                 Long t = committedAt.get(message.payload().id());
                 long i = latencyCount.getAndIncrement();
                 if (t != null && i < latency.length) {
                     latency[(int) i] = Math.max(0, (System.nanoTime() - t) / 1000);
                 }
             })) {
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (long id = thread + 1; id <= users; id += threads) {
                        producer.createUser(new User(id, "user " + id, "user" + id + "@example.com"));
                        committedAt.put(id, System.nanoTime());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            long deadline = System.currentTimeMillis() + 120_000;
            while (consumer.consumer().appliedCount() < users && System.currentTimeMillis() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int synced = (int) count(consumerDb, "SELECT COUNT(DISTINCT user_id) FROM members");
            int rows = (int) count(consumerDb, "SELECT COUNT(*) FROM members");
            int produced = (int) count(producerDb, "SELECT COUNT(*) FROM users");
            int lost = produced - synced;
            int duplicated = rows - synced;
            int n = (int) Math.min(latencyCount.get(), latency.length);
            return new Result(produced, synced, lost, duplicated, seconds, Arrays.copyOf(latency, n));
        }
    }

    private static long count(HikariDataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static HikariDataSource pool(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        config.setMaximumPoolSize(10);
        return new HikariDataSource(config);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: UserSyncDemo [--users N] [--threads N] [--producer-jdbc URL] "
                        + "[--producer-user U] [--consumer-jdbc URL] [--consumer-user U]; bad argument '" + args[i] + "'");
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }

    private UserSyncDemo() {
    }
}
