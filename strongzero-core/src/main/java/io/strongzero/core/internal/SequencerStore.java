package io.strongzero.core.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The statements on one sequencer table ({@code <prefix>sequencer}) and the stamping of journal rows that
 * goes with them: the sequencer row holds the last assigned position, and its row lock serializes every
 * stamping transaction across all pumps of a journal. One instance per dialect and prefix; statements are
 * built once, here. Runs on the caller's connection and in its transaction; never commits. Thread-safe.
 * Internal API.
 */
public final class SequencerStore {

    /** The sequencer row's key (one journal per prefix). */
    public static final String ROW = "journal";

    /**
     * Who stamped last and when, as the sequencer row says.
     *
     * @param owner     the instance that stamped last (host:pid), or null if none did yet (or the row is missing)
     * @param updatedAt epoch ms of the last stamping (or of the row's creation), 0 if the row is missing
     */
    public record Owner(String owner, long updatedAt) {
    }

    private final StoreTable table;
    private final String journal;
    private final String head;
    private final String lock;
    private final String insert;
    private final String update;
    private final String owner;

    public SequencerStore(Dialect dialect, String prefix) {
        table = StoreTable.of(dialect, prefix, "sequencer");
        journal = StoreTable.name(prefix, "journal");
        String sequencer = table.name();
        head = "SELECT last_pos FROM " + sequencer + " WHERE name = ?";
        lock = dialect.lockingRead(head);
        insert = "INSERT INTO " + sequencer + " (name, last_pos, owner, updated_at) VALUES (?, 0, NULL, ?)";
        update = "UPDATE " + sequencer + " SET last_pos = ?, owner = ?, updated_at = ? WHERE name = ?";
        owner = "SELECT owner, updated_at FROM " + sequencer + " WHERE name = ?";
    }

    /** The sequencer table's name ({@code <prefix>sequencer}). */
    public String table() {
        return table.name();
    }

    /** Creates the sequencer row if it is missing (idempotent, safe under concurrency). */
    public void ensureRow(Connection c, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(head)) {
            ps.setString(1, ROW);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        table.insertIfAbsent(c, insert, ps -> {                  // false: another pump created it first, fine
            ps.setString(1, ROW);
            ps.setLong(2, now);
        });
    }

    /**
     * Locks the sequencer row for the rest of the transaction and returns the last assigned position.
     * Every stamping transaction takes this lock first, so stampings are serialized across all pumps.
     */
    public long lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lock)) {
            ps.setString(1, ROW);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the sequencer row '" + ROW + "' of " + table.name() + " is missing");
                }
                return rs.getLong(1);
            }
        }
    }

    /** The last assigned position (0 when nothing was stamped yet, or the row is missing), without a lock. */
    public long head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(head)) {
            ps.setString(1, ROW);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Who stamped last and when, without a lock. */
    public Owner owner(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(owner)) {
            ps.setString(1, ROW);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Owner(rs.getString(1), rs.getLong(2)) : new Owner(null, 0);
            }
        }
    }

    /**
     * Gives the journal rows {@code ids} the positions {@code firstPosition, firstPosition+1, ...} and records the
     * last one, the owner and the time in the sequencer row. Must run in the transaction that holds the
     * sequencer lock ({@link #lock}).
     *
     * @throws StrongZeroException if a row already had a position (something else writes {@code pos}); the
     *     caller rolls the transaction back
     */
    public void stamp(Connection c, List<FlakeId> ids, long firstPosition, String owner, long now) throws SQLException {
        int stamped = table.dialect().stamp(c, journal, ids, firstPosition);
        if (stamped != ids.size()) {
            throw new StrongZeroException(ids.size() - stamped + " of " + ids.size() + " journal rows of " + journal
                    + " were stamped concurrently although the sequencer lock was held; is another tool writing pos?");
        }
        try (PreparedStatement ps = c.prepareStatement(update)) {
            ps.setLong(1, firstPosition + ids.size() - 1);
            ps.setString(2, owner);
            ps.setLong(3, now);
            ps.setString(4, ROW);
            ps.executeUpdate();
        }
    }
}
