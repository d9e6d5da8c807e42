package io.strongzero.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaTest {

    /** The names a DDL script creates: tables, indexes and MariaDB's inline unique keys. */
    private static final Pattern CREATED_NAME =
            Pattern.compile("(?:CREATE (?:UNIQUE )?(?:TABLE|INDEX) (?:IF NOT EXISTS )?|UNIQUE KEY )([A-Za-z0-9_]+)");

    private final List<Connection> keepAlive = new ArrayList<>();

    @AfterEach
    void dropDatabases() throws SQLException {
        for (Connection c : keepAlive) {
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    // ---------------------------------------------------------------- prefix

    static java.util.List<Dialect> dialects() {
        return Dialect.values();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sz_", "orders_sz_", "a", "A1", "x_y_z", "abcdefghijklmnopqrstuvwxyz0123"})
    void validatePrefixAcceptsALetterFollowedByWordCharacters(String prefix) {
        assertEquals(prefix, Schema.validatePrefix(prefix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1x", "a b", "x;drop", "", "_sz", "sz-", "sz.", "\u00e4_", "abcdefghijklmnopqrstuvwxyz01234",
        "abcdefghijklmnopqrstuvwxyz012345678901234567890123456789", "sz_\n", " sz_"})
    void validatePrefixRejectsAnythingElseNamingTheValueAndTheRule(String prefix) {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, () -> Schema.validatePrefix(prefix));
        assertTrue(e.getMessage().contains("tablePrefix"), e.getMessage());
        assertTrue(e.getMessage().contains("but was '" + prefix + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("a letter followed by at most 29 letters, digits or underscores"),
                e.getMessage());
    }

    @Test
    void validatePrefixRejectsNull() {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, () -> Schema.validatePrefix(null));
        assertTrue(e.getMessage().contains("but was 'null'"), e.getMessage());
    }

    // ---------------------------------------------------------------- DDL resources

    @Test
    void resourcePathNamesTheDialectAndSide() {
        assertEquals("io/strongzero/sql/h2/producer.sql", Schema.resource(Dialect.H2, Schema.Side.PRODUCER));
        assertEquals("io/strongzero/sql/postgresql/consumer.sql",
                Schema.resource(Dialect.POSTGRESQL, Schema.Side.CONSUMER));
        assertEquals("io/strongzero/sql/mariadb/producer.sql", Schema.resource(Dialect.MARIADB, Schema.Side.PRODUCER));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void ddlWithTheDefaultPrefixIsTheShippedResource(Dialect dialect) throws Exception {
        for (Schema.Side side : Schema.Side.values()) {
            String resource = Schema.resource(dialect, side);
            String shipped;
            try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
                assertTrue(in != null, resource + " is missing");
                shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertEquals(shipped, Schema.ddl(dialect, side, Schema.DEFAULT_PREFIX));
        }
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void ddlWithACustomPrefixRewritesEveryTableAndIndexName(Dialect dialect) {
        for (Schema.Side side : Schema.Side.values()) {
            String defaultDdl = Schema.ddl(dialect, side, Schema.DEFAULT_PREFIX);
            String custom = Schema.ddl(dialect, side, "app_");
            assertFalse(custom.toLowerCase(Locale.ROOT).contains("sz_"), custom);

            List<String> defaultNames = createdNames(defaultDdl);
            List<String> customNames = createdNames(custom);
            assertFalse(defaultNames.isEmpty(), "no table found in " + Schema.resource(dialect, side));
            assertEquals(defaultNames.size(), customNames.size());
            for (int i = 0; i < defaultNames.size(); i++) {
                assertTrue(defaultNames.get(i).startsWith("sz_"), defaultNames.get(i));
                assertEquals("app_" + defaultNames.get(i).substring(3), customNames.get(i));
            }
            // Columns (pos, msg_type, ...) are untouched: only the prefix changed.
            assertEquals(defaultDdl.replace("sz_", "app_"), custom);
        }
    }

    @Test
    void ddlWithAPrefixContainingTheDefaultKeepsTheNamesWellFormed() {
        String custom = Schema.ddl(Dialect.H2, Schema.Side.PRODUCER, "orders_sz_");
        List<String> names = createdNames(custom);
        assertTrue(names.contains("orders_sz_journal"), names.toString());
        assertTrue(names.contains("orders_sz_journal_pos"), names.toString());
        assertTrue(names.contains("orders_sz_sequencer"), names.toString());
        assertFalse(custom.contains("orders_orders_"), custom);
    }

    @Test
    void ddlRefusesAnInvalidPrefix() {
        assertThrows(StrongZeroConfigException.class, () -> Schema.ddl(Dialect.H2, Schema.Side.PRODUCER, "x;drop"));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void statementsSplitsEveryShippedScriptIntoCommentFreeStatements(Dialect dialect) {
        for (Schema.Side side : Schema.Side.values()) {
            String ddl = Schema.ddl(dialect, side, Schema.DEFAULT_PREFIX);
            List<String> statements = Schema.statements(ddl);
            long expected = ddl.lines().map(l -> l.replaceAll("--.*", "").strip()).filter(l -> l.endsWith(";")).count();
            assertEquals(expected, statements.size(), ddl);
            assertTrue(statements.size() >= 1);
            for (String stmt : statements) {
                assertFalse(stmt.contains("--"), stmt);
                assertFalse(stmt.endsWith(";"), stmt);
                assertFalse(stmt.contains(";"), stmt);
                assertEquals(stmt.strip(), stmt);
                String upper = stmt.toUpperCase(Locale.ROOT);
                // CREATE ... IF NOT EXISTS, or a storage setting (PostgreSQL journal autovacuum)
                assertTrue(upper.startsWith("CREATE ") || upper.startsWith("ALTER TABLE ") && upper.contains(" SET ("), stmt);
            }
            // producer: journal, sequencer, consumer progress; consumer: offset, dead letters, held messages, idempotency
            // claims
            assertEquals(side == Schema.Side.PRODUCER ? 3 : 4,
                    statements.stream().filter(s -> s.toUpperCase(Locale.ROOT).startsWith("CREATE TABLE")).count());
        }
    }

    @Test
    void statementsDropsCommentsAndKeepsAStatementWithoutAFinalSemicolon() {
        String ddl = "-- header\n"
                + "CREATE TABLE a (x INT); -- trailing\n"
                + "\n"
                + "   -- indented comment\n"
                + "CREATE TABLE b (\n"
                + "  y INT -- the y\n"
                + ");\r\n"
                + "CREATE INDEX c ON b (y)";
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (\n  y INT\n)", "CREATE INDEX c ON b (y)"),
                Schema.statements(ddl));
        assertEquals(List.of(), Schema.statements("-- only a comment\n\n"));
        assertEquals(List.of(), Schema.statements(""));
    }

    // ---------------------------------------------------------------- H2

    @Test
    @Timeout(60)
    void createThenVerifySucceedsOnH2AndCreateIsIdempotent() throws SQLException {
        JdbcDataSource ds = h2();
        for (int round = 0; round < 2; round++) {
            Schema.create(ds, Dialect.H2, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
            Schema.create(ds, Dialect.H2, Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        }
        Schema.verifyTable(ds, Dialect.H2, Schema.Side.PRODUCER, "sz_journal",
                "id", "pos", "msg_type", "content_type", "payload", "produced_at");
        Schema.verifyTable(ds, Dialect.H2, Schema.Side.PRODUCER, "sz_sequencer", "name", "last_pos", "owner",
                "updated_at");
        Schema.verifyTable(ds, Dialect.H2, Schema.Side.CONSUMER, "sz_offset", "consumer_name", "producer_name", "pos",
                "message_id", "updated_at");
        assertEquals(List.of("SZ_CONSUMER", "SZ_DEAD_LETTER", "SZ_HELD", "SZ_JOURNAL", "SZ_OFFSET", "SZ_PROCESSED",
                "SZ_SEQUENCER"), tables(ds));
    }

    @Test
    @Timeout(60)
    void createKeepsExistingRowsWhenRunAgain() throws SQLException {
        JdbcDataSource ds = h2();
        Schema.create(ds, Dialect.H2, Schema.Side.PRODUCER, "orders_");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders_sequencer (name, last_pos, owner, updated_at) VALUES ('journal', 7, NULL, 1)");
        }
        Schema.create(ds, Dialect.H2, Schema.Side.PRODUCER, "orders_");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_pos FROM orders_sequencer")) {
            assertTrue(rs.next());
            assertEquals(7, rs.getLong(1));
        }
        assertEquals(List.of("ORDERS_CONSUMER", "ORDERS_JOURNAL", "ORDERS_SEQUENCER"), tables(ds));
    }

    @Test
    @Timeout(60)
    void createRunsOnAManualCommitConnectionAndRestoresItsAutoCommitSetting() throws SQLException {
        JdbcDataSource h2 = h2();
        List<Boolean> autoCommitAtClose = new ArrayList<>();
        DataSource manualCommit = dataSource(() -> {
            Connection c = h2.getConnection();
            c.setAutoCommit(false);
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            autoCommitAtClose.add(c.getAutoCommit());
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        });
        Schema.create(manualCommit, Dialect.H2, Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        assertEquals(List.of(false), autoCommitAtClose);
        // The tables are visible from another connection: the DDL was committed.
        Schema.verifyTable(h2, Dialect.H2, Schema.Side.CONSUMER, "sz_offset", "pos");
        Schema.verifyTable(manualCommit, Dialect.H2, Schema.Side.CONSUMER, "sz_offset", "pos");
        assertEquals(List.of(false, false), autoCommitAtClose);
    }

    @Test
    @Timeout(60)
    void verifyTableOnAMissingTableNamesTheTableAndTheDdlResource() {
        JdbcDataSource ds = h2();
        StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class,
                () -> Schema.verifyTable(ds, Dialect.H2, Schema.Side.PRODUCER, "sz_journal", "id", "pos"));
        assertEquals("sz_journal", e.table());
        assertTrue(e.getMessage().contains("table sz_journal"), e.getMessage());
        assertTrue(e.getMessage().contains("io/strongzero/sql/h2/producer.sql"), e.getMessage());
        assertTrue(e.getMessage().contains("id, pos"), e.getMessage());
        assertTrue(e.sqlState() != null && e.sqlState().startsWith("42"), "SQLState " + e.sqlState());
    }

    @Test
    @Timeout(60)
    void verifyTableOnAMissingColumnNamesTheTableAndTheDdlResource() {
        JdbcDataSource ds = h2();
        Schema.create(ds, Dialect.H2, Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class,
                () -> Schema.verifyTable(ds, Dialect.H2, Schema.Side.CONSUMER, "sz_offset", "pos", "no_such_column"));
        assertEquals("sz_offset", e.table());
        assertTrue(e.getMessage().contains("io/strongzero/sql/h2/consumer.sql"), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_column"), e.getMessage());
    }

    @Test
    @Timeout(60)
    void createOnAnUnreachableDatabaseThrowsAStorageExceptionNamingTheResourceAndSqlState() {
        DataSource down = dataSource(() -> {
            throw new SQLException("connection refused", "08001");
        });
        StrongZeroStorageException e = assertThrows(StrongZeroStorageException.class,
                () -> Schema.create(down, Dialect.POSTGRESQL, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX));
        assertTrue(e.getMessage().contains("io/strongzero/sql/postgresql/producer.sql"), e.getMessage());
        assertTrue(e.getMessage().contains("SQLState 08001"), e.getMessage());
        assertEquals("08001", e.sqlState());
    }

    @Test
    @Timeout(60)
    void verifyTableOnAnUnreachableDatabaseThrowsAStorageExceptionThatDoesNotBlameMissingTables() {
        DataSource down = dataSource(() -> {
            throw new SQLException("connection refused", "08001");
        });
        StrongZeroStorageException e = assertThrows(StrongZeroStorageException.class,
                () -> Schema.verifyTable(down, Dialect.MARIADB, Schema.Side.CONSUMER, "sz_offset", "pos"));
        assertEquals("08001", e.sqlState());
        assertFalse(e instanceof StrongZeroSchemaException, e.getMessage());
        assertTrue(e.getMessage().contains("cannot open a connection to check the table sz_offset"), e.getMessage());
        assertFalse(e.getMessage().contains("consumer.sql"), "no advice to run the DDL: " + e.getMessage());
    }

    // ---------------------------------------------------------------- journal format 1

    @Test
    void migrationResourceNamesTheDialectAndSide() {
        assertEquals("io/strongzero/sql/h2/migrate-1-to-2-producer.sql",
                Schema.migrationResource(Dialect.H2, Schema.Side.PRODUCER));
        assertEquals("io/strongzero/sql/postgresql/migrate-1-to-2-consumer.sql",
                Schema.migrationResource(Dialect.POSTGRESQL, Schema.Side.CONSUMER));
        assertEquals("io/strongzero/sql/mariadb/migrate-1-to-2-producer.sql",
                Schema.migrationResource(Dialect.MARIADB, Schema.Side.PRODUCER));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void migrationWithACustomPrefixRewritesEveryNameAndSplitsIntoTheSameStatements(Dialect dialect) throws Exception {
        for (Schema.Side side : Schema.Side.values()) {
            String resource = Schema.migrationResource(dialect, side);
            try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
                assertTrue(in != null, resource + " is missing");
                assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        Schema.migration(dialect, side, Schema.DEFAULT_PREFIX));
            }
            String migration = Schema.migration(dialect, side, Schema.DEFAULT_PREFIX);
            String custom = Schema.migration(dialect, side, "app_");
            assertFalse(custom.toLowerCase(Locale.ROOT).contains("sz_"), custom);
            assertEquals(migration.replace("sz_", "app_"), custom);
            List<String> statements = Schema.statements(migration);
            long expected = migration.lines().map(l -> l.replaceAll("--.*", "").strip()).filter(l -> l.endsWith(";")).count();
            assertEquals(expected, statements.size(), migration);
            // every table with a Flake id is rewritten: journal (producer); offset, dead letters, claims (consumer)
            long copies = statements.stream().filter(st -> st.matches("(?s)INSERT INTO sz_\\w+_f2 .*")).count();
            assertEquals(side == Schema.Side.PRODUCER ? 1 : 3, copies, migration);
            // and the first statements are the guard that refuses tables already in format 2
            assertTrue(statements.get(1).startsWith("INSERT INTO sz_migration_guard SELECT"), statements.get(1));
        }
    }

    // ---------------------------------------------------------------- lanes (issue 17)

    @Test
    void laneMigrationResourceNamesTheDialect() {
        assertEquals("io/strongzero/sql/h2/migrate-offset-lanes.sql", Schema.laneMigrationResource(Dialect.H2));
        assertEquals("io/strongzero/sql/postgresql/migrate-offset-lanes.sql",
                Schema.laneMigrationResource(Dialect.POSTGRESQL));
        assertEquals("io/strongzero/sql/mariadb/migrate-offset-lanes.sql", Schema.laneMigrationResource(Dialect.MARIADB));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void laneMigrationWithACustomPrefixRewritesEveryNameAndStartsWithItsGuard(Dialect dialect) throws Exception {
        String resource = Schema.laneMigrationResource(dialect);
        try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " is missing");
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), Schema.laneMigration(dialect, "sz_"));
        }
        String migration = Schema.laneMigration(dialect, Schema.DEFAULT_PREFIX);
        String custom = Schema.laneMigration(dialect, "app_");
        assertFalse(custom.toLowerCase(Locale.ROOT).contains("sz_"), custom);
        assertEquals(migration.replace("sz_", "app_"), custom);
        List<String> statements = Schema.statements(custom);
        assertTrue(statements.get(0).contains("app_offset_already_has_lanes"), statements.get(0));
        assertTrue(statements.stream().skip(1).noneMatch(st -> st.contains("information_schema")), custom);
        assertTrue(statements.stream().anyMatch(st -> st.contains("PRIMARY KEY (consumer_name, producer_name, lane)")),
                custom);
        assertThrows(StrongZeroConfigException.class, () -> Schema.laneMigration(dialect, "x;drop"));
    }

    @Test
    void migrationRefusesAnInvalidPrefix() {
        assertThrows(StrongZeroConfigException.class,
                () -> Schema.migration(Dialect.H2, Schema.Side.CONSUMER, "x;drop"));
    }

    @Test
    @Timeout(60)
    void verifyTableRefusesAFormatOneTableWithHexTextIdsNamingTheMigrationAndLeavesItAsItIs() throws SQLException {
        JdbcDataSource ds = h2();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE app_journal (id CHAR(32) NOT NULL PRIMARY KEY, pos BIGINT, msg_type VARCHAR(255) NOT NULL,"
                    + " content_type VARCHAR(32) NOT NULL, payload VARBINARY(1000) NOT NULL, produced_at BIGINT NOT NULL)");
            s.execute("CREATE TABLE app_processed (consumer_name VARCHAR(128) NOT NULL, effect_name VARCHAR(128) NOT NULL,"
                    + " message_id CHAR(32) NOT NULL, status VARCHAR(8) NOT NULL, claimed_at BIGINT NOT NULL)");
        }
        // a format-1 journal also lacks msg_key and headers: the format is what the message must say
        StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, () -> Schema.verifyTable(ds,
                Dialect.H2, Schema.Side.PRODUCER, "app_journal", "id", "pos", "msg_key", "headers", "payload"));
        assertEquals("app_journal", e.table());
        assertTrue(e.needsMigration());
        assertEquals("table app_journal is in journal format 1 (its column id holds Flake ids as hex text) but this"
                + " version of StrongZero needs format 2 (16-byte ids); StrongZero does not convert tables by itself:"
                + " stop the pump, the producer and every sender of this journal, back the tables up, run"
                + " io/strongzero/sql/h2/migrate-1-to-2-producer.sql (inside strongzero-core.jar; it uses the prefix sz_,"
                + " Schema.migration() returns it with yours) as described in"
                + " docs/schema.md#migrating-from-format-1-to-format-2, then start them again", e.getMessage());
        StrongZeroSchemaException claims = assertThrows(StrongZeroSchemaException.class, () -> Schema.verifyTable(ds,
                Dialect.H2, Schema.Side.CONSUMER, "app_processed", "consumer_name", "effect_name", "message_id"));
        assertTrue(claims.needsMigration());
        assertTrue(claims.getMessage().contains("its column message_id"), claims.getMessage());
        assertTrue(claims.getMessage().contains("stop the consumers of this database"), claims.getMessage());
        assertTrue(claims.getMessage().contains("io/strongzero/sql/h2/migrate-1-to-2-consumer.sql"), claims.getMessage());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'APP_JOURNAL'"
                     + " AND COLUMN_NAME = 'ID'")) {
            assertTrue(rs.next());
            assertEquals("CHARACTER", rs.getString(1), "the check changes nothing");
        }
    }

    @Test
    @Timeout(60)
    void verifyTableOnABinaryIdTableWithoutTheKeyColumnsKeepsTheMissingColumnsMessage() throws SQLException {
        JdbcDataSource ds = h2();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sz_journal (id BINARY(16) NOT NULL PRIMARY KEY, pos BIGINT, payload VARBINARY(1000))");
        }
        StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, () -> Schema.verifyTable(ds,
                Dialect.H2, Schema.Side.PRODUCER, "sz_journal", "id", "pos", "msg_key", "headers", "payload"));
        assertFalse(e.needsMigration(), e.getMessage());
        assertTrue(e.getMessage().contains("is missing or lacks the columns id, pos, msg_key, headers, payload"),
                e.getMessage());
        assertTrue(e.getMessage().contains("io/strongzero/sql/h2/producer.sql"), e.getMessage());
        assertFalse(e.getMessage().contains("format 1"), e.getMessage());
        Schema.verifyTable(ds, Dialect.H2, Schema.Side.PRODUCER, "sz_journal", "id", "pos", "payload");
    }

    // ---------------------------------------------------------------- helpers

    private JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try {
            keepAlive.add(ds.getConnection());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ds;
    }

    /** Connections come from {@code source}; every other DataSource method is unsupported. */
    private static DataSource dataSource(ConnectionSource source) {
        return (DataSource) Proxy.newProxyInstance(SchemaTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && method.getParameterCount() == 0) {
                        return source.get();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private static List<String> tables(JdbcDataSource ds) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                     + "WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static List<String> createdNames(String ddl) {
        List<String> names = new ArrayList<>();
        Matcher m = CREATED_NAME.matcher(ddl);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
