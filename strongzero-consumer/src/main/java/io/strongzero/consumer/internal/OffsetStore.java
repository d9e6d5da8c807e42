package io.strongzero.consumer.internal;

import io.strongzero.consumer.PositionStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.internal.StoreTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The consumer's offset table: one row per (consumer, producer) with the last committed position, moved
 * only by compare-and-set. Stateless apart from its statement texts; thread-safe. Internal API.
 */
public final class OffsetStore implements PositionStore {

    private final StoreTable table;
    private final String select;
    private final String insert;
    private final String advance;

    public OffsetStore(Dialect dialect, String prefix) {
        table = StoreTable.of(dialect, prefix, "offset");
        String t = table.name();
        select = "SELECT pos FROM " + t + " WHERE consumer_name = ? AND producer_name = ?";
        insert = "INSERT INTO " + t + " (consumer_name, producer_name, pos, message_id, updated_at) VALUES (?, ?, 0, NULL, ?)";
        advance = "UPDATE " + t + " SET pos = ?, message_id = ?, updated_at = ? "
                + "WHERE consumer_name = ? AND producer_name = ? AND pos = ?";
    }

    /** The offset table's name for a table prefix (validated). */
    public static String tableName(String prefix) {
        return StoreTable.name(prefix, "offset");
    }

    public String table() {
        return table.name();
    }

    /** The table's name. */
    @Override
    public String toString() {
        return table.name();
    }

    /** The columns the consumer needs, for schema verification. */
    public static String[] columns() {
        return new String[] {"consumer_name", "producer_name", "pos", "message_id", "updated_at"};
    }

    /**
     * The committed position, creating the row at 0 if it is missing; another instance inserting the same row
     * first is not an error (its row is read). Runs in auto-commit mode.
     */
    @Override
    public long loadOrCreate(Connection c, String consumer, String producer, long now) throws SQLException {
        Long pos = load(c, consumer, producer);
        if (pos != null) {
            return pos;
        }
        if (table.insertIfAbsent(c, insert, ps -> {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            ps.setLong(3, now);
        })) {
            return 0;
        }
        pos = load(c, consumer, producer);
        if (pos == null) {
            throw new SQLException("offset row of consumer " + consumer + " for producer " + producer + " vanished");
        }
        return pos;
    }

    /** The committed position, or null if there is no row. */
    @Override
    public Long load(Connection c, String consumer, String producer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /**
     * Moves the offset from {@code expected} to {@code position}. Returns false if the row was not at
     * {@code expected} (another instance moved it, or an earlier transaction did not commit).
     */
    @Override
    public boolean advance(Connection c, String consumer, String producer, long expected, long position,
                           FlakeId messageId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(advance)) {
            ps.setLong(1, position);
            ps.setBytes(2, messageId.toBytes());
            ps.setLong(3, now);
            ps.setString(4, consumer);
            ps.setString(5, producer);
            ps.setLong(6, expected);
            return ps.executeUpdate() == 1;
        }
    }
}
