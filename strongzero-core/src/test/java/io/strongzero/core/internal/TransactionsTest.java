package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TransactionsTest {

    private JdbcDataSource ds;
    private Connection keepAlive;

    @BeforeEach
    void setUp() throws SQLException {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tx-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        keepAlive = ds.getConnection();
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE TABLE t (k INT PRIMARY KEY)");
        }
    }

    @AfterEach
    void tearDown() throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN");
        }
        keepAlive.close();
    }

    private int rows() throws SQLException {
        try (Statement s = keepAlive.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void insert(Connection c, int k) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES (" + k + ")");
        }
    }

    @Test
    void workThatSucceedsIsCommittedAndAutoCommitIsRestored() throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertTrue(c.getAutoCommit());
            int result = Transactions.inTransaction(c, x -> {
                assertFalse(x.getAutoCommit(), "the work runs in a transaction");
                insert(x, 1);
                insert(x, 2);
                return 42;
            });
            assertEquals(42, result);
            assertTrue(c.getAutoCommit());
        }
        assertEquals(2, rows());
    }

    @Test
    void workThatFailsIsRolledBackAndItsExceptionIsThrownUnchanged() throws SQLException {
        SQLException thrown = new SQLException("boom", "42000");
        try (Connection c = ds.getConnection()) {
            SQLException e = assertThrows(SQLException.class, () -> Transactions.useTransaction(c, x -> {
                insert(x, 1);
                throw thrown;
            }));
            assertSame(thrown, e);
            assertTrue(c.getAutoCommit());
            IllegalStateException r = new IllegalStateException("bug");
            assertSame(r, assertThrows(IllegalStateException.class, () -> Transactions.useTransaction(c, x -> {
                insert(x, 2);
                throw r;
            })));
            assertTrue(c.getAutoCommit());
        }
        assertEquals(0, rows());
    }

    @Test
    void aConnectionThatWasNotInAutoCommitModeIsLeftThatWay() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            Transactions.useTransaction(c, x -> insert(x, 1));
            assertFalse(c.getAutoCommit());
            Transactions.useAutoCommit(c, x -> {
                assertTrue(x.getAutoCommit(), "auto-commit work runs in auto-commit mode");
                insert(x, 2);
            });
            assertFalse(c.getAutoCommit());
        }
        assertEquals(2, rows());
    }

    @Test
    void isolationIsSetForTheWorkAndRestoredOnEveryPath() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            int seen = Transactions.inTransaction(c, Connection.TRANSACTION_READ_COMMITTED, Connection::getTransactionIsolation);
            assertEquals(Connection.TRANSACTION_READ_COMMITTED, seen);
            assertEquals(Connection.TRANSACTION_SERIALIZABLE, c.getTransactionIsolation());
            assertThrows(SQLException.class, () -> Transactions.inTransaction(c, Connection.TRANSACTION_READ_COMMITTED, x -> {
                throw new SQLException("fails");
            }));
            assertEquals(Connection.TRANSACTION_SERIALIZABLE, c.getTransactionIsolation());
            assertTrue(c.getAutoCommit());
        }
    }

    @Test
    void aFailedRollbackAndAFailedRestoreAreAttachedToTheOriginalExceptionNotThrownInstead() throws SQLException {
        try (Connection real = ds.getConnection()) {
            List<String> calls = new ArrayList<>();
            Connection c = failing(real, Set.of("rollback", "setAutoCommit:true"), calls);
            SQLException original = new SQLException("the work failed");
            SQLException e = assertThrows(SQLException.class, () -> Transactions.useTransaction(c, x -> {
                throw original;
            }));
            assertSame(original, e);
            assertEquals(2, e.getSuppressed().length, List.of(e.getSuppressed()).toString());
            assertTrue(e.getSuppressed()[0].getMessage().contains("rollback refused"), e.getSuppressed()[0].getMessage());
            assertTrue(e.getSuppressed()[1].getMessage().contains("setAutoCommit:true refused"), e.getSuppressed()[1].getMessage());
            assertEquals(List.of("setAutoCommit:false", "rollback", "setAutoCommit:true"), calls);
        }
    }

    @Test
    void aFailedCommitRollsBackAndIsThrown() throws SQLException {
        try (Connection real = ds.getConnection()) {
            List<String> calls = new ArrayList<>();
            Connection c = failing(real, Set.of("commit"), calls);
            SQLException e = assertThrows(SQLException.class, () -> Transactions.useTransaction(c, x -> insert(x, 1)));
            assertTrue(e.getMessage().contains("commit refused"), e.getMessage());
            assertEquals(List.of("setAutoCommit:false", "commit", "rollback", "setAutoCommit:true"), calls);
            assertTrue(real.getAutoCommit());
        }
        assertEquals(0, rows());
    }

    @Test
    void aFailedRestoreAfterSuccessfulWorkIsThrown() throws SQLException {
        try (Connection real = ds.getConnection()) {
            Connection c = failing(real, Set.of("setAutoCommit:true"), new ArrayList<>());
            SQLException e = assertThrows(SQLException.class, () -> Transactions.useTransaction(c, x -> insert(x, 1)));
            assertTrue(e.getMessage().contains("setAutoCommit:true refused"), e.getMessage());
        }
        assertEquals(1, rows(), "the commit happened before the restore failed");
    }

    @Test
    void theDataSourceVariantsCloseTheirConnection() throws SQLException {
        Connection[] used = new Connection[2];
        Transactions.inTransaction(ds, c -> {
            used[0] = c;
            insert(c, 1);
            return null;
        });
        Transactions.autoCommit(ds, c -> {
            used[1] = c;
            insert(c, 2);
            return null;
        });
        assertTrue(used[0].isClosed());
        assertTrue(used[1].isClosed());
        assertEquals(2, rows());
    }

    /** A connection that records transaction-control calls and refuses those named in {@code refuse}. */
    private static Connection failing(Connection real, Set<String> refuse, List<String> calls) {
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            String call = name.equals("setAutoCommit") ? name + ":" + args[0] : name;
            if (Set.of("setAutoCommit", "commit", "rollback").contains(name)) {
                calls.add(call);
            }
            if (refuse.contains(call)) {
                if (name.equals("setAutoCommit") || name.equals("rollback")) {
                    // keep the real connection consistent for the assertions after the call
                    method.invoke(real, args);
                }
                throw new SQLException(call + " refused");
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(TransactionsTest.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }
}
