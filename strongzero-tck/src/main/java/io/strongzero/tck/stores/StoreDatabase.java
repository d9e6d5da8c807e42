package io.strongzero.tck.stores;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
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

    /**
     * Ids whose bytes take values of 0x80 and above (where a signed byte comparison disagrees with FlakeId order),
     * in a fixed shuffled order: for every byte after the first (the time part's top bit must stay clear), ids that
     * differ only there by 0x00, 0x01, 0x7F, 0x80, 0x81 and 0xFF, and ids with random bytes.
     */
    public static List<FlakeId> highBitIds() {
        List<FlakeId> ids = new ArrayList<>();
        byte[] base = FlakeId.fromBits(0x0000_0190_1234_5678L, 0x1234_5678_9ABC_DEF0L).toBytes();
        for (int position = 1; position < FlakeId.BYTES; position++) {
            for (int value : new int[] {0x00, 0x01, 0x7F, 0x80, 0x81, 0xFF}) {
                byte[] bytes = base.clone();
                bytes[position] = (byte) value;
                FlakeId id = FlakeId.fromBytes(bytes);
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        SplittableRandom random = new SplittableRandom(0x5EED_B17EL);
        for (int i = 0; i < 30; i++) {
            byte[] bytes = new byte[FlakeId.BYTES];
            for (int b = 0; b < bytes.length; b++) {
                bytes[b] = (byte) random.nextInt(256);
            }
            bytes[0] &= 0x7F;
            ids.add(FlakeId.fromBytes(bytes));
        }
        Collections.shuffle(ids, new Random(42));
        return List.copyOf(ids);
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
            ps.setBytes(1, id.toBytes());
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

    /** Every journal row's position (0 for a waiting row), by id (its text form), in the database's id order. */
    public Map<String, Long> positions() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, pos FROM sz_journal ORDER BY id")) {
            while (rs.next()) {
                out.put(FlakeId.fromBytes(rs.getBytes(1)).toString(), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * The ids (a binary id column, the query's first) a query returns, in its order; its parameters are bound as
     * {@link #update} binds them.
     */
    public List<FlakeId> ids(String sql, Object... params) throws SQLException {
        List<FlakeId> out = new ArrayList<>();
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(FlakeId.fromBytes(rs.getBytes(1)));
                }
            }
        }
        return out;
    }

    /**
     * Every row of a query as its columns joined with {@code |}, in the query's order; each column read as a string
     * and trimmed (a CHAR column is padded), a binary column (a Flake id) as the id's text form, null as
     * {@code null}.
     */
    public List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            int columns = meta.getColumnCount();
            while (rs.next()) {
                StringJoiner row = new StringJoiner("|");
                for (int i = 1; i <= columns; i++) {
                    if (isBinary(meta.getColumnType(i))) {
                        byte[] value = rs.getBytes(i);
                        row.add(value == null ? null : FlakeId.fromBytes(value).toString());
                    } else {
                        String value = rs.getString(i);
                        row.add(value == null ? null : value.trim());
                    }
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static boolean isBinary(int type) {
        return type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB;
    }

    /**
     * Runs one statement in auto-commit mode with its parameters (a {@link FlakeId} bound as its 16 bytes, a
     * {@link Long} or {@link Integer} as a number, anything else as a string); returns the update count.
     */
    public int update(String sql, Object... params) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof FlakeId id) {
                ps.setBytes(i + 1, id.toBytes());
            } else if (p instanceof Long || p instanceof Integer) {
                ps.setLong(i + 1, ((Number) p).longValue());
            } else {
                ps.setString(i + 1, String.valueOf(p));
            }
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
