package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.FlakeId;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroSchemaException;
import io.strongzero.core.internal.SchemaStore;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A journal and a consumer database in journal format 1 (the tables of StrongZero commit 49d73e9) with stamped
 * rows, rows still waiting for a position and a consumer offset mid-stream: the components refuse them at start
 * (with {@code createSchemaIfMissing(true)} too); after the migration scripts (on the consumer's side the 1-to-2
 * script, then the lane script of issue 17), pump, producer and consumer run on
 * them and the consumer receives exactly the rows after its offset, each once, in position order, the formerly
 * waiting rows included (the pump stamps them after the stamped ones).
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class MigrationPipelineContract {

    private static final String CONSUMER = "billing";
    private static final int STAMPED = 6;
    private static final int WAITING = 4;
    /** The consumer has applied positions 1 to 3. */
    private static final int OFFSET = 3;

    private TestDatabase.Instance producerDb;
    private TestDatabase.Instance consumerDb;
    private final List<AutoCloseable> running = new ArrayList<>();

    /** @return the database this suite runs on */
    protected abstract TestDatabase database();

    @BeforeEach
    void formatOneDatabases() throws SQLException {
        producerDb = database().create("prod1");
        consumerDb = database().create("cons1");
        run(producerDb.dataSource(), formatOneDdl(Schema.Side.PRODUCER));
        run(consumerDb.dataSource(), formatOneDdl(Schema.Side.CONSUMER));
    }

    @AfterEach
    void close() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (consumerDb != null) {
            consumerDb.close();
        }
        if (producerDb != null) {
            producerDb.close();
        }
    }

    /** Ids in the order they were sent; every one has bytes of 0x80 or more. */
    private static FlakeId id(int n) {
        return FlakeId.of(1_700_000_000_000L + n, 0xFEDC_BA98_7654L, 0x80F0 + n);
    }

    @Test
    void afterTheMigrationAMidStreamConsumerReceivesExactlyTheRowsAfterItsOffsetTheWaitingOnesIncluded()
            throws Exception {
        List<String> expected = fillFormatOne();

        // format 1 is refused at start, also where createSchemaIfMissing(true) runs the CREATE ... IF NOT EXISTS DDL
        try (StrongZeroPump pump = pumpBuilder().createSchemaIfMissing(true).build()) {
            StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, pump::start);
            assertTrue(e.needsMigration(), e.getMessage());
            assertTrue(e.getMessage().contains(Schema.migrationResource(database().dialect(), Schema.Side.PRODUCER)),
                    e.getMessage());
        }
        try (StrongZeroConsumer consumer = Pipeline.consumerBuilder(CONSUMER, consumerDb.dataSource(),
                "tcp://127.0.0.1:1", 0).createSchemaIfMissing(true).build()) {
            StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, consumer::start);
            assertTrue(e.needsMigration(), e.getMessage());
            assertTrue(e.getMessage().contains(Schema.migrationResource(database().dialect(), Schema.Side.CONSUMER)),
                    e.getMessage());
        }
        try (Connection c = producerDb.dataSource().getConnection()) {
            assertEquals(List.of("id"), SchemaStore.textColumns(c, "sz_journal", List.of("id")), "refused, not altered");
        }

        run(producerDb.dataSource(), Schema.statements(Schema.migration(database().dialect(), Schema.Side.PRODUCER,
                Schema.DEFAULT_PREFIX)));
        run(consumerDb.dataSource(), Schema.statements(Schema.migration(database().dialect(), Schema.Side.CONSUMER,
                Schema.DEFAULT_PREFIX)));
        // the 1-to-2 consumer script makes the offset table of format 2 as it was before lanes (issue 17): the
        // consumer still refuses it, and the lane script, run after it, completes the migration
        try (StrongZeroConsumer consumer = Pipeline.consumerBuilder(CONSUMER, consumerDb.dataSource(),
                "tcp://127.0.0.1:1", 0).createSchemaIfMissing(true).build()) {
            StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, consumer::start);
            assertTrue(e.needsMigration(), e.getMessage());
            assertTrue(e.getMessage().contains(Schema.laneMigrationResource(database().dialect())), e.getMessage());
        }
        run(consumerDb.dataSource(), Schema.statements(Schema.laneMigration(database().dialect(), Schema.DEFAULT_PREFIX)));
        exec(consumerDb.dataSource(), "CREATE TABLE received (consumer_name VARCHAR(64) NOT NULL, id CHAR(32) NOT NULL, "
                + "pos BIGINT NOT NULL, name VARCHAR(200) NOT NULL)");

        StrongZeroPump pump = pumpBuilder().build();
        running.add(pump);
        StrongZeroProducer producer = StrongZeroProducer.builder().pump(pump).bind("tcp://127.0.0.1:*")
                .heartbeat(Duration.ofMillis(500)).build().start();
        running.add(producer);
        StrongZeroConsumer consumer = Pipeline.consumerBuilder(CONSUMER, consumerDb.dataSource(),
                producer.endpoints().get(0), 0).build().start();
        running.add(consumer);

        long last = STAMPED + WAITING;
        Await.until(Duration.ofSeconds(60), "the consumer applies up to position " + last,
                () -> offset() == last, this::offset);
        List<String> ids = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        query(consumerDb.dataSource(), "SELECT id, pos FROM received WHERE consumer_name = '" + CONSUMER + "' ORDER BY pos",
                rs -> {
                    ids.add(rs.getString(1).trim());
                    positions.add(rs.getLong(2));
                });
        assertEquals(expected, ids, "the rows after the offset, each once, in position order");
        List<Long> expectedPositions = new ArrayList<>();
        for (long p = OFFSET + 1; p <= last; p++) {
            expectedPositions.add(p);
        }
        assertEquals(expectedPositions, positions);
        List<Long> stampedNull = new ArrayList<>();
        query(producerDb.dataSource(), "SELECT COUNT(*) FROM sz_journal WHERE pos IS NULL", rs -> stampedNull.add(rs.getLong(1)));
        assertEquals(List.of(0L), stampedNull, "the pump stamped the waiting rows");
        assertFalse(ids.contains(id(1).toString()), "nothing before the offset");
    }

    private StrongZeroPump.Builder pumpBuilder() {
        return StrongZeroPump.builder().name(Pipeline.PRODUCER).dataSource(producerDb.dataSource())
                .pollInterval(Duration.ofMillis(50));
    }

    /**
     * Rows 1..STAMPED at positions 1..STAMPED (the sequencer at STAMPED), rows after them waiting; the consumer's
     * offset at {@link #OFFSET}. Returns the ids the consumer must receive, in order.
     */
    private List<String> fillFormatOne() throws SQLException {
        PayloadCodec json = PayloadCodec.json();
        List<String> expected = new ArrayList<>();
        try (Connection c = producerDb.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO sz_journal (id, pos, msg_type, content_type, payload,"
                     + " produced_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(true);
            // the waiting rows first, so insertion order is not what orders them
            for (int n = STAMPED + WAITING; n >= 1; n--) {
                ps.setString(1, id(n).toString());
                if (n <= STAMPED) {
                    ps.setLong(2, n);
                } else {
                    ps.setNull(2, Types.BIGINT);
                }
                ps.setString(3, Pipeline.TYPE);
                ps.setString(4, json.contentType());
                ps.setBytes(5, json.encode(new Pipeline.User("user" + n, n)));
                ps.setLong(6, 1_700_000_000_000L + n);
                ps.executeUpdate();
            }
        }
        for (int n = OFFSET + 1; n <= STAMPED + WAITING; n++) {
            expected.add(id(n).toString());
        }
        exec(producerDb.dataSource(), "INSERT INTO sz_sequencer (name, last_pos, owner, updated_at) VALUES ('journal', "
                + STAMPED + ", NULL, 1)");
        try (Connection c = consumerDb.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO sz_offset (consumer_name, producer_name, pos, message_id,"
                     + " updated_at) VALUES (?, ?, ?, ?, 1)")) {
            c.setAutoCommit(true);
            ps.setString(1, CONSUMER);
            ps.setString(2, Pipeline.PRODUCER);
            ps.setLong(3, OFFSET);
            ps.setString(4, id(OFFSET).toString());
            ps.executeUpdate();
        }
        return expected;
    }

    private long offset() {
        long[] out = {-1};
        query(consumerDb.dataSource(), "SELECT MIN(pos) FROM sz_offset WHERE consumer_name = '" + CONSUMER + "'",
                rs -> out[0] = rs.getLong(1));
        return out[0];
    }

    private List<String> formatOneDdl(Schema.Side side) {
        String resource = "/io/strongzero/tck/stores/format1-" + database().dialect().shortName() + "-"
                + side.name().toLowerCase(Locale.ROOT) + ".sql";
        try (InputStream in = MigrationPipelineContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError(resource + " is missing");
            }
            return Schema.statements(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(DataSource ds, List<String> statements) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            SchemaStore.execute(c, statements);
        }
    }

    private static void exec(DataSource ds, String sql) throws SQLException {
        run(ds, List.of(sql));
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(DataSource ds, String sql, Row row) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.accept(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
