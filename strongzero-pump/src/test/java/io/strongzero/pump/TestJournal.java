package io.strongzero.pump;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.Schema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A journal in a private in-memory H2 database, for pump tests. Rows are written with plain JDBC, with the
 * columns a sender writes (the pump module cannot depend on the producer module, which depends on it), and
 * with ids from one {@link FlakeIdGenerator}, so ids taken later compare greater.
 */
final class TestJournal implements AutoCloseable {

    static final String TYPE = "test.Row";
    static final String CONTENT_TYPE = "application/json";

    private final JdbcDataSource dataSource = new JdbcDataSource();
    private final String prefix;
    private final FlakeIdGenerator ids = FlakeIdGenerator.create(42);

    private TestJournal(String prefix) {
        this.prefix = prefix;
        dataSource.setURL("jdbc:h2:mem:pump-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    }

    /** A journal database with the producer tables under the default prefix. */
    static TestJournal create() {
        return create(Schema.DEFAULT_PREFIX);
    }

    /** A journal database with the producer tables under {@code prefix}. */
    static TestJournal create(String prefix) {
        TestJournal j = new TestJournal(prefix);
        Schema.create(j.dataSource, Dialect.H2, Schema.Side.PRODUCER, prefix);
        return j;
    }

    /** A database without any table; the pump's tables would use {@code prefix}. */
    static TestJournal empty(String prefix) {
        return new TestJournal(prefix);
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** A pump builder for this journal: named, with its data source, dialect and prefix. */
    StrongZeroPump.Builder pump() {
        return StrongZeroPump.builder().name("orders").dataSource(dataSource).dialect(Dialect.H2).tablePrefix(prefix);
    }

    /** The next Flake id: greater than every id this journal handed out before. */
    FlakeId nextId() {
        return ids.next();
    }

    /** The payload written for {@code id}. */
    static byte[] payload(FlakeId id) {
        return ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The time written as {@code produced_at} for {@code id}: its own time stamp. */
    static long producedAt(FlakeId id) {
        return id.epochMillis();
    }

    /** Inserts a row for {@code id} on {@code c}, in the caller's transaction. */
    void insert(Connection c, FlakeId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix
                + "journal (id, msg_type, content_type, payload, produced_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setBytes(1, id.toBytes());
            ps.setString(2, TYPE);
            ps.setString(3, CONTENT_TYPE);
            ps.setBytes(4, payload(id));
            ps.setLong(5, producedAt(id));
            ps.executeUpdate();
        }
    }

    /** Inserts and commits a row for {@code id}. */
    void insertCommitted(FlakeId id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            insert(c, id);
        }
    }

    /** Inserts and commits {@code n} new rows, each in its own transaction; returns their ids in id order. */
    List<FlakeId> insertCommitted(int n) throws SQLException {
        List<FlakeId> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FlakeId id = nextId();
            insertCommitted(id);
            out.add(id);
        }
        return out;
    }

    /** An open transaction on a connection of its own (auto-commit off). */
    Connection openTransaction() throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    /** Every committed row's position (null while it has none), in Flake id order. */
    Map<FlakeId, Long> positions() throws SQLException {
        Map<FlakeId, Long> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, pos FROM " + prefix + "journal")) {
            while (rs.next()) {
                FlakeId id = FlakeId.fromBytes(rs.getBytes(1));
                long pos = rs.getLong(2);
                out.put(id, rs.wasNull() ? null : pos);
            }
        }
        return out;
    }

    /** The positions of {@code ids}, in the order given (null for a row without one). */
    List<Long> positionsOf(List<FlakeId> ids) throws SQLException {
        Map<FlakeId, Long> all = positions();
        List<Long> out = new ArrayList<>(ids.size());
        for (FlakeId id : ids) {
            out.add(all.get(id));
        }
        return out;
    }

    /** The last position recorded in the sequencer row, read with plain JDBC. */
    long sequencerHead() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_pos FROM " + prefix + "sequencer")) {
            if (!rs.next()) {
                throw new AssertionError("no sequencer row in " + prefix + "sequencer");
            }
            long head = rs.getLong(1);
            if (rs.next()) {
                throw new AssertionError("more than one sequencer row in " + prefix + "sequencer");
            }
            return head;
        }
    }

    /** Runs one statement with auto-commit. */
    void exec(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Drops the in-memory database. */
    @Override
    public void close() throws SQLException {
        exec("SHUTDOWN");
    }
}
