package io.strongzero.it.faults;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.core.FlakeId;
import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.internal.Jdbc;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The producer test app of the fault tests, run in its own JVM by the driver: a pump and a producer
 * (ROUTER on a fixed loopback port, so a restarted instance is found at the same endpoint) and a
 * writer that keeps committing business rows ({@code fault_items}) with their messages in one
 * transaction each, rolling back some on purpose, and records in its {@link Ledger} exactly which
 * transactions committed: an outcome is written only after {@code commit()} or {@code rollback()}
 * returned.
 *
 * <p>Keys are owned by one writer thread each ({@code <instance>-<writer>-<k>}); a transaction writes 1
 * to 3 items, each with the next sequence number of its key. After a restart the writer continues
 * from the highest committed sequence per key. A commit that throws is in doubt: the writer records
 * it, then looks for the transaction's ids in the journal as soon as the database answers again
 * (present: committed, absent: rolled back) and continues from what it found.
 *
 * <p>Arguments ({@code --key=value}): {@code jdbc}, {@code user}, {@code instance}, {@code port},
 * {@code ledger}, {@code writers} (2), {@code rate} (transactions per second per writer, 40),
 * {@code rollback-percent} (10), {@code seed}, {@code clock-offset} (ms, 0), {@code producer} (the producer name,
 * {@link Apps#PRODUCER}), {@code keys-per-writer} (4), {@code keyed} (false: true sends each message with its item's
 * key as the ordering key, for the parallel-apply scenario). Commands on stdin:
 * {@code stop} (finish the writers' current transactions, print {@code @STOPPED}), {@code clock <ms>}
 * (step the senders' clock to system time + ms), {@code arm-lock} (the pump's next stamping transaction
 * stops while it holds the sequencer row lock and prints {@code @SEQUENCER-LOCKED}).
 */
public final class FaultProducerApp {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 -éü€雪";

    private final HikariDataSource pool;
    private final StrongZeroSender sender;
    private final Ledger ledger;
    private final String instance;
    private final String txPrefix;
    private final double rate;
    private final int rollbackPercent;
    private final int keysPerWriter;
    private final boolean keyed;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong txCounter = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong inDoubt = new AtomicLong();

    /** The senders' clock: system time plus an offset the driver can step at any moment. */
    static final class SteppableClock extends Clock {
        private volatile long offsetMillis;

        SteppableClock(long offsetMillis) {
            this.offsetMillis = offsetMillis;
        }

        void offset(long millis) {
            this.offsetMillis = millis;
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMillis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private FaultProducerApp(HikariDataSource pool, StrongZeroSender sender, Ledger ledger, String instance,
                             double rate, int rollbackPercent, int keysPerWriter, boolean keyed) {
        this.pool = pool;
        this.sender = sender;
        this.ledger = ledger;
        this.instance = instance;
        this.txPrefix = instance + "." + ProcessHandle.current().pid();
        this.rate = rate;
        this.rollbackPercent = rollbackPercent;
        this.keysPerWriter = keysPerWriter;
        this.keyed = keyed;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Apps.args(args);
        String instance = Apps.require(a, "instance");
        int port = Integer.parseInt(Apps.require(a, "port"));
        int writers = Integer.parseInt(a.getOrDefault("writers", "2"));
        double rate = Double.parseDouble(a.getOrDefault("rate", "40"));
        int rollbackPercent = Integer.parseInt(a.getOrDefault("rollback-percent", "10"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        SteppableClock clock = new SteppableClock(Long.parseLong(a.getOrDefault("clock-offset", "0")));
        AtomicBoolean armLock = new AtomicBoolean();

        HikariDataSource pool = Apps.pool(Apps.require(a, "jdbc"), a.get("user"), "faults-producer-" + instance,
                writers + 8);
        // The pump's connections stop, when armed, right after the sequencer row was locked: the
        // statement that follows the lock in a stamping transaction selects the unsequenced ids.
        DataSource pumpDataSource = new HookedDataSource(pool, new HookedDataSource.Hook() {
            @Override
            public void beforePrepare(String sql) {
                if (sql.contains("WHERE pos IS NULL") && sql.endsWith("LIMIT ?") && armLock.compareAndSet(true, false)) {
                    Apps.marker("SEQUENCER-LOCKED");
                    Apps.holdUntilKilled();
                }
            }
        });
        StrongZeroPump pump = StrongZeroPump.builder().name(a.getOrDefault("producer", Apps.PRODUCER)).dataSource(pumpDataSource)
                .pollInterval(Duration.ofMillis(100)).owner("faults-" + instance + ":" + ProcessHandle.current().pid())
                .clock(clock).build();
        StrongZeroProducer producer = startProducer(pump, port);
        StrongZeroSender sender = StrongZeroSender.builder().pump(pump).dataSource(pool).clock(clock)
                .idGenerator(FlakeIdGenerator.create(FlakeIdGenerator.defaultNodeId(), clock)).build();
        Ledger ledger = Ledger.append(Path.of(Apps.require(a, "ledger")));
        FaultProducerApp app = new FaultProducerApp(pool, sender, ledger, instance, rate, rollbackPercent,
                Integer.parseInt(a.getOrDefault("keys-per-writer", "4")), Boolean.parseBoolean(a.getOrDefault("keyed", "false")));

        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> app.write(writer, new Random(seed * 31 + writer)), "faults-writer-" + w);
            threads.add(t);
            t.start();
        }
        Apps.commandLoop("producer-" + instance, line -> {
            if (line.equals("stop")) {
                app.stopping.set(true);
                for (Thread t : threads) {
                    try {
                        t.join(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                Apps.marker("STOPPED committed=" + app.committed + " rolledBack=" + app.rolledBack + " aborted="
                        + app.aborted + " inDoubt=" + app.inDoubt);
            } else if (line.startsWith("clock ")) {
                clock.offset(Long.parseLong(line.substring(6).strip()));
                Apps.marker("CLOCK " + line.substring(6).strip());
            } else if (line.equals("arm-lock")) {
                armLock.set(true);
                Apps.marker("ARMED lock");
            } else {
                System.out.println("unknown command: " + line);
            }
        });
        Apps.marker("READY " + producer.endpoints().get(0) + " node=" + sender.nodeId());
        new CountDownLatch(1).await(); // until killed
    }

    /** Starts pump and producer, retrying while the database is unreachable or the port is still taken. */
    private static StrongZeroProducer startProducer(StrongZeroPump pump, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (!pump.isRunning()) {
                    pump.start();
                }
                return StrongZeroProducer.builder().pump(pump).bind("tcp://127.0.0.1:" + port)
                        .heartbeat(Duration.ofMillis(500)).build().start();
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                System.out.println("producer start failed, retrying: " + e);
                Thread.sleep(200);
            }
        }
    }

    private void write(int writer, Random rnd) {
        String[] keys = new String[keysPerWriter];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = instance + "-" + writer + "-" + k;
        }
        Map<String, Long> lastSeq = loadLastSeqs(instance + "-" + writer + "-%", keys);
        long periodNanos = (long) (1e9 / rate);
        long next = System.nanoTime();
        while (!stopping.get()) {
            long now = System.nanoTime();
            if (next - now > 0) {
                sleepNanos(next - now);
            } else if (now - next > 1_000_000_000L) {
                next = now; // after an outage, no burst to catch up
            }
            next += periodNanos;
            if (!writeOne(rnd, keys, lastSeq) && !stopping.get()) {
                lastSeq = loadLastSeqs(instance + "-" + writer + "-%", keys);
            }
        }
    }

    /** One transaction; false if the per-key sequence state must be reloaded (duplicate key). */
    private boolean writeOne(Random rnd, String[] keys, Map<String, Long> lastSeq) {
        String tx = txPrefix + "." + txCounter.incrementAndGet();
        Map<String, Long> next = new HashMap<>(lastSeq);
        List<FaultItem> items = new ArrayList<>();
        int count = 1 + rnd.nextInt(3);
        for (int i = 0; i < count; i++) {
            String key = keys[rnd.nextInt(keys.length)];
            long seq = next.merge(key, 1L, Long::sum);
            items.add(new FaultItem(key, seq, content(rnd)));
        }
        boolean rollback = rnd.nextInt(100) < rollbackPercent;
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException e) {
            sleepNanos(50_000_000L); // the database is down: nothing was started, nothing to record
            return true;
        }
        List<String> ids = new ArrayList<>();
        try {
            try {
                c.setAutoCommit(false);
                for (FaultItem item : items) {
                    String id = (keyed ? sender.send(c, Apps.TYPE, item.key(), item) : sender.send(c, Apps.TYPE, item)).toString();
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO fault_items (item_key, seq, content, msg_id) VALUES (?, ?, ?, ?)")) {
                        ps.setString(1, item.key());
                        ps.setLong(2, item.seq());
                        ps.setString(3, item.content());
                        ps.setString(4, id);
                        ps.executeUpdate();
                    }
                    ids.add(id);
                    ledger.intent(tx, id, item.key(), item.seq());
                }
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c, e);
                ledger.aborted(tx, e);
                aborted.incrementAndGet();
                return !(e instanceof SQLException s && Jdbc.isIntegrityViolation(s));
            }
            if (rollback) {
                try {
                    c.rollback();
                    ledger.rolledBack(tx);
                    rolledBack.incrementAndGet();
                } catch (SQLException e) {
                    ledger.aborted(tx, e); // a failed rollback rolls back all the same
                    aborted.incrementAndGet();
                }
                return true;
            }
            try {
                c.commit();
            } catch (SQLException | RuntimeException e) {
                ledger.inDoubt(tx, e);
                inDoubt.incrementAndGet();
                closeQuietly(c);
                c = null;
                String resolution = resolve(ids);
                ledger.resolved(tx, resolution);
                if (resolution.equals("committed")) {
                    lastSeq.putAll(next);
                }
                return !resolution.equals("partial");
            }
            ledger.committed(tx);
            committed.incrementAndGet();
            lastSeq.putAll(next);
        } finally {
            closeQuietly(c);
        }
        sender.updated();
        return true;
    }

    /** Decides an in-doubt commit by looking for its ids in the journal once the database answers. */
    private String resolve(List<String> ids) {
        return resolve(pool, ids, Duration.ofSeconds(120));
    }

    /**
     * Whether the journal of {@code pool} holds all of {@code ids} ("committed"), none ("absent") or some
     * ("partial"); "unresolved" if the database did not answer within {@code wait}.
     */
    static String resolve(DataSource pool, List<String> ids, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        while (System.nanoTime() < deadline) {
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sz_journal WHERE id IN (" + in + ")")) {
                for (int i = 0; i < ids.size(); i++) {
                    ps.setBytes(i + 1, FlakeId.parse(ids.get(i)).toBytes());   // ids are 16 bytes since journal format 2
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    int found = rs.getInt(1);
                    return found == ids.size() ? "committed" : found == 0 ? "absent" : "partial";
                }
            } catch (SQLException e) {
                sleepNanos(200_000_000L);
            }
        }
        return "unresolved";
    }

    private Map<String, Long> loadLastSeqs(String pattern, String[] keys) {
        while (true) {
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT item_key, MAX(seq) FROM fault_items WHERE item_key LIKE ? GROUP BY item_key")) {
                ps.setString(1, pattern);
                Map<String, Long> out = new HashMap<>();
                for (String k : keys) {
                    out.put(k, 0L);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return out;
            } catch (SQLException e) {
                System.out.println("writer: cannot load the last sequence numbers, retrying: " + e);
                sleepNanos(200_000_000L);
            }
        }
    }

    private static String content(Random rnd) {
        int n = 8 + rnd.nextInt(113);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            // a broken connection: the pool evicts it
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
