package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.Message;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.Dialect;
import io.strongzero.testing.ForwardingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The consumer JVM: one or more {@link StrongZeroConsumer}s (each with its own name, so its own offset
 * row, and its own small connection pool) pulling from the producer JVM over loopback TCP. The handler
 * only records what it sees; "applied" means the consumer committed the offset of the message, which
 * the child observes by intercepting {@link Connection#commit()} on the consumer's connections.
 *
 * <p>{@code start} may be sent more than once (each time with its own endpoint and names): the consumers
 * already running are kept, so one JVM can pull from several producer instances.
 *
 * <p>{@code startApply} and {@code awaitApply} run the parallel-apply scenario's consumer, see {@link ParallelApply}.
 *
 * <p>Arguments: {@code db=<h2|postgresql|mariadb> url=<jdbc url> user=<user>}.
 */
public final class ConsumerChild {

    private final Dialect dialect;
    private final String url;
    private final String user;
    private final List<Instance> instances = new ArrayList<>();
    private final ParallelApply parallel;

    private record Instance(String name, StrongZeroConsumer consumer, HikariDataSource pool, Recorder recorder) {
    }

    private ConsumerChild(Dialect dialect, String url, String user) {
        this.dialect = dialect;
        this.url = url;
        this.user = user;
        this.parallel = new ParallelApply(dialect, url, user);
    }

    public static void main(String[] args) throws Exception {
        HeapMonitor.install();
        Map<String, String> a = ChildLoop.args(args);
        ConsumerChild child = new ConsumerChild(Dialect.fromName(a.get("db")), a.get("url"), a.get("user"));
        try {
            ChildLoop.serve(child::handle);
        } finally {
            child.stopConsumers();
        }
        System.exit(0);
    }

    private ObjectNode handle(String cmd, JsonNode args) throws Exception {
        switch (cmd) {
            case "start":
                return start(args);
            case "record":
                for (Instance i : instances) {
                    i.recorder.window = new Window(Json.longField(args, "from"), Json.longField(args, "to"));
                }
                return Json.object();
            case "await":
                return await(args);
            case "startApply":
                return parallel.start(args, ProducerChild.PRODUCER, BenchMessage.TYPE);
            case "awaitApply":
                return parallel.await(args);
            case "cpu":
                return ThreadCpu.snapshot();
            case "stopConsumers":
                stopConsumers();
                return Json.object();
            case "stats":
                ObjectNode n = HeapMonitor.stats();
                long applied = 0;
                for (Instance i : instances) {
                    applied += i.consumer.appliedCount();
                }
                return n.put("applied", applied);
            case "stop":
                stopConsumers();
                return null;
            default:
                throw new IllegalArgumentException("unknown command " + cmd);
        }
    }

    private ObjectNode start(JsonNode args) throws InterruptedException {
        long startMicros = Micros.now();
        String endpoint = args.path("endpoint").asText();
        int transactionSize = args.path("transaction_size").asInt(1000);
        int maxBatch = args.path("max_batch").asInt(1000);
        int poolSize = args.path("pool").asInt(2);
        List<Instance> added = new ArrayList<>();
        for (JsonNode nameNode : args.path("names")) {
            String name = nameNode.asText();
            HikariDataSource pool = ChildLoop.pool("bench-consumer-" + name, url, user, poolSize);
            Recorder recorder = new Recorder();
            StrongZeroConsumer consumer = StrongZeroConsumer.builder()
                    .name(name)
                    .dataSource(recorder.track(pool))
                    .dialect(dialect)
                    .createSchemaIfMissing(true)
                    .producer(ProducerChild.PRODUCER, endpoint)
                    .handler(BenchMessage.TYPE, BenchMessage.class, (message, ctx) -> recorder.onMessage(message))
                    .maxBatchMessages(maxBatch)
                    .transactionSize(transactionSize)
                    .build();
            added.add(new Instance(name, consumer, pool, recorder));
        }
        instances.addAll(added);
        for (Instance i : added) {
            i.consumer.start();
        }
        long deadline = System.currentTimeMillis() + 60_000;
        for (Instance i : added) {
            while (i.consumer.position(ProducerChild.PRODUCER) < 0) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("consumer " + i.name + " did not load its offset within 60 s: "
                            + i.consumer.lastError(ProducerChild.PRODUCER));
                }
                Thread.sleep(1);
            }
        }
        return Json.object().put("start_micros", startMicros).put("ready_micros", Micros.now());
    }

    /**
     * Waits until every consumer committed position {@code target}; reports when, and what it saw. The recording
     * window of the consumers named in {@code windows} is reported under {@code windows.<name>}; without that
     * argument, the first consumer's window (if any) is reported at the top level.
     */
    private ObjectNode await(JsonNode args) throws InterruptedException {
        long target = Json.longField(args, "target");
        long deadline = System.currentTimeMillis() + args.path("timeout_ms").asLong(600_000);
        for (Instance i : instances) {
            while (i.recorder.committedPosition < target) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("consumer " + i.name + " is at position " + i.recorder.committedPosition
                            + ", not " + target + ", after the time limit; last error: "
                            + i.consumer.lastError(ProducerChild.PRODUCER));
                }
                Thread.sleep(1);
            }
        }
        ObjectNode r = Json.object();
        long reached = 0;
        long lost = 0;
        long repeats = 0;
        ArrayNode per = r.putArray("consumers");
        for (Instance i : instances) {
            long at = i.recorder.firstCommitAtLeast(target);
            long seen = i.recorder.seen.get(0, (int) target).cardinality();
            reached = Math.max(reached, at);
            lost += target - seen;
            repeats += i.recorder.repeats;
            per.addObject().put("name", i.name).put("reached_micros", at)
                    .put("reached_half_micros", i.recorder.firstCommitAtLeast(target / 2))
                    .put("first_handler_micros", i.recorder.firstHandlerMicros).put("seen", seen)
                    .put("applied", i.consumer.appliedCount()).put("commits", i.recorder.commitCount())
                    .put("apply_ms", Json.round(i.recorder.applyMicros / 1000.0, 1))
                    .put("between_transactions_ms", Json.round(i.recorder.betweenMicros / 1000.0, 1));
        }
        r.put("reached_micros", reached).put("lost", lost).put("handler_repeats", repeats);
        if (args.has("windows")) {
            ObjectNode windows = r.putObject("windows");
            for (JsonNode name : args.path("windows")) {
                Instance i = instance(name.asText());
                Window w = i.recorder.window;
                if (w == null) {
                    throw new IllegalStateException("consumer " + i.name + " has no recording window to report");
                }
                i.recorder.window = null;
                w.report(windows.putObject(i.name));
            }
        } else {
            Window w = instances.isEmpty() ? null : instances.get(0).recorder.window;
            if (w != null) {
                instances.get(0).recorder.window = null;
                w.report(r);
            }
        }
        return r;
    }

    private Instance instance(String name) {
        for (Instance i : instances) {
            if (i.name.equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no consumer named " + name);
    }

    private void stopConsumers() {
        parallel.close();
        for (Instance i : instances) {
            i.consumer.close();
        }
        for (Instance i : instances) {
            i.pool.close();
        }
        instances.clear();
    }

    /** The messages with seq in [from, to) whose latency is recorded. */
    static final class Window {
        final long from;
        final long to;
        final BitSet got;
        final long[] intended;
        final long[] sent;
        final long[] handled;
        final long[] position;

        Window(long from, long to) {
            this.from = from;
            this.to = to;
            int n = (int) (to - from);
            got = new BitSet(n);
            intended = new long[n];
            sent = new long[n];
            handled = new long[n];
            position = new long[n];
        }

        void report(ObjectNode r) {
            int n = (int) (to - from);
            long[] latency = new long[n];
            long[] fromSend = new long[n];
            int k = 0;
            for (int i = got.nextSetBit(0); i >= 0; i = got.nextSetBit(i + 1)) {
                latency[k] = handled[i] - intended[i];
                fromSend[k] = handled[i] - sent[i];
                k++;
            }
            r.put("window_missing", n - k);
            r.set("latency", Latencies.ofMicros(latency, k).summaryMillis(true));
            r.set("latency_from_send", Latencies.ofMicros(fromSend, k).summaryMillis(false));
            ArrayNode pos = r.putArray("positions");
            ArrayNode han = r.putArray("handler_micros");
            ArrayNode itd = r.putArray("intended_micros");
            for (int i = 0; i < n; i++) {
                pos.add(got.get(i) ? position[i] : -1);
                han.add(got.get(i) ? handled[i] : -1);
                itd.add(got.get(i) ? intended[i] : -1);
            }
        }
    }

    /**
     * What one consumer saw. The handler and the commits run on the consumer's producer thread; the
     * parent's {@code await} reads after observing {@link #committedPosition} (volatile).
     */
    static final class Recorder {
        final BitSet seen = new BitSet();
        long repeats;
        volatile Window window;
        volatile long committedPosition;
        private long txPosition;
        private boolean inTransaction;
        private long transactionStartMicros;
        private long lastCommitMicros;
        private volatile long firstHandlerMicros;
        /** Sum of first handler call to commit, over all transactions: the consumer's apply time. */
        private long applyMicros;
        /** Sum of commit to the next transaction's first handler call: pull, producer read, transfer, decode. */
        private long betweenMicros;
        private long[] commitPositions = new long[1024];
        private long[] commitMicros = new long[1024];
        private int commits;

        void onMessage(Message<BenchMessage> message) {
            long now = Micros.now();
            if (firstHandlerMicros == 0) {
                firstHandlerMicros = now;
            }
            if (!inTransaction) {
                inTransaction = true;
                transactionStartMicros = now;
                if (lastCommitMicros > 0) {
                    betweenMicros += now - lastCommitMicros;
                }
            }
            BenchMessage m = message.payload();
            int s = (int) m.seq();
            if (seen.get(s)) {
                repeats++;
            } else {
                seen.set(s);
            }
            txPosition = message.position();
            Window w = window;
            if (w != null && m.seq() >= w.from && m.seq() < w.to) {
                int i = (int) (m.seq() - w.from);
                if (!w.got.get(i)) {
                    w.got.set(i);
                    w.intended[i] = m.intendedMicros();
                    w.sent[i] = m.sendMicros();
                    w.handled[i] = now;
                    w.position[i] = message.position();
                }
            }
        }

        private void onCommit() {
            long now = Micros.now();
            if (inTransaction) {
                applyMicros += now - transactionStartMicros;
                inTransaction = false;
            }
            lastCommitMicros = now;
            long p = txPosition;
            if (p <= committedPosition) {
                return;
            }
            synchronized (this) {
                if (commits == commitPositions.length) {
                    commitPositions = Arrays.copyOf(commitPositions, commits * 2);
                    commitMicros = Arrays.copyOf(commitMicros, commits * 2);
                }
                commitPositions[commits] = p;
                commitMicros[commits] = now;
                commits++;
            }
            committedPosition = p;
        }

        private void onRollback() {
            inTransaction = false;
            txPosition = committedPosition;
        }

        synchronized long firstCommitAtLeast(long target) {
            int lo = 0;
            int hi = commits - 1;
            long found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (commitPositions[mid] >= target) {
                    found = commitMicros[mid];
                    hi = mid - 1;
                } else {
                    lo = mid + 1;
                }
            }
            return found;
        }

        synchronized int commitCount() {
            return commits;
        }

        /** A data source whose connections report their commits and rollbacks to this recorder. */
        DataSource track(DataSource delegate) {
            return new TrackingDataSource(delegate, this);
        }

        Connection wrap(Connection c) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        String name = method.getName();
                        if (name.equals("commit") && method.getParameterCount() == 0) {
                            onCommit();
                        } else if (name.equals("rollback") && method.getParameterCount() == 0) {
                            onRollback();
                        }
                        return result;
                    });
        }
    }

    /** Delegates to a pool and wraps its connections with the recorder's commit tracking. */
    private static final class TrackingDataSource extends ForwardingDataSource {
        private final Recorder recorder;

        TrackingDataSource(DataSource delegate, Recorder recorder) {
            super(delegate);
            this.recorder = recorder;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return recorder.wrap(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return recorder.wrap(super.getConnection(username, password));
        }
    }
}
