package io.strongzero.tck.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.consumer.internal.LanePositions;
import io.strongzero.consumer.internal.OffsetStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroSchemaException;
import io.strongzero.core.internal.SchemaStore;
import io.strongzero.tck.Pipeline;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lane migration of issue 17 on a real database: an offset table of format 2 made before lanes (the consumer
 * tables of StrongZero commit eab4259, kept as {@code prelanes-<dialect>-consumer.sql} next to this class) is refused
 * by the schema check and by a consumer's start (also with {@code createSchemaIfMissing(true)}) with a message naming
 * {@link Schema#laneMigrationResource}; {@link Schema#laneMigration} makes every row lane 0 of a 1-lane generation at
 * its position, with the primary key (consumer_name, producer_name, lane) and the shape of a fresh table; a second
 * run is refused by the script's guard and changes nothing; a custom prefix works; a format-1 table is still
 * reported as format 1.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class LaneMigrationContract {

    private final List<TestDatabase.Instance> instances = new ArrayList<>();

    /** @return the database this suite runs on */
    protected abstract TestDatabase database();

    @AfterEach
    void closeDatabases() {
        for (TestDatabase.Instance instance : instances) {
            instance.close();
        }
    }

    private static FlakeId id(int n) {
        return FlakeId.of(1_700_000_000_000L + n, 0xFEDC_BA98_7654L, 0x80F0 + n);
    }

    // ---------------------------------------------------------------- refusing a table without lanes

    @Test
    void theSchemaCheckRefusesAnOffsetTableWithoutLanesNamingTheScriptAndTheDocs() throws SQLException {
        DataSource ds = preLanes("sz_");
        fill(ds, "sz_");
        assertWithoutLanes(ds, "sz_offset");
        assertEquals(List.of("billing|orders|102", "audit|orders|0"), rows(ds, "sz_"), "refused, not altered");
    }

    @Test
    void aConsumerRefusesToStartOnAnOffsetTableWithoutLanesAlsoWithCreateSchemaIfMissing() throws SQLException {
        DataSource ds = preLanes("sz_");
        fill(ds, "sz_");
        for (boolean create : new boolean[] {false, true}) {
            try (StrongZeroConsumer consumer = Pipeline.consumerBuilder("billing", ds, "tcp://127.0.0.1:1", 0)
                    .createSchemaIfMissing(create).build()) {
                StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, consumer::start);
                assertTrue(e.needsMigration(), e.getMessage());
                assertEquals("sz_offset", e.table());
                assertTrue(e.getMessage().contains(Schema.laneMigrationResource(dialect())), e.getMessage());
            }
        }
        // CREATE TABLE IF NOT EXISTS left it as it was
        assertThrows(SQLException.class, () -> probe(ds, "sz_offset", "lane"));
        assertEquals(List.of("billing|orders|102", "audit|orders|0"), rows(ds, "sz_"));
    }

    @Test
    void aFormatOneOffsetTableIsReportedAsFormatOneNotAsLackingLanes() throws SQLException {
        TestDatabase.Instance instance = database().create("lanes1");
        instances.add(instance);
        run(instance.dataSource(), Schema.statements(resource("format1-" + dialect().shortName() + "-consumer.sql")));
        StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, () -> Schema.verifyTable(
                instance.dataSource(), dialect(), Schema.Side.CONSUMER, "sz_offset", OffsetStore.columns()));
        assertTrue(e.needsMigration(), e.getMessage());
        assertTrue(e.getMessage().contains("is in journal format 1"), e.getMessage());
        assertTrue(e.getMessage().contains(Schema.migrationResource(dialect(), Schema.Side.CONSUMER)), e.getMessage());
        assertFalse(e.getMessage().contains("lanes"), e.getMessage());
    }

    @Test
    void aTableMissingOtherColumnsIsReportedMissingNotAsLackingLanes() throws SQLException {
        DataSource ds = preLanes("sz_");
        StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, () -> Schema.verifyTable(ds,
                dialect(), Schema.Side.CONSUMER, "sz_offset", "consumer_name", "lane", "no_such_column"));
        assertFalse(e.needsMigration(), e.getMessage());
        assertTrue(e.getMessage().contains("is missing or lacks the columns"), e.getMessage());
    }

    // ---------------------------------------------------------------- migrating

    @Test
    void theMigrationMakesEveryRowLaneZeroOfOneAtItsPositionAndKeysTheTableByLane() throws SQLException {
        DataSource ds = preLanes("sz_");
        fill(ds, "sz_");
        migrate(ds, "sz_");
        assertMigrated(ds, "sz_");
    }

    @Test
    void aSecondRunIsRefusedByTheGuardOnItsFirstStatementAndChangesNothing() throws SQLException {
        DataSource ds = preLanes("sz_");
        fill(ds, "sz_");
        migrate(ds, "sz_");
        OffsetStore store = new OffsetStore(dialect(), "sz_");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            assertTrue(store.resetLanes(c, "billing", "orders", new LanePositions(1, new long[] {102}), 4, 102, 9));
            c.commit();
        }
        List<String> before = allRows(ds);
        List<String> statements = Schema.statements(Schema.laneMigration(dialect(), "sz_"));
        SQLException e = assertThrows(SQLException.class, () -> run(ds, statements.subList(0, 1)),
                "the guard is the first statement");
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("sz_offset_already_has_lanes"), e.getMessage());
        assertThrows(SQLException.class, () -> migrate(ds, "sz_"));
        assertEquals(before, allRows(ds), "nothing changed");
        assertFalse(tableExists(ds, "sz_lane_migration_guard"), "no guard table left behind");
        assertEquals(shape(fresh(), "sz_offset"), shape(ds, "sz_offset"));
    }

    @Test
    void theMigrationWithACustomPrefixMigratesThatPrefixsTable() throws SQLException {
        DataSource ds = preLanes("app_");
        fill(ds, "app_");
        assertWithoutLanes(ds, "app_offset");
        migrate(ds, "app_");
        assertMigrated(ds, "app_");
        SQLException e = assertThrows(SQLException.class, () -> migrate(ds, "app_"));
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("app_offset_already_has_lanes"), e.getMessage());
    }

    @Test
    void theMigratedTableHasTheShapeOfAFreshOne() throws SQLException {
        DataSource ds = preLanes("sz_");
        migrate(ds, "sz_");
        assertEquals(shape(fresh(), "sz_offset"), shape(ds, "sz_offset"));
    }

    // ---------------------------------------------------------------- checking

    private void assertWithoutLanes(DataSource ds, String table) {
        StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class,
                () -> Schema.verifyTable(ds, dialect(), Schema.Side.CONSUMER, table, OffsetStore.columns()));
        String m = e.getMessage();
        assertTrue(e.needsMigration(), m);
        assertEquals(table, e.table());
        assertTrue(m.contains("table " + table + " predates lanes (issue 17)"), m);
        assertTrue(m.contains("does not alter tables"), m);
        assertTrue(m.contains("stop the consumers of this database"), m);
        assertTrue(m.contains(Schema.laneMigrationResource(dialect())), m);
        assertTrue(m.contains("Schema.laneMigration()"), m);
        assertTrue(m.contains("docs/schema.md#adding-lanes-to-the-offset-table"), m);
        assertFalse(m.contains("is missing"), m);
    }

    /** Every row lane 0 of 1 at its position, the primary key (consumer_name, producer_name, lane), the store works. */
    private void assertMigrated(DataSource ds, String prefix) throws SQLException {
        assertEquals(List.of("audit|orders|0|1|0|null|6", "billing|orders|0|1|102|" + id(2) + "|5"), allRows(ds, prefix));
        assertEquals(List.of("consumer_name", "producer_name", "lane"), primaryKey(ds, prefix + "offset"));
        Schema.verifyTable(ds, dialect(), Schema.Side.CONSUMER, prefix + "offset", OffsetStore.columns());
        OffsetStore store = new OffsetStore(dialect(), prefix);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            assertEquals(new LanePositions(1, new long[] {102}), store.loadLanes(c, "billing", "orders"));
            assertEquals(102, store.load(c, "billing", "orders"));
            assertTrue(store.advance(c, "billing", "orders", 102, 103, id(3), 7), "a concurrency-1 consumer goes on");
            assertEquals(103, store.loadOrCreate(c, "billing", "orders", 8));
            assertNull(store.loadLanes(c, "nobody", "orders"));
        }
    }

    // ---------------------------------------------------------------- arranging

    private Dialect dialect() {
        return database().dialect();
    }

    /** A fresh database with the consumer tables as they were before lanes, under {@code prefix}. */
    private DataSource preLanes(String prefix) throws SQLException {
        TestDatabase.Instance instance = database().create("lanes0");
        instances.add(instance);
        String ddl = resource("prelanes-" + dialect().shortName() + "-consumer.sql");
        run(instance.dataSource(), Schema.statements(ddl.replaceAll("\\bsz_", prefix)));
        return instance.dataSource();
    }

    /** A fresh database with the shipped consumer DDL. */
    private DataSource fresh() {
        TestDatabase.Instance instance = database().create("lanesf");
        instances.add(instance);
        Schema.create(instance.dataSource(), dialect(), Schema.Side.CONSUMER, "sz_");
        return instance.dataSource();
    }

    private static String resource(String name) {
        try (InputStream in = LaneMigrationContract.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError(name + " is missing next to " + LaneMigrationContract.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void migrate(DataSource ds, String prefix) throws SQLException {
        run(ds, Schema.statements(Schema.laneMigration(dialect(), prefix)));
    }

    private static void run(DataSource ds, List<String> statements) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            SchemaStore.execute(c, statements);
        }
    }

    /** An offset mid-stream (after position 102, id 2) and one at 0 without an id. */
    private static void fill(DataSource ds, String prefix) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix
                + "offset (consumer_name, producer_name, pos, message_id, updated_at) VALUES (?, 'orders', ?, ?, ?)")) {
            c.setAutoCommit(true);
            ps.setString(1, "billing");
            ps.setLong(2, 102);
            ps.setBytes(3, id(2).toBytes());
            ps.setLong(4, 5);
            ps.executeUpdate();
            ps.setString(1, "audit");
            ps.setLong(2, 0);
            ps.setNull(3, Types.VARBINARY);
            ps.setLong(4, 6);
            ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- inspecting

    private static void probe(DataSource ds, String table, String... columns) throws SQLException {
        try (Connection c = ds.getConnection()) {
            SchemaStore.probe(c, table, columns);
        }
    }

    /** consumer|producer|pos of the pre-lanes rows, billing first. */
    private static List<String> rows(DataSource ds, String prefix) throws SQLException {
        return query(ds, "SELECT consumer_name, producer_name, pos FROM " + prefix + "offset ORDER BY pos DESC");
    }

    private static List<String> allRows(DataSource ds) throws SQLException {
        return allRows(ds, "sz_");
    }

    /** consumer|producer|lane|lanes|pos|message_id (hex, or null)|updated_at, in key order. */
    private static List<String> allRows(DataSource ds, String prefix) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT consumer_name, producer_name, lane, lanes, pos, message_id, updated_at"
                     + " FROM " + prefix + "offset ORDER BY consumer_name, producer_name, lane")) {
            while (rs.next()) {
                byte[] id = rs.getBytes(6);
                out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getInt(3) + "|" + rs.getInt(4) + "|"
                        + rs.getLong(5) + "|" + (id == null ? null : FlakeId.fromBytes(id)) + "|" + rs.getLong(7));
            }
        }
        return out;
    }

    private static List<String> query(DataSource ds, String sql) throws SQLException {
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

    /** The primary key's columns, in key order, lower case. */
    private static List<String> primaryKey(DataSource ds, String table) throws SQLException {
        List<String> columns = new ArrayList<>(List.of("", "", "", "", "", "", "", ""));
        int n = 0;
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            try (ResultSet rs = meta.getPrimaryKeys(c.getCatalog(), c.getSchema(), name)) {
                while (rs.next()) {
                    columns.set(rs.getInt("KEY_SEQ") - 1, rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    n++;
                }
            }
        }
        return columns.subList(0, n);
    }

    private static boolean tableExists(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            try (ResultSet rs = meta.getTables(c.getCatalog(), c.getSchema(), name, null)) {
                return rs.next();
            }
        }
    }

    private List<String> shape(DataSource ds, String table) throws SQLException {
        return MigrationContract.shape(dialect(), ds, table);
    }
}
