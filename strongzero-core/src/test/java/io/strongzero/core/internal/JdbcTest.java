package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JdbcTest {

    @Test
    void integrityViolationIsRecognisedBySqlStateClass23() {
        assertTrue(Jdbc.isIntegrityViolation(new SQLException("dup", "23505")));
        assertTrue(Jdbc.isIntegrityViolation(new SQLException("dup", "23000")));
        assertFalse(Jdbc.isIntegrityViolation(new SQLException("syntax", "42000")));
        assertFalse(Jdbc.isIntegrityViolation(new SQLException("no state")));
        assertFalse(Jdbc.isIntegrityViolation(new SQLException("class 2", "02000")));
    }

    @Test
    void integrityViolationIsFoundInTheChainOfNextExceptions() {
        SQLException batch = new SQLException("batch failed", "HY000");
        batch.setNextException(new SQLException("other", (String) null));
        batch.getNextException().setNextException(new SQLException("dup", "23505"));
        assertTrue(Jdbc.isIntegrityViolation(batch));
    }

    @Test
    @Timeout(30)
    void integrityViolationIsRecognisedForARealDuplicateKeyOnH2() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:jdbc-" + UUID.randomUUID());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (1)");
            SQLException duplicate = null;
            try {
                s.execute("INSERT INTO t VALUES (1)");
            } catch (SQLException e) {
                duplicate = e;
            }
            assertTrue(duplicate != null && Jdbc.isIntegrityViolation(duplicate), String.valueOf(duplicate));
        }
    }

    @Test
    @Timeout(30)
    void rollbackQuietlyUndoesTheTransaction() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:jdbc-" + UUID.randomUUID());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            c.setAutoCommit(false);
            s.execute("INSERT INTO t VALUES (1)");
            Jdbc.rollbackQuietly(c, null);
            try (var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1));
            }
        }
    }

    @Test
    void rollbackQuietlyAddsARollbackFailureAsSuppressedToThePrimary() {
        SQLException rollbackFailure = new SQLException("connection lost", "08006");
        List<String> calls = new ArrayList<>();
        Connection broken = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    return switch (method.getName()) {
                        case "getAutoCommit" -> false;
                        case "rollback" -> throw rollbackFailure;
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
        RuntimeException primary = new RuntimeException("handler failed");
        Jdbc.rollbackQuietly(broken, primary);
        assertEquals(List.of("getAutoCommit", "rollback"), calls);
        assertArrayEquals(new Throwable[] {rollbackFailure}, primary.getSuppressed());

        // Without a primary the failure is swallowed rather than thrown.
        Jdbc.rollbackQuietly(broken, null);
        assertEquals(4, calls.size());
    }

    @Test
    void rollbackQuietlySkipsAutoCommitConnectionsAndNull() {
        List<String> calls = new ArrayList<>();
        Connection autoCommit = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    if (method.getName().equals("getAutoCommit")) {
                        return true;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Jdbc.rollbackQuietly(autoCommit, null);
        assertEquals(List.of("getAutoCommit"), calls);
        Jdbc.rollbackQuietly(null, new RuntimeException());
    }
}
