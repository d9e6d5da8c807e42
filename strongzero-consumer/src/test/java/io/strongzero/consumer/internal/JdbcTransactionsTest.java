package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.ConsumerTransactions;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class JdbcTransactionsTest {

    private final JdbcDataSource db = new JdbcDataSource();

    JdbcTransactionsTest() throws SQLException {
        db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x INT)");
        }
    }

    private long rows() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insert(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (1)");
        }
    }

    @Test
    void commitsWhenTheWorkReturnsAndPutsAutoCommitBack() throws Exception {
        Connection[] seen = new Connection[1];
        String r = ConsumerTransactions.jdbc().inTransaction(db, c -> {
            assertTrue(!c.getAutoCommit());
            seen[0] = c;
            insert(c);
            return "done";
        });
        assertEquals("done", r);
        assertEquals(1, rows());
        assertTrue(seen[0].isClosed());
    }

    @Test
    void rollsBackAndRethrowsWhatTheWorkThrew() throws SQLException {
        IllegalStateException failure = new IllegalStateException("no");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> ConsumerTransactions.jdbc().inTransaction(db, c -> {
                    insert(c);
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertEquals(0, rows());
    }

    @Test
    void noConnectionIsUnavailableWithTheDriversException() {
        SQLException refused = new SQLException("connection refused");
        DataSource down = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw refused;
                });
        ConsumerTransactions.Unavailable u = assertThrows(ConsumerTransactions.Unavailable.class,
                () -> ConsumerTransactions.jdbc().inTransaction(down, c -> null));
        assertSame(refused, u.getCause());
    }
}
