package io.strongzero.tck;

import io.strongzero.consumer.Message;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A producer database with pump, producer and sender, and a consumer database whose consumer records
 * every applied message in a {@code received} table (no unique key, so duplicates would show).
 *
 * <p>Used by one test: created in its set-up (which creates both schemas), started as the test needs, closed in
 * its tear-down (which closes every component and drops both schemas). The query helpers may be called from any
 * thread.
 */
public final class Pipeline implements AutoCloseable {

    public static final String PRODUCER = "users";
    public static final String TYPE = "user.created";

    public final TestDatabase.Instance producerDb;
    public final TestDatabase.Instance consumerDb;
    public StrongZeroPump pump;
    public StrongZeroProducer producer;
    public StrongZeroSender sender;
    private final List<StrongZeroConsumer> consumers = new ArrayList<>();
    private String endpoint;

    public record User(String name, int n) {
    }

    public Pipeline(TestDatabase db) {
        this(db, false);
    }

    /** With {@code sharedConsumerDb}, a consumer in another JVM can use the consumer database. */
    public Pipeline(TestDatabase db, boolean sharedConsumerDb) {
        this.producerDb = db.create("prod");
        this.consumerDb = sharedConsumerDb ? db.createShared("cons") : db.create("cons");
        Schema.create(producerDb.dataSource(), db.dialect(), Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
        Schema.create(consumerDb.dataSource(), db.dialect(), Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        exec(consumerDb, "CREATE TABLE received (consumer_name VARCHAR(64) NOT NULL, id CHAR(32) NOT NULL, "
                + "pos BIGINT NOT NULL, name VARCHAR(200) NOT NULL)");
    }

    public Pipeline startProducer() {
        return startProducer("tcp://127.0.0.1:*");
    }

    public Pipeline startProducer(String bind) {
        pump = StrongZeroPump.builder().name(PRODUCER).dataSource(producerDb.dataSource())
                .pollInterval(Duration.ofMillis(100)).build();
        producer = StrongZeroProducer.builder().pump(pump).bind(bind).heartbeat(Duration.ofMillis(500)).build().start();
        endpoint = producer.endpoints().get(0);
        if (sender == null) {
            sender = StrongZeroSender.builder().producer(producer).dataSource(producerDb.dataSource()).build();
        }
        return this;
    }

    /**
     * Starts a pump on {@code journalDb} that polls every 50 ms, a producer over it that records progress every
     * 50 ms, customized by {@code customize}, and a new sender for them; returns the producer.
     */
    public StrongZeroProducer startProducer(DataSource journalDb, Consumer<StrongZeroProducer.Builder> customize) {
        pump = StrongZeroPump.builder().name(PRODUCER).dataSource(journalDb).pollInterval(Duration.ofMillis(50)).build();
        StrongZeroProducer.Builder b = StrongZeroProducer.builder().pump(pump).bind("tcp://127.0.0.1:*")
                .progressInterval(Duration.ofMillis(50));
        customize.accept(b);
        producer = b.build().start();
        sender = StrongZeroSender.builder().producer(producer).dataSource(producerDb.dataSource()).build();
        return producer;
    }

    /** Closes producer and pump (the sender stays usable; its wake-ups go to the closed pump). */
    public void stopProducer() {
        producer.close();
        pump.close();
    }

    /** The running producer's endpoint (also for a producer a test built itself). */
    public String endpoint() {
        return endpoint != null ? endpoint : producer.endpoints().get(0);
    }

    public StrongZeroConsumer startConsumer(String name) {
        return startConsumer(name, b -> { });
    }

    public StrongZeroConsumer startConsumer(String name, Consumer<StrongZeroConsumer.Builder> customize) {
        StrongZeroConsumer.Builder b = consumerBuilder(name, consumerDb.dataSource(), endpoint(), 0);
        customize.accept(b);
        StrongZeroConsumer c = b.build().start();
        consumers.add(c);
        return c;
    }

    /**
     * The test consumer: records each {@link #TYPE} message in {@code received}, optionally sleeping
     * {@code slowMillis} per message (to be caught mid-stream). Shared with the consumer process of the kill test.
     */
    public static StrongZeroConsumer.Builder consumerBuilder(String name, DataSource ds, String endpoint,
                                                             long slowMillis) {
        return StrongZeroConsumer.builder().name(name).dataSource(ds)
                .producer(PRODUCER, endpoint)
                .longPollWait(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2))
                .heartbeat(Duration.ofMillis(500)).handshakeTimeout(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .retryPolicy(RetryPolicy.builder().backoff(Duration.ofMillis(10), Duration.ofMillis(200)).build())
                .unknownTypePolicy(UnknownTypePolicy.FAIL)
                .handler(TYPE, User.class, (m, ctx) -> {
                    record(ctx.connection(), name, m);
                    if (slowMillis > 0) {
                        Thread.sleep(slowMillis);
                    }
                });
    }

    /** Inserts the message into {@code received} for {@code consumer}, on the given connection. */
    public static void record(Connection c, String consumer, Message<User> m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO received (consumer_name, id, pos, name) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, consumer);
            ps.setString(2, m.id().toString());
            ps.setLong(3, m.position());
            ps.setString(4, m.payload().name());
            ps.executeUpdate();
        }
    }

    /** Sends one {@link #TYPE} message in its own committed transaction; returns its id. */
    public String sendCommitted(String name, int n) {
        return sendCommitted(TYPE, name, n);
    }

    /**
     * Sends {@code count} {@link #TYPE} messages named {@code prefix + i} with the number {@code i}, for i from 0, each
     * in its own committed transaction; returns their ids in sending order, in a list the caller may add to.
     */
    public List<String> sendCommittedSeries(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(sendCommitted(prefix + i, i));
        }
        return ids;
    }

    /** Sends one {@code type} message per name, with the number 0, each committed on its own; returns their ids. */
    public List<String> sendCommitted(String type, List<String> names) {
        List<String> ids = new ArrayList<>();
        for (String name : names) {
            ids.add(sendCommitted(type, name, 0));
        }
        return ids;
    }

    /** Sends one message of any type in its own committed transaction; returns its id. */
    public String sendCommitted(String type, String name, int n) {
        return sender.inTransaction(c -> sender.send(c, type, new User(name, n)).toString());
    }

    /** Ids the consumer recorded, in the order of their positions. */
    public List<String> receivedIds(String consumer) {
        List<String> ids = new ArrayList<>();
        query(consumerDb, "SELECT id FROM received WHERE consumer_name = '" + consumer + "' ORDER BY pos", rs -> ids.add(rs.getString(1)));
        return ids;
    }

    /** Positions the consumer recorded, in insertion-independent position order. */
    public List<Long> receivedPositions(String consumer) {
        List<Long> out = new ArrayList<>();
        query(consumerDb, "SELECT pos FROM received WHERE consumer_name = '" + consumer + "' ORDER BY pos", rs -> out.add(rs.getLong(1)));
        return out;
    }

    public int receivedCount(String consumer) {
        int[] n = new int[1];
        query(consumerDb, "SELECT COUNT(*) FROM received WHERE consumer_name = '" + consumer + "'", rs -> n[0] = rs.getInt(1));
        return n[0];
    }

    /** Ids in the journal (their text form), in position order. */
    public Set<String> journalIds() {
        Set<String> ids = new LinkedHashSet<>();
        query(producerDb, "SELECT id FROM sz_journal ORDER BY pos", rs -> ids.add(FlakeId.fromBytes(rs.getBytes(1)).toString()));
        return ids;
    }

    /** The consumer's committed position for the producer (with lanes, the lowest lane's), -1 if it has none. */
    public long committedOffset(String consumer) {
        long[] n = {-1};
        query(consumerDb, "SELECT MIN(pos) FROM sz_offset WHERE consumer_name = '" + consumer + "' AND producer_name = '"
                + PRODUCER + "'", rs -> {
                    long pos = rs.getLong(1);
                    n[0] = rs.wasNull() ? -1 : pos;
                });
        return n[0];
    }

    public interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    public static void query(TestDatabase.Instance db, String sql, RowHandler handler) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                handler.row(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * The number a query returns in its one row, such as a count.
     *
     * @param db  the database
     * @param sql a query returning one row with one number
     * @return the number, or -1 if the query returns no row
     */
    public static int count(TestDatabase.Instance db, String sql) {
        int[] n = {-1};
        query(db, sql, rs -> n[0] = rs.getInt(1));
        return n[0];
    }

    public static void exec(TestDatabase.Instance db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs one statement with its parameters: a {@link FlakeId} is bound as its 16 bytes (as the stores write ids),
     * anything else as a string.
     */
    public static void exec(TestDatabase.Instance db, String sql, Object... params) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof FlakeId id) {
                    ps.setBytes(i + 1, id.toBytes());
                } else {
                    ps.setString(i + 1, String.valueOf(params[i]));
                }
            }
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (StrongZeroConsumer c : consumers) {
            c.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (pump != null) {
            pump.close();
        }
        producerDb.close();
        consumerDb.close();
    }
}
