package io.strongzero.consumer.internal;

import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.internal.HeaderCodec;
import io.strongzero.core.internal.StoreTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The held table: messages of a key that a BLOCKING dead letter holds back, when a consumer applies in lanes. A
 * message is moved here in the transaction that moves its lane's position past it, and leaves it in the
 * transaction that applies it (or dead-letters it) once the blocking message was replayed or discarded. Keyless
 * messages are held under a NULL key, as one key. Stateless apart from its statement texts; thread-safe. Internal
 * API.
 */
public final class HeldStore {

    private static final String COLUMNS = "consumer_name, producer_name, pos, message_id, msg_type, content_type, "
            + "msg_key, headers, payload, produced_at, held_at";

    private final String table;
    private final String insert;
    private final String nextOfKey;
    private final String nextOfNoKey;
    private final String delete;
    private final String keys;
    private final String count;

    public HeldStore(String prefix) {
        this.table = StoreTable.name(prefix, "held");
        String read = "SELECT pos, message_id, msg_type, content_type, msg_key, headers, payload, produced_at FROM "
                + table + " WHERE consumer_name = ? AND producer_name = ? AND ";
        insert = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        nextOfKey = read + "msg_key = ? ORDER BY pos";
        nextOfNoKey = read + "msg_key IS NULL ORDER BY pos";
        delete = "DELETE FROM " + table + " WHERE consumer_name = ? AND producer_name = ? AND pos = ?";
        keys = "SELECT DISTINCT msg_key FROM " + table + " WHERE consumer_name = ? AND producer_name = ?";
        count = "SELECT COUNT(*) FROM " + table + " WHERE consumer_name = ?";
    }

    /** The held table's name for a table prefix (validated). */
    public static String tableName(String prefix) {
        return StoreTable.name(prefix, "held");
    }

    public String table() {
        return table;
    }

    /** The columns the consumer needs, for schema verification. */
    public static String[] columns() {
        return COLUMNS.split(", ");
    }

    /** Holds {@code e} (in the transaction of {@code c}). */
    public void insert(Connection c, String consumer, String producer, Envelope e, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            ps.setLong(3, e.position());
            ps.setBytes(4, e.id().toBytes());
            ps.setString(5, e.type());
            ps.setString(6, e.contentType());
            ps.setString(7, e.key());
            HeaderCodec.bind(ps, 8, e.headers());
            ps.setBytes(9, e.payload());
            ps.setLong(10, e.producedAt());
            ps.setLong(11, now);
            ps.executeUpdate();
        }
    }

    /** The held message of {@code key} (null: the keyless ones) with the lowest position, or null if none. */
    public Envelope next(Connection c, String consumer, String producer, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(key == null ? nextOfNoKey : nextOfKey)) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            if (key != null) {
                ps.setString(3, key);
            }
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Envelope(rs.getLong(1), FlakeId.fromBytes(rs.getBytes(2)), rs.getString(3), rs.getString(4),
                        rs.getBytes(7), rs.getLong(8), rs.getString(5), HeaderCodec.decode(rs.getBytes(6)));
            }
        }
    }

    /** Removes the held message at {@code position}; false if it was not there. */
    public boolean delete(Connection c, String consumer, String producer, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(delete)) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            ps.setLong(3, position);
            return ps.executeUpdate() == 1;
        }
    }

    /** The keys with held messages (null among them for keyless ones). */
    public List<String> keys(Connection c, String consumer, String producer) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(keys)) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Messages held for {@code consumer}, all producers. */
    public long count(Connection c, String consumer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(count)) {
            ps.setString(1, consumer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public String toString() {
        return table;
    }
}
