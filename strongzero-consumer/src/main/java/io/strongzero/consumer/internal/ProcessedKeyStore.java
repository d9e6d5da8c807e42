package io.strongzero.consumer.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.internal.StoreTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The processed-keys table of the idempotency guard: one row per (consumer, effect, message) claim, CLAIMED
 * until the effect ran, then DONE. Each method is one statement (or, for {@link #claim}, an insert and a read)
 * and is meant for auto-commit mode, so a claim is committed before the effect runs. Stateless apart from its
 * statement texts; thread-safe. Internal API.
 */
public final class ProcessedKeyStore {

    private final StoreTable table;
    private final String insert;
    private final String status;
    private final String done;
    private final String release;
    private final String deleteOlder;

    public ProcessedKeyStore(Dialect dialect, String prefix) {
        table = StoreTable.of(dialect, prefix, "processed");
        String t = table.name();
        insert = "INSERT INTO " + t
                + " (consumer_name, effect_name, message_id, status, claimed_at) VALUES (?, ?, ?, 'CLAIMED', ?)";
        status = "SELECT status FROM " + t + " WHERE consumer_name = ? AND effect_name = ? AND message_id = ?";
        done = "UPDATE " + t + " SET status = 'DONE' WHERE consumer_name = ? AND effect_name = ? AND message_id = ?";
        release = "DELETE FROM " + t + " WHERE consumer_name = ? AND effect_name = ? AND message_id = ?";
        deleteOlder = "DELETE FROM " + t + " WHERE consumer_name = ? AND claimed_at < ?";
    }

    /** The processed-keys table's name for a table prefix (validated). */
    public static String tableName(String prefix) {
        return StoreTable.name(prefix, "processed");
    }

    public String table() {
        return table.name();
    }

    /** The columns the guard needs, for schema verification. */
    public static String[] columns() {
        return new String[] {"consumer_name", "effect_name", "message_id", "status", "claimed_at"};
    }

    /**
     * Inserts a CLAIMED row stamped {@code now}. Returns null if this call claimed it; else (the key exists)
     * the existing row's status, CLAIMED or DONE, or CLAIMED if the row vanished between the insert and the read.
     */
    public String claim(Connection c, String consumer, String effect, FlakeId messageId, long now) throws SQLException {
        if (table.insertIfAbsent(c, insert, ps -> {
            ps.setString(1, consumer);
            ps.setString(2, effect);
            ps.setBytes(3, messageId.toBytes());
            ps.setLong(4, now);
        })) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement(status)) {
            ps.setString(1, consumer);
            ps.setString(2, effect);
            ps.setBytes(3, messageId.toBytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "CLAIMED";
            }
        }
    }

    /** Marks a claim DONE (the effect ran). */
    public void markDone(Connection c, String consumer, String effect, FlakeId messageId) throws SQLException {
        execute(c, done, consumer, effect, messageId);
    }

    /** Removes a claim (the effect failed, so a retry runs it again). */
    public void release(Connection c, String consumer, String effect, FlakeId messageId) throws SQLException {
        execute(c, release, consumer, effect, messageId);
    }

    /** Deletes {@code consumer}'s claims made before {@code cutoff} (epoch millis); returns how many. */
    public int deleteClaimedBefore(Connection c, String consumer, long cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(deleteOlder)) {
            ps.setString(1, consumer);
            ps.setLong(2, cutoff);
            return ps.executeUpdate();
        }
    }

    private static void execute(Connection c, String sql, String consumer, String effect, FlakeId messageId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, consumer);
            ps.setString(2, effect);
            ps.setBytes(3, messageId.toBytes());
            ps.executeUpdate();
        }
    }
}
