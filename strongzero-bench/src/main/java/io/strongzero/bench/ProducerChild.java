package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.Schema;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import io.strongzero.testing.Ports;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

/**
 * The producer JVM: a {@link StrongZeroProducer} (with its pump) bound to a loopback TCP port, the
 * writer threads that send messages through a {@link StrongZeroSender}, and the raw baseline (the same
 * rows inserted into a plain table with the same transaction shape, no StrongZero). Driven by the
 * parent over stdin/stdout, see {@link ChildLoop}.
 *
 * <p>{@code startInstance} adds a second producer instance, "b": its own {@link StrongZeroProducer}, pump and
 * endpoint on the same journal (same data source, table prefix and producer name), with its own sender, as a
 * second application instance would run. The {@code rate}, {@code awaitHead} and {@code headEvents} commands take
 * {@code "instance": "a"|"b"} (default "a", the instance {@code start} built).
 *
 * <p>Arguments: {@code db=<h2|postgresql|mariadb> url=<jdbc url> user=<user> pool=<size>}.
 */
public final class ProducerChild {

    /** The producer (journal) name consumers ask for. */
    static final String PRODUCER = "bench";

    private static final String RAW_TABLE = "bench_raw";

    private final HikariDataSource ds;
    private final Dialect dialect;
    private final PayloadCodec codec = PayloadCodec.msgpack();
    private final FlakeIdGenerator rawIds = FlakeIdGenerator.create();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong rawSeq = new AtomicLong();
    private final HeadLog heads = new HeadLog();
    private StrongZeroProducer producer;
    private StrongZeroSender sender;
    /** Instance a's poke endpoint where the database has no head notifications, else null. */
    private String pokeEndpoint;
    /** The second instance on the same journal, once {@code startInstance} built it. */
    private Instance second;

    /** A producer instance with the sender that wakes it and the log of its head announcements. */
    private record Instance(StrongZeroProducer producer, StrongZeroSender sender, HeadLog heads) {
    }

    private ProducerChild(HikariDataSource ds, Dialect dialect) {
        this.ds = ds;
        this.dialect = dialect;
    }

    public static void main(String[] args) throws Exception {
        HeapMonitor.install();
        Map<String, String> a = ChildLoop.args(args);
        try (HikariDataSource ds = ChildLoop.pool("bench-producer", a.get("url"), a.get("user"),
                Integer.parseInt(a.getOrDefault("pool", "12")))) {
            ProducerChild child = new ProducerChild(ds, Dialect.fromName(a.get("db")));
            try {
                ChildLoop.serve(child::handle);
            } finally {
                child.closeProducer();
            }
        }
        System.exit(0);
    }

    private ObjectNode handle(String cmd, JsonNode args) throws Exception {
        switch (cmd) {
            case "start":
                return start(args);
            case "startInstance":
                return startSecondInstance();
            case "raw":
                return write(args, true);
            case "write":
                return write(args, false);
            case "rate":
                return rate(args);
            case "awaitHead":
                return awaitHead(args);
            case "headEvents":
                return instance(args).heads().since(Json.longField(args, "since_micros"));
            case "stats":
                return stats();
            case "cpu":
                return ThreadCpu.snapshot();
            case "stop":
                closeProducer();
                return null;
            default:
                throw new IllegalArgumentException("unknown command " + cmd);
        }
    }

    private ObjectNode start(JsonNode args) throws SQLException {
        if (args.path("pg_full_pos_index").asBoolean() && dialect == Dialect.POSTGRESQL) {
            // Experiment, not the shipped DDL: the unique index on pos as shipped before 0.1, with its NULL
            // entries, which a cached generic plan can pick for "pos IS NULL" (docs/benchmarks.md, finding 1).
            String ddl = Schema.ddl(dialect, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX).replace(
                    "CREATE UNIQUE INDEX IF NOT EXISTS sz_journal_pos ON sz_journal (pos) WHERE pos IS NOT NULL;",
                    "CREATE UNIQUE INDEX IF NOT EXISTS sz_journal_pos ON sz_journal (pos);");
            if (ddl.contains("WHERE pos IS NOT NULL")) {
                throw new IllegalStateException("the shipped DDL changed; cannot apply the pg_full_pos_index experiment");
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (String statement : Schema.statements(ddl)) {
                    s.execute(statement);
                }
            }
        }
        PumpConfig.Builder pump = PumpConfig.builder().name(PRODUCER).dialect(dialect).createSchemaIfMissing(true);
        if (!hasHeadNotifications()) {
            // where the database has no notifications, a sender pokes every instance (docs/concepts.md): instance a
            // takes pokes, so that the two-instance scenario's senders (built for b) can wake it too
            pokeEndpoint = "tcp://127.0.0.1:" + Ports.freeLoopbackPort();
            pump.pokeEndpoint(pokeEndpoint);
        }
        producer = StrongZeroProducer.builder()
                .dataSource(ds)
                .pump(pump.build())
                .bind("tcp://127.0.0.1:*")
                .build();
        producer.pump().addListener(heads::record);
        producer.start();
        sender = StrongZeroSender.builder().producer(producer).dataSource(ds).build();
        byte[] sample = codec.encode(new BenchMessage(1_000_000, Micros.now(), Micros.now(), BenchMessage.PAD));
        return Json.object().put("endpoint", producer.endpoints().get(0)).put("payload_bytes", sample.length);
    }

    /**
     * Builds and starts instance "b": the same pump settings as instance "a" (the defaults, on the same journal)
     * except for its owner name, {@code host:pid/b}, which a second process would have of its own.
     */
    private ObjectNode startSecondInstance() {
        if (producer == null) {
            throw new IllegalStateException("start instance a first");
        }
        if (second != null) {
            throw new IllegalStateException("instance b is already running");
        }
        String owner = hostName() + ":" + ProcessHandle.current().pid() + "/b";
        StrongZeroProducer p = StrongZeroProducer.builder()
                .dataSource(ds)
                .pump(PumpConfig.builder().name(PRODUCER).dialect(dialect).owner(owner).build())
                .bind("tcp://127.0.0.1:*")
                .build();
        HeadLog log = new HeadLog();
        p.pump().addListener(log::record);
        try {
            p.start();
            StrongZeroSender.Builder b = StrongZeroSender.builder().producer(p).dataSource(ds);
            if (pokeEndpoint != null) {
                b.pokeEndpoints(pokeEndpoint);   // no notifications: the sender pokes the other instance as well
            }
            second = new Instance(p, b.build(), log);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return Json.object().put("endpoint", p.endpoints().get(0)).put("owner", owner)
                .put("instances_learn_by", pokeEndpoint != null ? "pokes (the senders poke both instances)"
                        : "head notifications (the senders wake instance b only)");
    }

    /** True if instances share their heads through the database (PostgreSQL), so no sender needs to poke them all. */
    private boolean hasHeadNotifications() {
        return dialect == Dialect.POSTGRESQL;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            return "unknown-host";
        }
    }

    /** The instance named by the command's {@code instance} argument: "a" (the default) or "b". */
    private Instance instance(JsonNode args) {
        String name = args.path("instance").asText("a");
        switch (name) {
            case "a":
                if (producer == null) {
                    throw new IllegalStateException("instance a is not started");
                }
                return new Instance(producer, sender, heads);
            case "b":
                if (second == null) {
                    throw new IllegalStateException("instance b is not started");
                }
                return second;
            default:
                throw new IllegalArgumentException("instance must be a or b but was '" + name + "'");
        }
    }

    private void closeProducer() {
        if (second != null) {
            second.sender().close();
            second.producer().close();
            second = null;
        }
        if (sender != null) {
            sender.close();
            sender = null;
        }
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    /**
     * {@code threads} writers run {@code count / perTx} transactions of {@code perTx} messages each, as
     * fast as they can: journal messages through the sender, or (raw) the same rows into a plain table. With
     * {@code keys} above 0 each journal message gets a key drawn at random from {@code k0} to {@code k<keys - 1>}.
     */
    private ObjectNode write(JsonNode args, boolean raw) throws Exception {
        int threads = args.path("threads").asInt(4);
        int perTx = args.path("per_tx").asInt(1);
        int keys = args.path("keys").asInt(0);
        long count = Json.longField(args, "count");
        if (count % perTx != 0) {
            throw new IllegalArgumentException("count " + count + " is not a multiple of per_tx " + perTx);
        }
        if (raw) {
            createRawTable();
        }
        long transactions = count / perTx;
        AtomicLong nextTx = new AtomicLong();
        LongAccumulator firstCommit = new LongAccumulator(Math::min, Long.MAX_VALUE);
        LongAccumulator lastCommit = new LongAccumulator(Math::max, Long.MIN_VALUE);
        long seqBefore = seq.get();
        long startMicros = Micros.now();
        runThreads(threads, "writer", () -> {
            while (nextTx.getAndIncrement() < transactions) {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < perTx; i++) {
                        long now = Micros.now();
                        if (raw) {
                            insertRaw(c, new BenchMessage(rawSeq.getAndIncrement(), now, now, BenchMessage.PAD));
                        } else {
                            BenchMessage m = new BenchMessage(seq.getAndIncrement(), now, now, BenchMessage.PAD);
                            if (keys > 0) {
                                sender.send(c, BenchMessage.TYPE, "k" + ThreadLocalRandom.current().nextInt(keys), m);
                            } else {
                                sender.send(c, BenchMessage.TYPE, m);
                            }
                        }
                    }
                    c.commit();
                }
                long committed = Micros.now();
                if (!raw) {
                    sender.updated();
                }
                firstCommit.accumulate(committed);
                lastCommit.accumulate(committed);
            }
            return null;
        });
        return Json.object()
                .put("count", count)
                .put("start_micros", startMicros)
                .put("first_commit_micros", firstCommit.get())
                .put("last_commit_micros", lastCommit.get())
                .put("seq_from", raw ? -1 : seqBefore)
                .put("seq_to", raw ? -1 : seq.get());
    }

    /**
     * Sends {@code count} messages at a fixed offered rate, one per transaction, from {@code threads}
     * threads that take the scheduled slots in turn, through the sender of {@code instance} (it wakes that
     * instance's pump). Each message carries its <em>scheduled</em> time, so a sender that falls behind does not
     * hide the delay (no coordinated omission).
     */
    private ObjectNode rate(JsonNode args) throws Exception {
        StrongZeroSender via = instance(args).sender();
        double perSecond = args.path("per_second").asDouble();
        long count = Json.longField(args, "count");
        int threads = args.path("threads").asInt(4);
        long intervalNanos = Math.round(1e9 / perSecond);
        long seqFrom = seq.get();
        long[] commitMicros = new long[(int) count];
        long[] behindNanos = new long[(int) count];
        AtomicLong slots = new AtomicLong();
        long nano0 = System.nanoTime();
        long micros0 = Micros.now();
        long startNanos = nano0 + 20_000_000;
        runThreads(threads, "rate", () -> {
            long i;
            while ((i = slots.getAndIncrement()) < count) {
                long intended = startNanos + i * intervalNanos;
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                behindNanos[(int) i] = System.nanoTime() - intended;
                long intendedMicros = micros0 + (intended - nano0) / 1_000;
                BenchMessage m = new BenchMessage(seqFrom + i, intendedMicros, Micros.now(), BenchMessage.PAD);
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    via.send(c, BenchMessage.TYPE, m);
                    c.commit();
                }
                commitMicros[(int) i] = Micros.now();
                via.updated();
            }
            return null;
        });
        seq.addAndGet(count);
        Arrays.sort(behindNanos);
        ObjectNode r = Json.object()
                .put("count", count)
                .put("seq_from", seqFrom)
                .put("seq_to", seqFrom + count)
                .put("sender_behind_schedule_p99_ms", Json.round(behindNanos[(int) Math.max(0, Math.ceil(count * 0.99) - 1)] / 1e6, 3))
                .put("sender_behind_schedule_max_ms", Json.round(behindNanos[(int) count - 1] / 1e6, 3));
        ArrayNode commits = r.putArray("commit_micros");
        for (long c : commitMicros) {
            commits.add(c);
        }
        return r;
    }

    private ObjectNode awaitHead(JsonNode args) throws InterruptedException {
        Instance in = instance(args);
        StrongZeroProducer p = in.producer();
        HeadLog log = in.heads();
        long target = Json.longField(args, "target");
        long deadline = System.currentTimeMillis() + args.path("timeout_ms").asLong(600_000);
        long observed = -1;
        long reached;
        // The pump announces its head to listeners once per pass, after the pass's last batch; head()
        // moves after every batch. Prefer the announcement; fall back to when head() was seen there.
        while ((reached = log.firstAtLeast(target)) < 0) {
            if (p.pump().head() >= target) {
                if (observed < 0) {
                    observed = Micros.now();
                } else if (Micros.now() - observed > 2_000_000) {
                    reached = observed;
                    break;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("pump head " + p.pump().head() + " did not reach " + target
                        + " in time; last pump error: " + p.pump().lastError());
            }
            Thread.sleep(1);
        }
        return Json.object().put("head", p.pump().head()).put("reached_micros", reached);
    }

    private ObjectNode stats() {
        ObjectNode n = HeapMonitor.stats();
        if (producer != null) {
            n.put("stamped", producer.pump().stampedCount());
            n.put("served", producer.servedCount());
            n.put("head", producer.pump().head());
        }
        if (second != null) {
            n.put("stamped_b", second.producer().pump().stampedCount());
            n.put("served_b", second.producer().servedCount());
            n.put("head_b", second.producer().pump().head());
        }
        if (dialect == Dialect.H2) {
            // H2 runs inside this JVM: its page cache is part of the heap figures.
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                         + "WHERE SETTING_NAME IN ('info.CACHE_SIZE', 'info.CACHE_MAX_SIZE')")) {
                while (rs.next()) {
                    n.put("h2_" + rs.getString(1).substring(5).toLowerCase(java.util.Locale.ROOT) + "_mb", rs.getLong(2));
                }
            } catch (SQLException e) {
                n.put("h2_cache", "unknown: " + e.getMessage());
            }
        }
        return n;
    }

    private void createRawTable() throws SQLException {
        String ddl;
        switch (dialect.shortName()) {
            case "postgresql":
                ddl = "CREATE TABLE IF NOT EXISTS " + RAW_TABLE + " (id BYTEA NOT NULL PRIMARY KEY, "
                        + "pos BIGINT, msg_type VARCHAR(255) NOT NULL, content_type VARCHAR(32) NOT NULL, "
                        + "payload BYTEA NOT NULL, produced_at BIGINT NOT NULL)";
                break;
            case "mariadb":
                ddl = "CREATE TABLE IF NOT EXISTS " + RAW_TABLE + " (id BINARY(16) NOT NULL PRIMARY KEY, "
                        + "pos BIGINT NULL, msg_type VARCHAR(255) NOT NULL, content_type VARCHAR(32) NOT NULL, "
                        + "payload LONGBLOB NOT NULL, produced_at BIGINT NOT NULL) ENGINE=InnoDB";
                break;
            default:
                ddl = "CREATE TABLE IF NOT EXISTS " + RAW_TABLE + " (id BINARY(16) NOT NULL PRIMARY KEY, pos BIGINT, "
                        + "msg_type VARCHAR(255) NOT NULL, content_type VARCHAR(32) NOT NULL, "
                        + "payload VARBINARY(1000000000) NOT NULL, produced_at BIGINT NOT NULL)";
                break;
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(ddl);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** The raw baseline's insert: what {@code StrongZeroSender.send} writes, minus StrongZero. */
    private void insertRaw(Connection c, BenchMessage m) throws SQLException {
        byte[] payload = codec.encode(m);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RAW_TABLE
                + " (id, msg_type, content_type, payload, produced_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setBytes(1, rawIds.next().toBytes());
            ps.setString(2, BenchMessage.TYPE);
            ps.setString(3, codec.contentType());
            ps.setBytes(4, payload);
            ps.setLong(5, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    /** Work for one thread; may throw. */
    interface Work {
        Void run() throws Exception;
    }

    /** Runs {@code work} on {@code threads} named threads and rethrows the first failure. */
    static void runThreads(int threads, String role, Work work) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    work.run();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    ThreadCpu.addFinished(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                }
            }, "strongzero-bench-" + role + "-" + t);
            thread.start();
            started.add(thread);
        }
        for (Thread t : started) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** When the pump announced each head advance: (head, epoch micros) pairs, in order. */
    static final class HeadLog {
        private long[] heads = new long[1024];
        private long[] micros = new long[1024];
        private int size;

        synchronized void record(long head) {
            if (size == heads.length) {
                heads = Arrays.copyOf(heads, size * 2);
                micros = Arrays.copyOf(micros, size * 2);
            }
            heads[size] = head;
            micros[size] = Micros.now();
            size++;
        }

        /** The time the head first reached {@code target}, or -1. */
        synchronized long firstAtLeast(long target) {
            for (int i = 0; i < size; i++) {
                if (heads[i] >= target) {
                    return micros[i];
                }
            }
            return -1;
        }

        synchronized ObjectNode since(long sinceMicros) {
            ObjectNode n = Json.object();
            ArrayNode h = n.putArray("heads");
            ArrayNode m = n.putArray("micros");
            for (int i = 0; i < size; i++) {
                if (micros[i] >= sinceMicros) {
                    h.add(heads[i]);
                    m.add(micros[i]);
                }
            }
            return n;
        }
    }
}
