package io.strongzero.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.internal.OffsetStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.Schema;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.Protocol;
import io.strongzero.core.internal.SequencerStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Times each stage of the pipeline on its own, sequentially, in one JVM, with the library's own SQL
 * and codecs: what one stamping transaction, one producer read, one transfer and one consumer apply
 * of a 1,000-message batch cost without any contention between them. The end-to-end figures can
 * then be read against these (a stage that costs X ms per batch caps that stage at batch/X
 * messages/s). Also times a set-based stamping statement as an alternative to the JDBC batch of
 * single-row updates.
 *
 * <pre>
 * StageProbe --db h2|postgresql|mariadb [--rows 100000] [--batch 1000] [--out bench/results]
 * </pre>
 *
 * Writes {@code <out>/<db>-stages.json}. Uses internal APIs on purpose; a profiling aid, not a test.
 */
public final class StageProbe {

    private final Dialect dialect;
    private final HikariDataSource producerDb;
    private final HikariDataSource consumerDb;
    private final JournalStore sql;
    private final SequencerStore sequencer;
    private final OffsetStore offsets;
    private final PayloadCodec codec = PayloadCodec.msgpack();
    private final int batch;

    private StageProbe(Dialect dialect, HikariDataSource producerDb, HikariDataSource consumerDb, int batch) {
        this.dialect = dialect;
        this.producerDb = producerDb;
        this.consumerDb = consumerDb;
        this.sql = new JournalStore(dialect, Schema.DEFAULT_PREFIX);
        this.sequencer = new SequencerStore(dialect, Schema.DEFAULT_PREFIX);
        this.batch = batch;
        this.offsets = new OffsetStore(dialect, Schema.DEFAULT_PREFIX);
    }

    public static void main(String[] args) throws Exception {
        String db = null;
        int rows = 100_000;
        int batch = 1000;
        Path out = Path.of("bench", "results");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--db" -> db = args[i + 1];
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (db == null) {
            throw new IllegalArgumentException("usage: StageProbe --db h2|postgresql|mariadb [--rows N] [--batch N] [--out DIR]");
        }
        Dialect dialect = Dialect.fromName(db);
        ObjectNode result = Json.object();
        try (BenchDatabase databases = new BenchDatabase(dialect, "probe" + System.currentTimeMillis() % 100_000)) {
            BenchDatabase.Target p = databases.create("stages_p");
            BenchDatabase.Target c = databases.create("stages_c");
            result.put("db", dialect.shortName());
            result.set("environment", Environment.describe(databases));
            result.put("rows", rows).put("batch", batch);
            try (HikariDataSource pds = ChildLoop.pool("probe-producer", p.url(), p.user(), 2);
                 HikariDataSource cds = ChildLoop.pool("probe-consumer", c.url(), c.user(), 2)) {
                new StageProbe(dialect, pds, cds, batch).run(rows, result);
            }
        }
        Json.write(out.resolve(dialect.shortName() + "-stages.json"), result);
        System.out.println(Json.MAPPER.writeValueAsString(result));
    }

    private void run(int rows, ObjectNode result) throws Exception {
        Schema.create(producerDb, dialect, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
        Schema.create(consumerDb, dialect, Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        try (Connection c = producerDb.getConnection()) {
            sequencer.ensureRow(c, System.currentTimeMillis());
        }
        // Warm-up on a few batches so the figures are not dominated by class loading and JIT.
        fill(5 * batch);
        stampCurrent(5 * batch, null);
        List<byte[][]> warmFrames = read(0, 5 * batch, null, null);
        apply(warmFrames, "probe-warm", null, null);

        long base = 5L * batch;
        ObjectNode stages = result.putObject("per_batch_ms");
        long t0 = System.nanoTime();
        fill(rows);
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        result.put("fill_single_thread_msgs_per_s", Math.round(rows / fillSeconds));

        int half = rows / 2 / batch * batch;
        Timings stamp = new Timings("select_any", "lock_sequencer", "select_ids", "update_batch", "update_sequencer", "commit");
        stampCurrent(half, stamp);
        stages.set("stamp_current", stamp.summary(batch));
        Timings setBased = new Timings("lock_sequencer", "set_based_update", "update_sequencer", "commit");
        try {
            stampSetBased(rows - half, base + half + 1, setBased);
            stages.set("stamp_set_based", setBased.summary(batch));
        } catch (SQLException e) {
            stages.put("stamp_set_based", "not available: " + e.getMessage());
            stampCurrent(rows - half, null);
        }

        Timings readTimings = new Timings("read_sql_and_envelopes");
        Timings encodeTimings = new Timings("encode_frames");
        List<byte[][]> frames = read(base, base + rows, readTimings, encodeTimings);
        stages.set("producer_read", readTimings.summary(batch));
        stages.set("producer_encode", encodeTimings.summary(batch));
        stages.set("transfer_tcp_loopback", transfer(frames).summary(batch));
        Timings decode = new Timings("decode_frames");
        Timings applyTimings = new Timings("decode_payloads_and_handle", "offset_update", "commit");
        apply(frames, "probe", decode, applyTimings);
        stages.set("consumer_decode_frames", decode.summary(batch));
        stages.set("consumer_apply", applyTimings.summary(batch));

        double cycle = 0;
        for (String stage : new String[] {"producer_read", "producer_encode", "transfer_tcp_loopback", "consumer_decode_frames",
            "consumer_apply"}) {
            cycle += stages.path(stage).path("total_p50").asDouble();
        }
        result.put("serial_pull_cycle_p50_ms", Json.round(cycle, 2));
        result.put("implied_catchup_msgs_per_s", Math.round(batch / cycle * 1000));
    }

    private void fill(int count) throws SQLException {
        FlakeIdGenerator ids = FlakeIdGenerator.create();
        try (Connection c = producerDb.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                long now = Micros.now();
                sql.insert(c, ids.next(), BenchMessage.TYPE, codec.contentType(),
                        codec.encode(new BenchMessage(i, now, now, BenchMessage.PAD)), System.currentTimeMillis());
                if ((i + 1) % batch == 0) {
                    c.commit();
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** The pump's stamping transaction, step by step, as StrongZeroPump.stampBatch runs it. */
    private void stampCurrent(int count, Timings t) throws SQLException {
        try (Connection c = producerDb.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            for (int done = 0; done < count; done += batch) {
                Lap lap = new Lap();
                sql.anyWaiting(c);
                lap.next();
                long last = sequencer.lock(c);
                lap.next();
                List<FlakeId> ids = sql.waitingIds(c, batch);
                lap.next();
                try (PreparedStatement ps = c.prepareStatement("UPDATE sz_journal SET pos = ? WHERE id = ? AND pos IS NULL")) {
                    long pos = last + 1;
                    for (FlakeId id : ids) {
                        ps.setLong(1, pos++);
                        ps.setBytes(2, id.toBytes());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                lap.next();
                updateSequencer(c, last + ids.size());
                lap.next();
                c.commit();
                lap.next();
                if (t != null) {
                    t.add(lap.laps);
                }
            }
            c.setAutoCommit(true);
        }
    }

    /** One statement stamps the whole batch (positions by row number in id order). */
    private void stampSetBased(int count, long firstPosition, Timings t) throws SQLException {
        String update;
        switch (dialect.shortName()) {
            case "postgresql":
                update = "WITH s AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM sz_journal WHERE pos IS NULL "
                        + "ORDER BY id LIMIT ?) UPDATE sz_journal j SET pos = ? + s.rn FROM s WHERE j.id = s.id";
                break;
            case "mariadb":
                update = "UPDATE sz_journal SET pos = (@sz_pos := @sz_pos + 1) WHERE pos IS NULL ORDER BY id LIMIT ?";
                break;
            default:
                update = "MERGE INTO sz_journal j USING (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM sz_journal "
                        + "WHERE pos IS NULL ORDER BY id LIMIT ?) s ON j.id = s.id WHEN MATCHED THEN UPDATE SET pos = ? + s.rn";
                break;
        }
        try (Connection c = producerDb.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            long expected = firstPosition;
            for (int done = 0; done < count; done += batch) {
                Lap lap = new Lap();
                long last = sequencer.lock(c);
                if (last != expected - 1) {
                    throw new IllegalStateException("sequencer at " + last + ", expected " + (expected - 1));
                }
                lap.next();
                int n;
                if (dialect == Dialect.MARIADB) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET @sz_pos = " + last);
                    }
                    try (PreparedStatement ps = c.prepareStatement(update)) {
                        ps.setInt(1, batch);
                        n = ps.executeUpdate();
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement(update)) {
                        ps.setInt(1, batch);
                        ps.setLong(2, last);
                        n = ps.executeUpdate();
                    }
                }
                lap.next();
                updateSequencer(c, last + n);
                lap.next();
                c.commit();
                lap.next();
                expected += n;
                t.add(lap.laps);
            }
            c.setAutoCommit(true);
        }
    }

    private void updateSequencer(Connection c, long lastPos) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sz_sequencer SET last_pos = ?, owner = ?, updated_at = ? WHERE name = ?")) {
            ps.setLong(1, lastPos);
            ps.setString(2, "probe");
            ps.setLong(3, System.currentTimeMillis());
            ps.setString(4, SequencerStore.ROW);
            ps.executeUpdate();
        }
    }

    /** The producer's read of one pull (as StrongZeroProducer.read runs it), then the message frames. */
    private List<byte[][]> read(long from, long to, Timings readTimings, Timings encodeTimings) throws SQLException {
        List<byte[][]> all = new ArrayList<>();
        for (long after = from; after < to; after += batch) {
            long t0 = System.nanoTime();
            List<Envelope> envelopes;
            try (Connection c = producerDb.getConnection()) {
                c.setAutoCommit(false);
                envelopes = sql.read(c, after, batch, 4 * 1024 * 1024);
                c.commit();
                c.setAutoCommit(true);
            }
            long t1 = System.nanoTime();
            byte[][] frames = new byte[envelopes.size()][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = Protocol.encodeMessage(envelopes.get(i));
            }
            long t2 = System.nanoTime();
            if (envelopes.size() != batch) {
                throw new IllegalStateException("read " + envelopes.size() + " messages after " + after + ", expected " + batch);
            }
            if (readTimings != null) {
                readTimings.add(new long[] {t1 - t0});
                encodeTimings.add(new long[] {t2 - t1});
            }
            all.add(frames);
        }
        return all;
    }

    /** A ROUTER answering a DEALER's 1-frame request with a batch's frames, over loopback TCP, in one thread. */
    private Timings transfer(List<byte[][]> batches) {
        Timings t = new Timings("request_and_reply");
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
            router.setSndHWM(100_000);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            ZMQ.Socket dealer = ctx.createSocket(SocketType.DEALER);
            dealer.setRcvHWM(100_000);
            dealer.setReceiveTimeOut(5_000);
            dealer.connect("tcp://127.0.0.1:" + port);
            for (byte[][] frames : batches) {
                long t0 = System.nanoTime();
                dealer.send(new byte[0], ZMQ.SNDMORE);
                dealer.send(new byte[64], 0);
                byte[] identity = router.recv(0);
                router.recv(0);
                router.recv(0);
                router.send(identity, ZMQ.SNDMORE);
                router.send(new byte[0], ZMQ.SNDMORE);
                for (int i = 0; i < frames.length; i++) {
                    router.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
                }
                int received = 0;
                dealer.recv(0);
                while (dealer.hasReceiveMore()) {
                    dealer.recv(0);
                    received++;
                }
                if (received != frames.length) {
                    throw new IllegalStateException("received " + received + " frames of " + frames.length);
                }
                t.add(new long[] {System.nanoTime() - t0});
            }
        }
        return t;
    }

    /** The consumer's side: decode the frames, then one transaction of handlers and the offset update. */
    private void apply(List<byte[][]> batches, String consumer, Timings decode, Timings t) throws SQLException {
        try (Connection c = consumerDb.getConnection()) {
            c.setAutoCommit(true);
            long position = offsets.loadOrCreate(c, consumer, ProducerChild.PRODUCER, System.currentTimeMillis());
            for (byte[][] frames : batches) {
                long t0 = System.nanoTime();
                List<Envelope> envelopes = new ArrayList<>(frames.length);
                for (byte[] f : frames) {
                    envelopes.add(Protocol.decodeMessage(f));
                }
                long t1 = System.nanoTime();
                Lap lap = new Lap();
                c.setAutoCommit(false);
                long sum = 0;
                for (Envelope e : envelopes) {
                    sum += codec.decode(e.payload(), BenchMessage.class).seq();
                }
                lap.next();
                Envelope last = envelopes.get(envelopes.size() - 1);
                if (!offsets.advance(c, consumer, ProducerChild.PRODUCER, position, last.position(), last.id(),
                        System.currentTimeMillis())) {
                    throw new IllegalStateException("offset conflict at " + position + " (checksum " + sum + ")");
                }
                lap.next();
                c.commit();
                lap.next();
                c.setAutoCommit(true);
                position = last.position();
                if (t != null) {
                    decode.add(new long[] {t1 - t0});
                    t.add(lap.laps);
                }
            }
        }
    }

    /** Nanosecond laps within one batch. */
    private static final class Lap {
        final List<Long> list = new ArrayList<>();
        long[] laps = new long[0];
        private long last = System.nanoTime();

        void next() {
            long now = System.nanoTime();
            list.add(now - last);
            last = now;
            laps = list.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** Per-step nanosecond samples, one row per batch. */
    private static final class Timings {
        final String[] steps;
        final List<long[]> rows = new ArrayList<>();

        Timings(String... steps) {
            this.steps = steps;
        }

        void add(long[] laps) {
            rows.add(laps);
        }

        ObjectNode summary(int batch) {
            ObjectNode n = Json.object();
            n.put("batches", rows.size());
            long[] totals = new long[rows.size()];
            for (int s = 0; s < steps.length; s++) {
                long[] v = new long[rows.size()];
                for (int r = 0; r < rows.size(); r++) {
                    v[r] = rows.get(r)[s];
                    totals[r] += v[r];
                }
                n.put(steps[s] + "_p50", Json.round(percentile(v, 50) / 1e6, 3));
            }
            double p50 = percentile(totals, 50) / 1e6;
            n.put("total_p50", Json.round(p50, 3));
            n.put("total_p90", Json.round(percentile(totals, 90) / 1e6, 3));
            n.put("implied_msgs_per_s", Math.round(batch / p50 * 1000));
            return n;
        }

        private static long percentile(long[] values, double p) {
            if (values.length == 0) {
                return 0;
            }
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "StageProbe[%s, batch %d]", dialect.shortName(), batch);
    }
}
