package io.strongzero.consumer.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.FailureRecord;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.internal.HeaderCodec;
import io.strongzero.core.internal.StoreTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter table: a consumer's parked, blocking, replay-requested and discarded messages with their
 * error history. No statement differs between the built-in dialects, so it takes none: the row limit of
 * {@link #list} is the driver's {@link PreparedStatement#setMaxRows}, which every JDBC driver honours. Stateless
 * apart from its table name; thread-safe. Internal API.
 */
public final class DeadLetterStore {

    /** History kept per message: the first few and the last many attempts. */
    public static final int KEEP_FIRST = 5;
    public static final int KEEP_LAST = 15;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "consumer_name, producer_name, message_id, pos, msg_type, content_type, payload, "
            + "produced_at, status, attempts, first_failed_at, last_failed_at, errors, discard_reason, msg_key, headers";

    private final String table;
    private final String offsetTable;

    public DeadLetterStore(String prefix) {
        this.table = StoreTable.name(prefix, "dead_letter");
        this.offsetTable = OffsetStore.tableName(prefix);
    }

    public String table() {
        return table;
    }

    /** The columns the consumer needs, for schema verification. */
    public static String[] columns() {
        return COLUMNS.split(", ");
    }

    /** Keeps the first {@link #KEEP_FIRST} and last {@link #KEEP_LAST} records. */
    public static List<FailureRecord> bound(List<FailureRecord> errors) {
        if (errors.size() <= KEEP_FIRST + KEEP_LAST) {
            return List.copyOf(errors);
        }
        List<FailureRecord> out = new ArrayList<>(errors.subList(0, KEEP_FIRST));
        out.addAll(errors.subList(errors.size() - KEEP_LAST, errors.size()));
        return out;
    }

    public void insert(Connection c, String consumer, String producer, Envelope e, DeadLetter.Status status,
                       List<FailureRecord> errors) throws SQLException {
        List<FailureRecord> kept = bound(errors);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)")) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            ps.setBytes(3, e.id().toBytes());
            ps.setLong(4, e.position());
            ps.setString(5, e.type());
            ps.setString(6, e.contentType());
            ps.setBytes(7, e.payload());
            ps.setLong(8, e.producedAt());
            ps.setString(9, status.name());
            ps.setInt(10, errors.isEmpty() ? 0 : errors.get(errors.size() - 1).attempt());
            ps.setLong(11, kept.isEmpty() ? 0 : kept.get(0).at().toEpochMilli());
            ps.setLong(12, kept.isEmpty() ? 0 : kept.get(kept.size() - 1).at().toEpochMilli());
            ps.setString(13, toJson(kept));
            ps.setString(14, e.key());
            HeaderCodec.bind(ps, 15, e.headers());
            ps.executeUpdate();
        }
    }

    /** Rows for a consumer, optionally filtered, ordered by producer and position. */
    public List<DeadLetter> list(Connection c, String consumer, String producer, String type, DeadLetter.Status status,
                                 int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + table + " WHERE consumer_name = ?");
        List<Object> args = new ArrayList<>();
        args.add(consumer);
        if (producer != null) {
            sql.append(" AND producer_name = ?");
            args.add(producer);
        }
        if (type != null) {
            sql.append(" AND msg_type = ?");
            args.add(type);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        sql.append(" ORDER BY producer_name, pos");
        List<DeadLetter> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, (String) args.get(i));
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    public DeadLetter get(Connection c, String consumer, String producer, FlakeId messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                + " WHERE consumer_name = ? AND producer_name = ? AND message_id = ?")) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            ps.setBytes(3, messageId.toBytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        }
    }

    /** The message blocking a producer's stream, if any. */
    public DeadLetter blocking(Connection c, String consumer, String producer) throws SQLException {
        List<DeadLetter> l = list(c, consumer, producer, null, DeadLetter.Status.BLOCKING, 1);
        return l.isEmpty() ? null : l.get(0);
    }

    /**
     * A dead letter that holds back its key (or stream): its key (null if none), position, type, and whether it is
     * BLOCKING (else a replay of it was requested).
     */
    public record Hold(String key, long position, String type, boolean blocking) {
    }

    /**
     * The dead letters of a stream that hold back what follows them: BLOCKING, and REPLAY_REQUESTED (a replay asked
     * for and not yet carried out), in position order.
     */
    public List<Hold> holds(Connection c, String consumer, String producer) throws SQLException {
        List<Hold> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT msg_key, pos, msg_type, status FROM " + table + " WHERE consumer_name = ? "
                + "AND producer_name = ? AND status IN ('BLOCKING', 'REPLAY_REQUESTED') ORDER BY pos")) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Hold(rs.getString(1), rs.getLong(2), rs.getString(3),
                            DeadLetter.Status.BLOCKING.name().equals(rs.getString(4))));
                }
            }
        }
        return out;
    }

    /** Deletes a row if it still has the expected status; true if deleted. */
    public boolean delete(Connection c, String consumer, String producer, FlakeId messageId, DeadLetter.Status expected)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                + " WHERE consumer_name = ? AND producer_name = ? AND message_id = ? AND status = ?")) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            ps.setBytes(3, messageId.toBytes());
            ps.setString(4, expected.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks a row that has status {@code expected} as DISCARDED with a reason; true if it was. */
    public boolean discard(Connection c, String consumer, String producer, FlakeId messageId, DeadLetter.Status expected,
                           String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET status = 'DISCARDED', discard_reason = ? "
                + "WHERE consumer_name = ? AND producer_name = ? AND message_id = ? AND status = ?")) {
            ps.setString(1, reason);
            ps.setString(2, consumer);
            ps.setString(3, producer);
            ps.setBytes(4, messageId.toBytes());
            ps.setString(5, expected.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** Appends the failures of a replay attempt and bumps the attempt count. */
    public void recordFailure(Connection c, DeadLetter letter, FailureRecord failure) throws SQLException {
        List<FailureRecord> errors = new ArrayList<>(letter.errors());
        errors.add(failure);
        List<FailureRecord> kept = bound(errors);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET attempts = ?, last_failed_at = ?, errors = ? "
                + "WHERE consumer_name = ? AND producer_name = ? AND message_id = ?")) {
            ps.setInt(1, failure.attempt());
            ps.setLong(2, failure.at().toEpochMilli());
            ps.setString(3, toJson(kept));
            ps.setString(4, letter.consumer());
            ps.setString(5, letter.producer());
            ps.setBytes(6, letter.id().toBytes());
            ps.executeUpdate();
        }
    }

    /** Marks a PARKED or BLOCKING row REPLAY_REQUESTED; true if it was. */
    public boolean requestReplay(Connection c, String consumer, String producer, FlakeId messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET status = 'REPLAY_REQUESTED' "
                + "WHERE consumer_name = ? AND producer_name = ? AND message_id = ? AND status IN ('PARKED', 'BLOCKING')")) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            ps.setBytes(3, messageId.toBytes());
            return ps.executeUpdate() == 1;
        }
    }

    /** Sets a row's status. */
    public void setStatus(Connection c, String consumer, String producer, FlakeId messageId, DeadLetter.Status status)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET status = ? "
                + "WHERE consumer_name = ? AND producer_name = ? AND message_id = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, consumer);
            ps.setString(3, producer);
            ps.setBytes(4, messageId.toBytes());
            ps.executeUpdate();
        }
    }

    /** Removes a row whatever its status (before recording a new failure of the same message). */
    public DeadLetter remove(Connection c, String consumer, String producer, FlakeId messageId) throws SQLException {
        DeadLetter existing = get(c, consumer, producer, messageId);
        if (existing != null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                    + " WHERE consumer_name = ? AND producer_name = ? AND message_id = ?")) {
                ps.setString(1, consumer);
                ps.setString(2, producer);
                ps.setBytes(3, messageId.toBytes());
                ps.executeUpdate();
            }
        }
        return existing;
    }

    public long count(Connection c, String consumer, DeadLetter.Status status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table
                + " WHERE consumer_name = ?" + (status == null ? "" : " AND status = ?"))) {
            ps.setString(1, consumer);
            if (status != null) {
                ps.setString(2, status.name());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Dead letters of {@code consumer} that still wait for an operator or a replay: every status but DISCARDED. */
    public long countOpen(Connection c, String consumer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table
                + " WHERE consumer_name = ? AND status <> 'DISCARDED'")) {
            ps.setString(1, consumer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The consumers with a row in the offset table (written when a consumer starts a stream) or in the
     * dead-letter table, in the database's name order, each once.
     */
    public List<String> knownConsumers(Connection c) throws SQLException {
        return names(c, "SELECT consumer_name FROM " + offsetTable + " UNION SELECT consumer_name FROM "
                + table + " ORDER BY 1", null);
    }

    /** The producers {@code consumer} has an offset row or a dead letter for, in the database's name order, each once. */
    public List<String> knownProducers(Connection c, String consumer) throws SQLException {
        return names(c, "SELECT producer_name FROM " + offsetTable + " WHERE consumer_name = ? UNION "
                + "SELECT producer_name FROM " + table + " WHERE consumer_name = ? ORDER BY 1", consumer);
    }

    private static List<String> names(Connection c, String sql, String consumer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (consumer != null) {
                ps.setString(1, consumer);
                ps.setString(2, consumer);
            }
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    private static DeadLetter read(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getString(1), rs.getString(2), FlakeId.fromBytes(rs.getBytes(3)), rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getBytes(7), Instant.ofEpochMilli(rs.getLong(8)),
                DeadLetter.Status.valueOf(rs.getString(9)), rs.getInt(10), Instant.ofEpochMilli(rs.getLong(11)),
                Instant.ofEpochMilli(rs.getLong(12)), fromJson(rs.getString(13)), rs.getString(14), rs.getString(15),
                HeaderCodec.decode(rs.getBytes(16)).asMap());
    }

    static String toJson(List<FailureRecord> errors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FailureRecord f : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attempt", f.attempt());
            m.put("at", f.at().toString());
            m.put("exception", f.exceptionClass());
            m.put("message", f.message());
            m.put("stack", f.stack());
            out.add(m);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<FailureRecord> fromJson(String json) {
        try {
            List<Map<String, Object>> in = JSON.readValue(json, new TypeReference<List<Map<String, Object>>>() { });
            List<FailureRecord> out = new ArrayList<>();
            for (Map<String, Object> m : in) {
                out.add(new FailureRecord(((Number) m.get("attempt")).intValue(), Instant.parse((String) m.get("at")),
                        (String) m.get("exception"), (String) m.get("message"), (String) m.get("stack")));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of(new FailureRecord(0, Instant.EPOCH, "unreadable", "the errors column is not the expected JSON: "
                    + e.getMessage(), ""));
        }
    }
}
