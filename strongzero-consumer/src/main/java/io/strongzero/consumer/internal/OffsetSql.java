package io.strongzero.consumer.internal;

import io.strongzero.core.Schema;
import io.strongzero.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL for the consumer's offset table. Internal API. */
public final class OffsetSql {

    private final String table;
    private final String select;
    private final String insert;
    private final String advance;

    public OffsetSql(String prefix) {
        table = Schema.validatePrefix(prefix) + "offset";
        select = "SELECT pos FROM " + table + " WHERE consumer_name = ? AND producer_name = ?";
        insert = "INSERT INTO " + table + " (consumer_name, producer_name, pos, message_id, updated_at) VALUES (?, ?, 0, NULL, ?)";
        advance = "UPDATE " + table + " SET pos = ?, message_id = ?, updated_at = ? "
                + "WHERE consumer_name = ? AND producer_name = ? AND pos = ?";
    }

    public String table() {
        return table;
    }

    /** The committed position, creating the row at 0 if it is missing. Runs in auto-commit mode. */
    public long loadOrCreate(Connection c, String consumer, String producer, long now) throws SQLException {
        Long pos = load(c, consumer, producer);
        if (pos != null) {
            return pos;
        }
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            ps.setLong(3, now);
            ps.executeUpdate();
            return 0;
        } catch (SQLException e) {
            if (!Jdbc.isIntegrityViolation(e)) {
                throw e;
            }
        }
        pos = load(c, consumer, producer);
        if (pos == null) {
            throw new SQLException("offset row of consumer " + consumer + " for producer " + producer + " vanished");
        }
        return pos;
    }

    /** The committed position, or null if there is no row. */
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
    public boolean advance(Connection c, String consumer, String producer, long expected, long position,
                           String messageId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(advance)) {
            ps.setLong(1, position);
            ps.setString(2, messageId);
            ps.setLong(3, now);
            ps.setString(4, consumer);
            ps.setString(5, producer);
            ps.setLong(6, expected);
            return ps.executeUpdate() == 1;
        }
    }
}
