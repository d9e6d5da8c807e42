package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.StrongZeroConfigException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StoreTableTest {

    @Test
    void nameIsThePrefixFollowedByTheSuffix() {
        StoreTable table = StoreTable.of(Dialect.H2, "app_", "offset");
        assertEquals("app_offset", table.name());
        assertEquals("sz_journal", StoreTable.name("sz_", "journal"));
        assertSame(Dialect.H2, table.dialect());
    }

    @Test
    void refusesAnInvalidPrefixAndANullDialect() {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                () -> StoreTable.of(Dialect.H2, "x; DROP TABLE y; --", "offset"));
        assertTrue(e.getMessage().startsWith("tablePrefix must be"), e.getMessage());
        assertThrows(StrongZeroConfigException.class, () -> StoreTable.name(null, "offset"));
        assertThrows(NullPointerException.class, () -> StoreTable.of(null, "sz_", "offset"));
    }

    @Test
    void insertIfAbsentInsertsOnceAndReportsATakenKeyAsFalse() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:store-table-" + UUID.randomUUID());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sz_t (k VARCHAR(10) PRIMARY KEY, v INT NOT NULL)");
            StoreTable table = StoreTable.of(Dialect.H2, "sz_", "t");
            String insert = "INSERT INTO sz_t (k, v) VALUES (?, ?)";
            assertTrue(table.insertIfAbsent(c, insert, ps -> {
                ps.setString(1, "a");
                ps.setInt(2, 1);
            }), "the first insert");
            assertFalse(table.insertIfAbsent(c, insert, ps -> {
                ps.setString(1, "a");
                ps.setInt(2, 2);
            }), "the same key again");
            try (ResultSet rs = s.executeQuery("SELECT v FROM sz_t WHERE k = 'a'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "the first row stays");
            }
        }
    }

    @Test
    void insertIfAbsentThrowsEveryOtherFailure() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:store-table-" + UUID.randomUUID());
        try (Connection c = ds.getConnection()) {
            StoreTable table = StoreTable.of(Dialect.H2, "sz_", "missing");
            assertThrows(SQLException.class, () -> table.insertIfAbsent(c, "INSERT INTO sz_missing (k) VALUES (?)",
                    ps -> ps.setString(1, "a")));
        }
    }
}
