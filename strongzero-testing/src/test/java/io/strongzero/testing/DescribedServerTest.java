package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * A database described through {@link TestDatabase#server}, as a new dialect's tests describe theirs: here an H2
 * "server" (one in-memory database, a schema per instance) stands for it. The extension contract runs on it as on
 * the built-in databases, and the tests below check what only a described server does.
 */
class DescribedServerTest extends DatabaseExtensionContract {

    private static final String ADMIN_URL = "jdbc:h2:mem:described_kit;DB_CLOSE_DELAY=-1";
    /** The database without the setting only its admin may make (it stays made while the JVM runs). */
    private static final String USER_URL = "jdbc:h2:mem:described_kit";

    /** H2 described as a server: a schema per instance in one in-memory database. */
    static final TestDatabase H2_SERVER = TestDatabase.server("H2_SERVER", Dialect.H2)
            .url(ADMIN_URL)
            .createSchema("CREATE SCHEMA {schema}")
            .dropSchema("DROP SCHEMA IF EXISTS {schema} CASCADE")
            .schemaUrl(ADMIN_URL + ";SCHEMA={schema}")
            .driver("com.h2database:h2")
            .build();

    /** A schema per instance owned by a user of its own, connected to as that user (as on Oracle). */
    static final TestDatabase H2_USERS = TestDatabase.server("H2_USERS", Dialect.H2)
            .url(ADMIN_URL)
            .createSchema("CREATE USER {schema} PASSWORD 'pw-fixed'", "CREATE SCHEMA {schema} AUTHORIZATION {schema}")
            .dropSchema("DROP SCHEMA IF EXISTS {schema} CASCADE", "DROP USER IF EXISTS {schema}")
            .schemaUrl(USER_URL + ";SCHEMA={schema}")
            .schemaUser("{schema}", "pw-fixed")
            .build();

    @Override
    protected DatabaseExtension perTest() {
        return new DatabaseExtension(H2_SERVER, false) { };
    }

    @Override
    protected DatabaseExtension perClass() {
        return new DatabaseExtension(H2_SERVER, true) { };
    }

    @Override
    protected TestDatabase database() {
        return H2_SERVER;
    }

    @Override
    protected boolean exists(TestDatabase.Instance instance) throws SQLException {
        return schemaExists(instance.schema());
    }

    private static boolean schemaExists(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA "
                     + "WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, schema.toUpperCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aDescribedServerKeepsItsNameAndDialectAndIsNoBuiltInDatabase() {
        assertEquals("H2_SERVER", H2_SERVER.name());
        assertEquals("H2_SERVER", H2_SERVER.toString());
        assertSame(Dialect.H2, H2_SERVER.dialect());
        assertFalse(java.util.Arrays.asList(TestDatabase.values()).contains(H2_SERVER));
        assertThrows(IllegalArgumentException.class, () -> TestDatabase.valueOf("H2_SERVER"));
    }

    @Test
    void anInstanceConnectsToItsOwnSchemaWhereTheDialectsDdlRuns() throws SQLException {
        try (TestDatabase.Instance db = H2_SERVER.create("ddl")) {
            assertEquals(ADMIN_URL + ";SCHEMA=" + db.schema(), db.jdbcUrl());
            assertNull(db.user());
            assertNull(db.password());
            Schema.create(db.dataSource(), db.database().dialect(), Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
            try (Connection c = db.dataSource().getConnection()) {
                assertEquals(db.schema().toUpperCase(Locale.ROOT), query(c, "SELECT CURRENT_SCHEMA"));
                assertEquals("0", query(c, "SELECT COUNT(*) FROM sz_journal"));
            }
        }
    }

    @Test
    void aSharedInstanceOfAServerIsAnOrdinaryOne() throws SQLException {
        TestDatabase.Instance db = H2_SERVER.createShared("shared");
        try {
            assertEquals(ADMIN_URL + ";SCHEMA=" + db.schema(), db.jdbcUrl());
            assertTrue(schemaExists(db.schema()));
        } finally {
            db.close();
        }
        assertFalse(schemaExists(db.schema()));
    }

    @Test
    void everyCreateStatementRunsInOrderAndThePoolConnectsAsTheSchemasUser() throws SQLException {
        TestDatabase.Instance db = H2_USERS.create("users");
        try {
            assertEquals(db.schema(), db.user());
            assertEquals("pw-fixed", db.password());
            assertTrue(schemaExists(db.schema()));
        } finally {
            db.close();
        }
        assertFalse(schemaExists(db.schema()), "the schema is dropped");
        try (Connection c = DriverManager.getConnection(ADMIN_URL);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ?")) {
            ps.setString(1, db.schema().toUpperCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "every drop statement ran: the user is gone too");
            }
        }
    }

    @Test
    void whenThePoolCannotLogInWhatTheCreateStatementsMadeIsDroppedAgain() throws SQLException {
        // the create statements set one password, the description another; the last drop statement leaves a trace
        TestDatabase wrongPassword = TestDatabase.server("H2_WRONG", Dialect.H2)
                .url(ADMIN_URL)
                .createSchema("CREATE USER {schema} PASSWORD 'right'", "CREATE SCHEMA {schema} AUTHORIZATION {schema}")
                .dropSchema("DROP SCHEMA IF EXISTS {schema} CASCADE", "DROP USER IF EXISTS {schema}",
                        "CREATE TABLE PUBLIC.dropped_{schema} (n INT)")
                .schemaUrl(USER_URL + ";SCHEMA={schema}")
                .schemaUser("{schema}", "wrong")
                .build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> wrongPassword.create("wrong"));
        assertTrue(String.valueOf(e.getMessage()).contains("Wrong user name or password"), String.valueOf(e));
        try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
            assertEquals("1", query(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
                    + "WHERE TABLE_NAME LIKE 'DROPPED_SZ_WRONG_%'"), "every drop statement ran once");
            assertEquals("0", query(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME LIKE 'SZ_WRONG_%'"));
            assertEquals("0", query(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME LIKE 'SZ_WRONG_%'"));
        }
    }

    @Test
    void anUnreachableServerSkipsItsTestsWithOneLineOrFailsThemWhenRequired() {
        TestDatabase down = TestDatabase.server("H2_DOWN", Dialect.H2)
                .url("jdbc:h2:tcp://127.0.0.1:1/nothing")
                .createSchema("CREATE SCHEMA {schema}")
                .dropSchema("DROP SCHEMA IF EXISTS {schema} CASCADE")
                .schemaUrl("jdbc:h2:tcp://127.0.0.1:1/nothing;SCHEMA={schema}")
                .build();
        Class<? extends Throwable> expected = TestDatabase.required() ? AssertionFailedError.class
                : TestAbortedException.class;
        Throwable assumed = assertThrows(expected, down::assumeAvailable);
        String message = assumed.getMessage();
        assertTrue(message.startsWith("H2_DOWN is not reachable at jdbc:h2:tcp://127.0.0.1:1/nothing ("), message);
        assertTrue(message.contains("): start the server, or describe one that runs (TestDatabase.server, "
                + "docs/testing.md)"), message);
        assertFalse(message.contains("\n"), "one line: " + message);
        assertEquals(message, assertThrows(expected, () -> down.create("never")).getMessage(),
                "create skips or fails the same way, without looking again");
    }

    @Test
    void theBuilderRefusesAnIncompleteOrAmbiguousDescriptionNamingTheSetting() {
        assertEquals("name must not be blank but was ' '",
                assertThrows(IllegalArgumentException.class, () -> TestDatabase.server(" ", Dialect.H2)).getMessage());
        assertEquals("dialect must not be null",
                assertThrows(IllegalArgumentException.class, () -> TestDatabase.server("X", null)).getMessage());
        ServerBuilder b = TestDatabase.server("X", Dialect.H2);
        assertEquals("url must be a JDBC URL (jdbc:...) but was 'h2:mem:x'",
                assertThrows(IllegalArgumentException.class, () -> b.url("h2:mem:x")).getMessage());
        assertEquals("createSchema must name the schema as {schema} but was [CREATE SCHEMA s]",
                assertThrows(IllegalArgumentException.class, () -> b.createSchema("CREATE SCHEMA s")).getMessage());
        assertEquals("dropSchema needs one or more statements, none blank, but was []",
                assertThrows(IllegalArgumentException.class, () -> b.dropSchema()).getMessage());
        assertEquals("X: url, createSchema, dropSchema, schemaUrl must be set",
                assertThrows(IllegalStateException.class, b::build).getMessage());

        b.url(ADMIN_URL).createSchema("CREATE SCHEMA {schema}").dropSchema("DROP SCHEMA {schema} CASCADE")
                .schemaUrl(ADMIN_URL);
        IllegalStateException shared = assertThrows(IllegalStateException.class, b::build);
        assertTrue(shared.getMessage().contains("must name {schema}, or every instance would connect to the same schema"),
                shared.getMessage());
        assertEquals("X", b.schemaUser("{schema}", "pw").build().name(), "a schema named by its user is enough");
    }
}
