package io.strongzero.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.core.StrongZeroException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import javax.sql.DataSource;

/**
 * Runs the producer and consumer apps in one JVM, each on its own database (two H2 in-memory
 * databases by default), and proves the sync: creates users from several threads as fast as possible,
 * then a few more one at a time at a steady rate, waits until the consumer has caught up and compares
 * both databases.
 *
 * <pre>
 * Options: --users N (default 5000, inserted as fast as possible)   --threads N (default 4)
 *          --paced N (default 200, inserted one at a time)   --rate N (default 100 per second)
 *          --producer-jdbc URL [--producer-user U]   --consumer-jdbc URL [--consumer-user U]
 *          --reset (first drop the demo's tables: users, members and StrongZero's sz_ tables)
 * </pre>
 *
 * Prints {@code synced N/N messages, L lost, D duplicated}, the throughput of the first phase, the time
 * from commit to handler during that backlog, and the commit-to-handler latency of the paced phase. Exits
 * 0 if L and D are 0, 1 if not (or on an unexpected failure), and 2 with a one-line reason if it cannot run,
 * for example because a previous run's users are still in the databases. Every thread it starts is stopped
 * on every path.
 */
public final class UserSyncDemo {

    static final String USAGE = "usage: UserSyncDemo [--users N] [--threads N] [--paced N] [--rate N] "
            + "[--producer-jdbc URL] [--producer-user U] [--consumer-jdbc URL] [--consumer-user U] [--reset]";

    private static final Set<String> OPTIONS = Set.of("--users", "--threads", "--paced", "--rate", "--producer-jdbc",
            "--producer-user", "--consumer-jdbc", "--consumer-user");

    /** Why the demo cannot run, in one line a user can act on. */
    static final class DemoException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the demo as {@link #main} does and returns the exit status instead of exiting. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Map<String, String> opts = parse(args);
            String producerUrl = opts.getOrDefault("producer-jdbc", "jdbc:h2:mem:producer;DB_CLOSE_DELAY=-1");
            String consumerUrl = opts.getOrDefault("consumer-jdbc", "jdbc:h2:mem:consumer;DB_CLOSE_DELAY=-1");
            int users = number(opts, "users", 5000);
            int threads = number(opts, "threads", 4);
            int paced = number(opts, "paced", 200);
            int rate = number(opts, "rate", 100);
            try (HikariDataSource producerDb = connect("producer", producerUrl, opts.get("producer-user"));
                 HikariDataSource consumerDb = connect("consumer", consumerUrl, opts.get("consumer-user"))) {
                if (opts.containsKey("reset")) {
                    DemoTables.reset(producerDb, consumerDb, out);
                } else {
                    DemoTables.requireEmpty(producerDb, consumerDb);
                }
                Result r = run(users, threads, paced, rate, producerDb, consumerDb);
                out.println(r.summary());
                out.println(r.throughput());
                out.println(r.backlog());
                out.println(r.latency());
                return r.ok() ? 0 : 1;
            }
        } catch (DemoException e) {
            err.println("UserSyncDemo: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("UserSyncDemo: interrupted");
            return 1;
        } catch (Exception e) {
            err.print("UserSyncDemo failed: ");
            e.printStackTrace(err);
            return 1;
        }
    }

    /** Outcome of a demo run; latencies in microseconds. */
    public record Result(int expected, int synced, int lost, int duplicated, int users, int threads, double seconds,
                         long[] backlogMicros, int paced, int rate, long[] pacedMicros) {
        public boolean ok() {
            return lost == 0 && duplicated == 0 && synced == users + paced;
        }

        public String summary() {
            return "synced " + synced + "/" + expected + " messages, " + lost + " lost, " + duplicated + " duplicated";
        }

        public String throughput() {
            return String.format("%d users inserted by %d threads as fast as possible, all applied in %.2f s "
                    + "(%.0f messages/s end to end)", users, threads, seconds, users / seconds);
        }

        public String backlog() {
            long[] l = sorted(backlogMicros);
            return String.format("time from commit to handler while %d users were inserted as fast as possible "
                    + "(a backlog, not idle latency): p50 %.2f ms, p99 %.2f ms", users, pct(l, 50), pct(l, 99));
        }

        public String latency() {
            long[] l = sorted(pacedMicros);
            return String.format("commit -> handler latency at %d users/s (%d users, one at a time): "
                    + "p50 %.2f ms, p99 %.2f ms", rate, paced, pct(l, 50), pct(l, 99));
        }

        private static long[] sorted(long[] micros) {
            long[] l = micros.clone();
            Arrays.sort(l);
            return l;
        }

        private static double pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            return sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1))] / 1000.0;
        }
    }

    /**
     * Runs the demo on the given databases, which must not hold a previous run's users (the caller closes
     * them): {@code users} ids 1.. from {@code threads} threads as fast as possible, then {@code paced} more,
     * one at a time, {@code rate} per second.
     *
     * @throws DemoException if a user id already exists in the producer database
     */
    public static Result run(int users, int threads, int paced, int rate, DataSource producerDb, DataSource consumerDb)
            throws InterruptedException, SQLException {
        Map<Long, Long> committedAt = new ConcurrentHashMap<>();
        Map<Long, Long> handledAt = new ConcurrentHashMap<>();
        try (UserProducerApp producer = new UserProducerApp(producerDb, "tcp://127.0.0.1:*");
             MemberConsumerApp consumer = new MemberConsumerApp(consumerDb, producer.endpoint(),
                     message -> handledAt.putIfAbsent(message.payload().id(), System.nanoTime()))) {
            long start = System.nanoTime();
            insertConcurrently(producer, users, threads, committedAt);
            awaitApplied(consumer, users);
            double seconds = (System.nanoTime() - start) / 1e9;
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            for (long id = users + 1; id <= users + paced; id++) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += period;
                create(producer, id);
                committedAt.put(id, System.nanoTime());
            }
            awaitApplied(consumer, users + paced);
            int synced = (int) count(consumerDb, "SELECT COUNT(DISTINCT user_id) FROM members");
            int rows = (int) count(consumerDb, "SELECT COUNT(*) FROM members");
            int produced = (int) count(producerDb, "SELECT COUNT(*) FROM users");
            return new Result(produced, synced, produced - synced, rows - synced, users, threads, seconds,
                    latencies(committedAt, handledAt, 1, users), paced, rate,
                    latencies(committedAt, handledAt, users + 1, users + paced));
        }
    }

    /** Inserts users 1..n from {@code threads} threads; the first failure stops the others and is rethrown. */
    private static void insertConcurrently(UserProducerApp producer, int n, int threads, Map<Long, Long> committedAt)
            throws InterruptedException {
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> new Thread(r, "strongzero-demo-writer-" + names.incrementAndGet()));
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(pool);
            for (int t = 0; t < threads; t++) {
                int first = t + 1;
                done.submit(() -> {
                    for (long id = first; id <= n && !Thread.currentThread().isInterrupted(); id += threads) {
                        create(producer, id);
                        committedAt.put(id, System.nanoTime());
                    }
                    return null;
                });
            }
            for (int t = 0; t < threads; t++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException cause) {
                        throw cause;
                    }
                    throw new IllegalStateException("a writer thread failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                System.err.println("UserSyncDemo: writer threads still running after 30 s");
            }
        }
    }

    private static void create(UserProducerApp producer, long id) {
        try {
            producer.createUser(new User(id, "user " + id, "user" + id + "@example.com"));
        } catch (StrongZeroException e) {
            if (e.getCause() instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                throw new DemoException("user " + id + " already exists in the producer database (a previous run?): "
                        + DemoTables.RESET_HINT);
            }
            throw e;
        }
    }

    private static void awaitApplied(MemberConsumerApp consumer, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (consumer.consumer().appliedCount() < n && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** Handler time minus commit time for ids from..to (0 if the handler ran before the commit call returned). */
    private static long[] latencies(Map<Long, Long> committedAt, Map<Long, Long> handledAt, long from, long to) {
        return LongStream.rangeClosed(from, to)
                .filter(id -> committedAt.containsKey(id) && handledAt.containsKey(id))
                .map(id -> Math.max(0, (handledAt.get(id) - committedAt.get(id)) / 1000))
                .toArray();
    }

    private static long count(DataSource db, String sql) throws SQLException {
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

    private static HikariDataSource connect(String side, String url, String user) {
        try {
            return pool(url, user);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new DemoException("cannot connect to the " + side + " database " + url + ": " + root.getMessage());
        }
    }

    private static int number(Map<String, String> opts, String name, int otherwise) {
        String value = opts.get(name);
        int n;
        try {
            n = value == null ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new DemoException("--" + name + " must be a number but was '" + value + "'; " + USAGE);
        }
        if (n < (name.equals("paced") ? 0 : 1)) {
            throw new DemoException("--" + name + " must be at least " + (name.equals("paced") ? 0 : 1)
                    + " but was " + n + "; " + USAGE);
        }
        return n;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--reset")) {
                out.put("reset", "true");
            } else if (OPTIONS.contains(args[i]) && i + 1 < args.length) {
                out.put(args[i].substring(2), args[++i]);
            } else {
                throw new DemoException("bad argument '" + args[i] + "'; " + USAGE);
            }
        }
        return out;
    }

    private UserSyncDemo() {
    }
}
