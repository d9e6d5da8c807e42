package io.strongzero.tck.stores;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.internal.OffsetStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroSchemaException;
import io.strongzero.core.internal.SchemaStore;
import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The migration from journal format 1 (Flake ids as hex text, the tables of StrongZero commit 49d73e9, kept as
 * {@code format1-<dialect>-<side>.sql} next to this class) to format 2 on a real database: format-1 tables are
 * refused with a message naming the migration (also after {@code Schema.create}, which leaves them as they are);
 * {@link Schema#migration} converts every row exactly (ids to their 16 bytes, positions, NULL positions,
 * offsets, dead letters, idempotency claims); the result, with the consumer's offset table then given lanes by
 * {@link Schema#laneMigration} (the order to run them in), has the shape of freshly created tables and passes the
 * check.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class MigrationContract {

    private static final String[] JOURNAL = {"id", "pos", "msg_type", "content_type", "payload", "produced_at"};
    private static final String[] OFFSET = {"consumer_name", "producer_name", "pos", "message_id", "updated_at"};
    private static final String[] DEAD_LETTER = {"consumer_name", "producer_name", "message_id", "pos", "msg_type",
        "content_type", "payload", "produced_at", "status", "attempts", "first_failed_at", "last_failed_at", "errors",
        "discard_reason"};
    private static final String[] PROCESSED = {"consumer_name", "effect_name", "message_id", "status", "claimed_at"};

    /** Payload bytes across the whole range, so a conversion through text would show. */
    private static final byte[] ODD_PAYLOAD = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff, 0x27, 0x5c};

    private final List<TestDatabase.Instance> instances = new ArrayList<>();

    /** @return the database this suite runs on */
    protected abstract TestDatabase database();

    @AfterEach
    void closeDatabases() {
        for (TestDatabase.Instance instance : instances) {
            instance.close();
        }
    }

    /** Ids whose node and sequence bytes are 0x80 or more (hex text "fe", "dc", "80" ...). */
    static FlakeId id(int n) {
        return FlakeId.of(1_700_000_000_000L + n, 0xFEDC_BA98_7654L, 0x80F0 + n);
    }

    /** The 16 bytes format 2 stores for a format-1 id: its hex text decoded, nothing else. */
    static byte[] bytes(FlakeId id) {
        return HexFormat.of().parseHex(id.toString());
    }

    // ---------------------------------------------------------------- refusing format 1

    @Test
    void verifyTableRefusesEveryFormatOneTableNamingTheMigrationAndTheDocs() throws SQLException {
        DataSource producer = formatOne(Schema.Side.PRODUCER, "sz_");
        DataSource consumer = formatOne(Schema.Side.CONSUMER, "sz_");
        assertFormatOne(producer, Schema.Side.PRODUCER, "sz_journal", JOURNAL);
        assertFormatOne(consumer, Schema.Side.CONSUMER, "sz_offset", OFFSET);
        assertFormatOne(consumer, Schema.Side.CONSUMER, "sz_dead_letter", DEAD_LETTER);
        assertFormatOne(consumer, Schema.Side.CONSUMER, "sz_processed", PROCESSED);
        // the tables without ids are the same in both formats
        Schema.verifyTable(producer, dialect(), Schema.Side.PRODUCER, "sz_sequencer", "name", "last_pos", "owner",
                "updated_at");
    }

    @Test
    void createSchemaIfMissingLeavesAFormatOneTableAsItIsAndTheCheckStillRefusesIt() throws SQLException {
        DataSource producer = formatOne(Schema.Side.PRODUCER, "sz_");
        DataSource consumer = formatOne(Schema.Side.CONSUMER, "sz_");
        fillProducer(producer, "sz_");
        fillConsumer(consumer, "sz_");
        // what the pump and the consumer run at start with createSchemaIfMissing(true)
        Schema.create(producer, dialect(), Schema.Side.PRODUCER, "sz_");
        Schema.create(consumer, dialect(), Schema.Side.CONSUMER, "sz_");
        assertFormatOne(producer, Schema.Side.PRODUCER, "sz_journal", JOURNAL);
        assertFormatOne(consumer, Schema.Side.CONSUMER, "sz_offset", OFFSET);
        assertFormatOne(consumer, Schema.Side.CONSUMER, "sz_dead_letter", DEAD_LETTER);
        assertFormatOne(consumer, Schema.Side.CONSUMER, "sz_processed", PROCESSED);
        try (Connection c = producer.getConnection()) {
            assertEquals(List.of("id"), SchemaStore.textColumns(c, "sz_journal", List.of("id", "pos")), "still hex text");
        }
        assertEquals(5, count(producer, "sz_journal"), "not a row lost or added");
        assertEquals(2, count(consumer, "sz_offset"));
    }

    private void assertFormatOne(DataSource ds, Schema.Side side, String table, String... columns) {
        StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class,
                () -> Schema.verifyTable(ds, dialect(), side, table, columns));
        String m = e.getMessage();
        assertTrue(e.needsMigration(), m);
        assertEquals(table, e.table());
        assertTrue(m.contains("table " + table + " is in journal format 1"), m);
        assertTrue(m.contains("needs format 2"), m);
        assertTrue(m.contains(Schema.migrationResource(dialect(), side)), m);
        assertTrue(m.contains("Schema.migration()"), m);
        assertTrue(m.contains("docs/schema.md#migrating-from-format-1-to-format-2"), m);
        assertTrue(m.contains(side == Schema.Side.PRODUCER ? "stop the pump, the producer and every sender"
                : "stop the consumers"), m);
        assertFalse(m.contains("is missing"), m);
    }

    // ---------------------------------------------------------------- converting

    @Test
    void producerMigrationConvertsEveryJournalRowExactlyAndKeepsTheOtherTables() throws SQLException {
        DataSource producer = formatOne(Schema.Side.PRODUCER, "sz_");
        fillProducer(producer, "sz_");
        migrate(producer, Schema.Side.PRODUCER, "sz_");
        assertProducerConverted(producer, "sz_");
    }

    @Test
    void consumerMigrationConvertsOffsetsDeadLettersAndClaimsExactly() throws SQLException {
        DataSource consumer = formatOne(Schema.Side.CONSUMER, "sz_");
        fillConsumer(consumer, "sz_");
        migrate(consumer, Schema.Side.CONSUMER, "sz_");
        assertConsumerConverted(consumer, "sz_");
    }

    @Test
    void migrationWithACustomPrefixConvertsThatPrefixsTables() throws SQLException {
        DataSource producer = formatOne(Schema.Side.PRODUCER, "app_");
        DataSource consumer = formatOne(Schema.Side.CONSUMER, "app_");
        fillProducer(producer, "app_");
        fillConsumer(consumer, "app_");
        migrate(producer, Schema.Side.PRODUCER, "app_");
        migrate(consumer, Schema.Side.CONSUMER, "app_");
        assertProducerConverted(producer, "app_");
        assertConsumerConverted(consumer, "app_");
    }

    @Test
    void migratedTablesPassTheCheck() throws SQLException {
        DataSource producer = formatOne(Schema.Side.PRODUCER, "sz_");
        DataSource consumer = formatOne(Schema.Side.CONSUMER, "sz_");
        fillProducer(producer, "sz_");
        fillConsumer(consumer, "sz_");
        migrate(producer, Schema.Side.PRODUCER, "sz_");
        migrate(consumer, Schema.Side.CONSUMER, "sz_");
        // the 1-to-2 script makes the offset table of format 2 as it was before issue 17: the lane script follows
        StrongZeroSchemaException lanes = assertThrows(StrongZeroSchemaException.class, () -> Schema.verifyTable(consumer,
                dialect(), Schema.Side.CONSUMER, "sz_offset", OffsetStore.columns()));
        assertTrue(lanes.needsMigration() && lanes.getMessage().contains(Schema.laneMigrationResource(dialect())),
                lanes.getMessage());
        run(consumer, Schema.statements(Schema.laneMigration(dialect(), "sz_")));
        Schema.verifyTable(producer, dialect(), Schema.Side.PRODUCER, "sz_journal", JOURNAL);
        Schema.verifyTable(producer, dialect(), Schema.Side.PRODUCER, "sz_journal", "msg_key", "headers");
        Schema.verifyTable(consumer, dialect(), Schema.Side.CONSUMER, "sz_offset", OFFSET);
        Schema.verifyTable(consumer, dialect(), Schema.Side.CONSUMER, "sz_offset", OffsetStore.columns());
        Schema.verifyTable(consumer, dialect(), Schema.Side.CONSUMER, "sz_dead_letter", DEAD_LETTER);
        Schema.verifyTable(consumer, dialect(), Schema.Side.CONSUMER, "sz_dead_letter", "msg_key", "headers");
        Schema.verifyTable(consumer, dialect(), Schema.Side.CONSUMER, "sz_processed", PROCESSED);
        // and Schema.create on them is the no-op it is on fresh tables
        Schema.create(producer, dialect(), Schema.Side.PRODUCER, "sz_");
        Schema.create(consumer, dialect(), Schema.Side.CONSUMER, "sz_");
        assertEquals(5, count(producer, "sz_journal"));
    }

    @Test
    void aMigrationRunOnFormatTwoTablesIsRefusedByItsGuardAndChangesNothing() throws SQLException {
        DataSource producer = fresh(Schema.Side.PRODUCER);
        DataSource consumer = fresh(Schema.Side.CONSUMER);
        byte[] id = FlakeId.parse("0190ffee80000000000000017f800001").toBytes();
        try (Connection c = producer.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO sz_journal"
                + " (id, pos, msg_type, content_type, msg_key, headers, payload, produced_at) VALUES (?, 1, 't', 'c', 'k', ?, ?, 1)")) {
            ps.setBytes(1, id);
            ps.setBytes(2, new byte[] {1, 2, 3});
            ps.setBytes(3, new byte[] {4});
            ps.executeUpdate();
        }
        try (Connection c = consumer.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO sz_dead_letter"
                + " (consumer_name, producer_name, message_id, pos, msg_type, content_type, msg_key, headers, payload,"
                + " produced_at, status, attempts, first_failed_at, last_failed_at, errors)"
                + " VALUES ('c', 'p', ?, 1, 't', 'c', 'k', ?, ?, 1, 'PARKED', 1, 1, 1, '[]')")) {
            ps.setBytes(1, id);
            ps.setBytes(2, new byte[] {1, 2, 3});
            ps.setBytes(3, new byte[] {4});
            ps.executeUpdate();
        }
        for (Object[] side : new Object[][] {{producer, Schema.Side.PRODUCER, "sz_journal"},
            {consumer, Schema.Side.CONSUMER, "sz_dead_letter"}}) {
            DataSource ds = (DataSource) side[0];
            SQLException e = assertThrows(SQLException.class, () -> migrate(ds, (Schema.Side) side[1], "sz_"));
            assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains(side[2] + "_is_already_in_format_2"), e.getMessage());
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT msg_key, headers FROM " + side[2])) {
                assertTrue(rs.next(), side[2] + " keeps its row");
                assertEquals("k", rs.getString(1));
                assertArrayEquals(new byte[] {1, 2, 3}, rs.getBytes(2));
            }
        }
        Schema.verifyTable(producer, dialect(), Schema.Side.PRODUCER, "sz_journal", JOURNAL);
        Schema.verifyTable(consumer, dialect(), Schema.Side.CONSUMER, "sz_dead_letter", DEAD_LETTER);
    }

    /**
     * Needs the format-2 DDL (issue 15's binary ids) in producer.sql and consumer.sql. The consumer side takes the
     * 1-to-2 script and then the lane script (issue 17), in that order, to reach today's consumer.sql.
     */
    @Test
    void migratedTablesHaveTheShapeOfFreshFormatTwoTables() throws SQLException {
        DataSource producer = formatOne(Schema.Side.PRODUCER, "sz_");
        DataSource consumer = formatOne(Schema.Side.CONSUMER, "sz_");
        fillProducer(producer, "sz_");
        migrate(producer, Schema.Side.PRODUCER, "sz_");
        migrate(consumer, Schema.Side.CONSUMER, "sz_");
        run(consumer, Schema.statements(Schema.laneMigration(dialect(), "sz_")));
        DataSource freshProducer = fresh(Schema.Side.PRODUCER);
        DataSource freshConsumer = fresh(Schema.Side.CONSUMER);
        for (String table : List.of("sz_journal", "sz_sequencer", "sz_consumer")) {
            assertEquals(shape(freshProducer, table), shape(producer, table), table);
        }
        for (String table : List.of("sz_offset", "sz_dead_letter", "sz_processed")) {
            assertEquals(shape(freshConsumer, table), shape(consumer, table), table);
        }
    }

    private void assertProducerConverted(DataSource ds, String prefix) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, pos, msg_type, content_type, msg_key, headers, payload, produced_at FROM "
                     + prefix + "journal ORDER BY produced_at")) {
            while (rs.next()) {
                byte[] id = rs.getBytes(1);
                long pos = rs.getLong(2);
                String position = rs.wasNull() ? "NULL" : Long.toString(pos);
                rows.add(HexFormat.of().formatHex(id) + "|" + position + "|" + rs.getString(3) + "|" + rs.getString(4)
                        + "|" + rs.getString(5) + "|" + (rs.getBytes(6) == null ? "null" : "bytes")
                        + "|" + HexFormat.of().formatHex(rs.getBytes(7)) + "|" + rs.getLong(8));
                assertEquals(16, id.length);
            }
        }
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            expected.add(HexFormat.of().formatHex(bytes(id(n))) + "|" + (n <= 3 ? Long.toString(100 + n) : "NULL")
                    + "|t.type" + n + "|application/x-" + n + "|null|null|" + HexFormat.of().formatHex(payload(n))
                    + "|" + (1_700_000_000_000L + n));
        }
        assertEquals(expected, rows);
        // the bytes are the decoded hex text, so byte order is id order
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pos FROM " + prefix + "journal WHERE id = ?")) {
            ps.setBytes(1, bytes(id(2)));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(102, rs.getLong(1));
            }
        }
        assertEquals(List.of("orders|103|sz-host|42"), rows(ds, "SELECT name, last_pos, owner, updated_at FROM "
                + prefix + "sequencer"));
        assertEquals(List.of("billing|102|8|ACTIVE"), rows(ds, "SELECT consumer_name, pos, last_seen, state FROM "
                + prefix + "consumer"));
    }

    private void assertConsumerConverted(DataSource ds, String prefix) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT consumer_name, producer_name, pos, message_id, updated_at FROM "
                    + prefix + "offset ORDER BY consumer_name")) {
                assertTrue(rs.next());
                assertEquals("audit", rs.getString(1));
                assertEquals(0, rs.getLong(3));
                assertNull(rs.getBytes(4), "no message id stays NULL");
                assertTrue(rs.next());
                assertEquals("billing", rs.getString(1));
                assertEquals("orders", rs.getString(2));
                assertEquals(102, rs.getLong(3), "the offset keeps its position: the consumer resumes after 102");
                assertArrayEquals(bytes(id(2)), rs.getBytes(4));
                assertEquals(5, rs.getLong(5));
                assertFalse(rs.next());
            }
            try (ResultSet rs = s.executeQuery("SELECT consumer_name, producer_name, message_id, pos, msg_type, content_type,"
                    + " msg_key, headers, payload, produced_at, status, attempts, first_failed_at, last_failed_at, errors,"
                    + " discard_reason FROM " + prefix + "dead_letter")) {
                assertTrue(rs.next());
                assertEquals("billing", rs.getString(1));
                assertEquals("orders", rs.getString(2));
                assertArrayEquals(bytes(id(1)), rs.getBytes(3));
                assertEquals(101, rs.getLong(4));
                assertEquals("t.type1", rs.getString(5));
                assertEquals("application/x-1", rs.getString(6));
                assertNull(rs.getString(7));
                assertNull(rs.getBytes(8));
                assertArrayEquals(payload(1), rs.getBytes(9));
                assertEquals(1_700_000_000_001L, rs.getLong(10));
                assertEquals("PARKED", rs.getString(11));
                assertEquals(3, rs.getInt(12));
                assertEquals(10, rs.getLong(13));
                assertEquals(20, rs.getLong(14));
                assertEquals("[{\"error\":\"boom\"}]", rs.getString(15));
                assertNull(rs.getString(16));
                assertFalse(rs.next());
            }
            try (ResultSet rs = s.executeQuery("SELECT consumer_name, effect_name, message_id, status, claimed_at FROM "
                    + prefix + "processed")) {
                assertTrue(rs.next());
                assertEquals("billing|mail", rs.getString(1) + "|" + rs.getString(2));
                assertArrayEquals(bytes(id(3)), rs.getBytes(3));
                assertEquals("DONE", rs.getString(4).trim());
                assertEquals(7, rs.getLong(5));
                assertFalse(rs.next());
            }
        }
    }

    // ---------------------------------------------------------------- arranging

    private Dialect dialect() {
        return database().dialect();
    }

    /** A fresh database with the format-1 tables of {@code side} under {@code prefix}. */
    private DataSource formatOne(Schema.Side side, String prefix) throws SQLException {
        TestDatabase.Instance instance = database().create("migrate");
        instances.add(instance);
        String resource = "format1-" + dialect().shortName() + "-" + side.name().toLowerCase(Locale.ROOT) + ".sql";
        String ddl;
        try (InputStream in = MigrationContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError(resource + " is missing next to " + MigrationContract.class.getName());
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(instance.dataSource(), Schema.statements(ddl.replaceAll("\\bsz_", prefix)));
        return instance.dataSource();
    }

    /** A fresh database with the shipped (format-2) DDL of {@code side}. */
    private DataSource fresh(Schema.Side side) {
        TestDatabase.Instance instance = database().create("fresh");
        instances.add(instance);
        Schema.create(instance.dataSource(), dialect(), side, "sz_");
        return instance.dataSource();
    }

    private void migrate(DataSource ds, Schema.Side side, String prefix) throws SQLException {
        run(ds, Schema.statements(Schema.migration(dialect(), side, prefix)));
    }

    private static void run(DataSource ds, List<String> statements) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            SchemaStore.execute(c, statements);
        }
    }

    private static byte[] payload(int n) {
        byte[] out = new byte[ODD_PAYLOAD.length + 1];
        System.arraycopy(ODD_PAYLOAD, 0, out, 0, ODD_PAYLOAD.length);
        out[ODD_PAYLOAD.length] = (byte) n;
        return out;
    }

    /** Rows 1-3 stamped (positions 101-103), rows 4 and 5 waiting (NULL); a sequencer and a consumer row. */
    private static void fillProducer(DataSource ds, String prefix) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix + "journal (id, pos, msg_type, "
                    + "content_type, payload, produced_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int n = 1; n <= 5; n++) {
                    ps.setString(1, id(n).toString());
                    if (n <= 3) {
                        ps.setLong(2, 100 + n);
                    } else {
                        ps.setNull(2, Types.BIGINT);
                    }
                    ps.setString(3, "t.type" + n);
                    ps.setString(4, "application/x-" + n);
                    ps.setBytes(5, payload(n));
                    ps.setLong(6, 1_700_000_000_000L + n);
                    ps.executeUpdate();
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + prefix + "sequencer (name, last_pos, owner, updated_at) VALUES ('orders', 103, 'sz-host', 42)");
                s.executeUpdate("INSERT INTO " + prefix + "consumer (consumer_name, pos, last_seen, state) VALUES ('billing', 102, 8, 'ACTIVE')");
            }
        }
    }

    /** An offset mid-stream (after position 102, id 2), one without an id, a dead letter and a claim. */
    private static void fillConsumer(DataSource ds, String prefix) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix + "offset (consumer_name, producer_name,"
                    + " pos, message_id, updated_at) VALUES (?, 'orders', ?, ?, ?)")) {
                ps.setString(1, "billing");
                ps.setLong(2, 102);
                ps.setString(3, id(2).toString());
                ps.setLong(4, 5);
                ps.executeUpdate();
                ps.setString(1, "audit");
                ps.setLong(2, 0);
                ps.setNull(3, Types.CHAR);
                ps.setLong(4, 6);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix + "dead_letter (consumer_name, producer_name,"
                    + " message_id, pos, msg_type, content_type, payload, produced_at, status, attempts, first_failed_at,"
                    + " last_failed_at, errors, discard_reason) VALUES ('billing', 'orders', ?, 101, 't.type1',"
                    + " 'application/x-1', ?, ?, 'PARKED', 3, 10, 20, ?, NULL)")) {
                ps.setString(1, id(1).toString());
                ps.setBytes(2, payload(1));
                ps.setLong(3, 1_700_000_000_001L);
                ps.setString(4, "[{\"error\":\"boom\"}]");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix + "processed (consumer_name, effect_name,"
                    + " message_id, status, claimed_at) VALUES ('billing', 'mail', ?, 'DONE', 7)")) {
                ps.setString(1, id(3).toString());
                ps.executeUpdate();
            }
        }
    }

    // ---------------------------------------------------------------- inspecting

    private static long count(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> rows(DataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /**
     * A table's shape from {@link DatabaseMetaData}: its columns in order (name, JDBC and database type, size,
     * nullability), its primary key and its indexes (name if StrongZero named it, uniqueness, columns, filter); on
     * PostgreSQL also each index's definition and the table's storage options.
     */
    private List<String> shape(DataSource ds, String table) throws SQLException {
        return shape(dialect(), ds, table);
    }

    /** {@link #shape(DataSource, String)} on a database of {@code dialect}; for the other migration suites. */
    static List<String> shape(Dialect dialect, DataSource ds, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            String catalog = c.getCatalog();
            String schema = c.getSchema();
            try (ResultSet rs = meta.getColumns(catalog, schema, name, "%")) {
                while (rs.next()) {
                    out.add("column " + rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT)
                            + " " + rs.getInt("DATA_TYPE") + " " + rs.getString("TYPE_NAME") + "(" + rs.getInt("COLUMN_SIZE")
                            + ") nullable=" + rs.getString("IS_NULLABLE"));
                }
            }
            try (ResultSet rs = meta.getPrimaryKeys(catalog, schema, name)) {
                while (rs.next()) {
                    out.add("primary key " + rs.getInt("KEY_SEQ") + " " + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            try (ResultSet rs = meta.getIndexInfo(catalog, schema, name, false, false)) {
                while (rs.next()) {
                    String index = rs.getString("INDEX_NAME");
                    if (index == null) {
                        continue;
                    }
                    index = index.toLowerCase(Locale.ROOT);
                    out.add("index " + (index.startsWith("sz_") ? index : "(unnamed)") + " unique="
                            + !rs.getBoolean("NON_UNIQUE") + " " + rs.getInt("ORDINAL_POSITION") + " "
                            + String.valueOf(rs.getString("COLUMN_NAME")).toLowerCase(Locale.ROOT)
                            + " filter=" + rs.getString("FILTER_CONDITION"));
                }
            }
            if (dialect == Dialect.POSTGRESQL) {
                try (PreparedStatement ps = c.prepareStatement("SELECT indexname, replace(indexdef, schemaname || '.', '')"
                        + " FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add("pg index " + rs.getString(1) + ": " + rs.getString(2));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT array_to_string(c.reloptions, ',') FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ?")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add("pg options " + rs.getString(1));
                        }
                    }
                }
            }
        }
        out.sort(null);
        assertFalse(out.isEmpty(), "no metadata for " + table);
        return out;
    }
}
