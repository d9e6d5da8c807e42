package io.strongzero.tck.stores;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * A fresh schema of one side (the producer's journal, sequencer and consumer tables, or the consumer's tables;
 * with the prefix {@code sz_}) for one store test,
 * and the plain SQL the tests use to arrange and inspect rows without going through the store under test.
 */
final class StoreDatabase implements AutoCloseable {

    public static final String PREFIX = Schema.DEFAULT_PREFIX;

    private final TestDatabase.Instance instance;
    private final Dialect dialect;

    private StoreDatabase(TestDatabase.Instance instance, Dialect dialect) {
        this.instance = instance;
        this.dialect = dialect;
    }

    /** A fresh isolated database with the shipped DDL of {@code side} in {@code database}'s dialect. */
    public static StoreDatabase create(TestDatabase database, Schema.Side side, String purpose) {
        TestDatabase.Instance instance = database.create(purpose);
        try {
            Schema.create(instance.dataSource(), database.dialect(), side, PREFIX);
        } catch (RuntimeException e) {
            instance.close();
            throw e;
        }
        return new StoreDatabase(instance, database.dialect());
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return instance.dataSource();
    }

    /** A connection in auto-commit mode. */
    public Connection connection() throws SQLException {
        Connection c = instance.dataSource().getConnection();
        c.setAutoCommit(true);
        return c;
    }

    /** A connection with an open READ COMMITTED transaction, as the pump holds one. */
    public Connection transaction() throws SQLException {
        Connection c = instance.dataSource().getConnection();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return c;
    }

    /** A Flake id whose order is given by {@code n} (the millisecond part). */
    public static FlakeId id(int n) {
        return FlakeId.of(1_700_000_000_000L + n, 7, 0);
    }

    /** A payload of {@code size} bytes, recognisable by {@code tag}. */
    public static byte[] payload(String tag, int size) {
        byte[] out = new byte[size];
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            out[i] = t[i % t.length];
        }
        return out;
    }

    /** Inserts a committed journal row, positioned when {@code position > 0}, else waiting. */
    public void journalRow(FlakeId id, long position, long producedAt, byte[] payload) throws SQLException {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO sz_journal (id, pos, msg_type, content_type, payload, "
                     + "produced_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id.toString());
            if (position > 0) {
                ps.setLong(2, position);
            } else {
                ps.setNull(2, java.sql.Types.BIGINT);
            }
            ps.setString(3, "t.row");
            ps.setString(4, "application/octet-stream");
            ps.setBytes(5, payload);
            ps.setLong(6, producedAt);
            ps.executeUpdate();
        }
    }

    /** Inserts a committed waiting row with a small payload. */
    public void waitingRow(FlakeId id) throws SQLException {
        journalRow(id, 0, 1, payload(id.toString(), 8));
    }

    /** Every journal row's position (0 for a waiting row), by id, in id order. */
    public Map<String, Long> positions() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, pos FROM sz_journal ORDER BY id")) {
            while (rs.next()) {
                out.put(rs.getString(1).trim(), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * Every row of a query as its columns joined with {@code |}, in the query's order; each column read as a string
     * and trimmed (a CHAR column is padded), null as {@code null}.
     */
    public List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringJoiner row = new StringJoiner("|");
                for (int i = 1; i <= columns; i++) {
                    String value = rs.getString(i);
                    row.add(value == null ? null : value.trim());
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /** Runs one statement in auto-commit mode; returns the update count. */
    public int update(String sql) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    /** The single number a query returns. */
    public long queryLong(String sql) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        instance.close();
    }
}
