package io.strongzero.core.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Headers;
import io.strongzero.core.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The statements on one journal table ({@code <prefix>journal}): the sender's insert ({@link Writer}), the rows
 * that wait for a position (for the sequencer), the producer's read of an unbroken run of positions, and the
 * counts and deletes of the operator API. One instance per dialect and prefix; every statement is built once,
 * here, from validated identifiers, never from request data. Runs on the caller's connection and in its
 * transaction; never commits. Thread-safe. Internal API.
 */
public final class JournalStore {

    private static final Comparator<Envelope> BY_ID = Comparator.comparing(Envelope::id);

    private final Dialect dialect;
    private final String prefix;
    private final String journal;
    private final Writer writer;
    private final boolean sortWaitingRows;
    private final String anyWaiting;
    private final String waitingIds;
    private final String waitingRows;
    private final String read;
    private final String minPosition;
    private final String countWaiting;
    private final String countRows;
    private final String producedAt;
    private final String deleteRange;
    private final String firstPositionProducedSince;
    private final String upkeep;

    public JournalStore(Dialect dialect, String prefix) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.prefix = Schema.validatePrefix(prefix);
        this.writer = new Writer(prefix);
        journal = writer.journal;
        sortWaitingRows = dialect.sortsWaitingRowsInMemory();
        // Only "is there any": no ORDER BY, which would make H2 sort the whole waiting backlog; a literal limit, as
        // a plain statement (the pump runs it every pass, and a prepared LIMIT ? could get a generic plan)
        anyWaiting = dialect.limited("SELECT 1 FROM " + journal + " WHERE pos IS NULL", 1);
        waitingIds = dialect.waitingRows("id", journal, prefix);
        waitingRows = dialect.waitingRows("id, msg_type, content_type, payload, produced_at, msg_key, headers", journal,
                prefix);
        read = dialect.limited("SELECT pos, id, msg_type, content_type, payload, produced_at, msg_key, headers FROM "
                + journal
                + " WHERE pos > ? ORDER BY pos");
        minPosition = "SELECT MIN(pos) FROM " + journal;
        countWaiting = "SELECT COUNT(*) FROM " + journal + " WHERE pos IS NULL";
        countRows = "SELECT COUNT(*) FROM " + journal;
        producedAt = "SELECT produced_at FROM " + journal + " WHERE pos = ?";
        deleteRange = "DELETE FROM " + journal + " WHERE pos >= ? AND pos <= ?";
        firstPositionProducedSince = "SELECT MIN(pos) FROM " + journal + " WHERE pos IS NOT NULL AND produced_at >= ?";
        upkeep = dialect.journalUpkeep(journal);
    }

    /** The dialect the statements are written in. */
    public Dialect dialect() {
        return dialect;
    }

    /** The journal table's name ({@code <prefix>journal}). */
    public String table() {
        return journal;
    }

    /** Inserts one journal row on the caller's connection, in the caller's transaction; see {@link Writer#insert}. */
    public void insert(Connection c, FlakeId id, String type, String contentType, byte[] payload, long producedAt)
            throws SQLException {
        writer.insert(c, id, type, contentType, payload, producedAt, null, Headers.NONE);
    }

    /** As {@link #insert(Connection, FlakeId, String, String, byte[], long)}, with a key (or null) and headers. */
    public void insert(Connection c, FlakeId id, String type, String contentType, byte[] payload, long producedAt,
                       String key, Headers headers) throws SQLException {
        writer.insert(c, id, type, contentType, payload, producedAt, key, headers);
    }

    /**
     * Checks that the journal has the index the waiting-row statements of this dialect name (H2: the
     * {@code (pos, id)} index {@code <prefix>journal_unsequenced}; MariaDB: the unique key
     * {@code <prefix>journal_pos}; PostgreSQL names none).
     *
     * @throws SQLException with the DDL to run when it is missing
     */
    public void verifyIndexes(Connection c) throws SQLException {
        dialect.verifyWaitingRowsIndex(c, journal, prefix);
    }

    /** True if any committed row waits for a position (no lock taken). */
    public boolean anyWaiting(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(anyWaiting)) {
            return rs.next();
        }
    }

    /** Ids of committed rows without a position, in Flake id order, at most {@code limit}. */
    public List<FlakeId> waitingIds(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(waitingIds)) {
            ps.setInt(1, limit);
            List<FlakeId> ids = new ArrayList<>(Math.min(limit, 1024));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(FlakeId.fromBytes(rs.getBytes(1)));
                }
            }
            if (sortWaitingRows) {
                ids.sort(null); // FlakeId order (the unsigned order of the stored bytes)
            }
            return ids;
        }
    }

    /**
     * Committed rows without a position, with their content, in Flake id order: at most {@code limit}
     * rows and, after the first, at most {@code maxBytes} of payload. Their positions are 0 until stamped.
     */
    public List<Envelope> waitingRows(Connection c, int limit, long maxBytes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(waitingRows)) {
            ps.setInt(1, limit);
            ps.setFetchSize(Math.min(limit, 500));
            List<Envelope> rows = new ArrayList<>(Math.min(limit, 1024));
            long bytes = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Envelope e = new Envelope(0, FlakeId.fromBytes(rs.getBytes(1)), rs.getString(2), rs.getString(3),
                            rs.getBytes(4), rs.getLong(5), rs.getString(6), HeaderCodec.decode(rs.getBytes(7)));
                    bytes += e.wireSize();
                    if (bytes > maxBytes && !rows.isEmpty()) {
                        break;
                    }
                    rows.add(e);
                }
            }
            if (sortWaitingRows) {
                rows.sort(BY_ID);
            }
            return rows;
        }
    }

    /** Number of committed rows waiting for a position. */
    public long countWaiting(Connection c) throws SQLException {
        return singleLong(c, countWaiting);
    }

    /** Number of rows in the journal (a {@code COUNT(*)}: scans the table or an index). */
    public long countRows(Connection c) throws SQLException {
        return singleLong(c, countRows);
    }

    /** The smallest position still in the journal, or 0 if no row has one. */
    public long minPosition(Connection c) throws SQLException {
        return singleLong(c, minPosition);
    }

    private static long singleLong(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Reads the messages with positions {@code after+1, after+2, ...}: only an unbroken run (it stops at a
     * gap), at most {@code maxMessages}, and stops once {@code maxBytes} is reached (always at least one
     * message, so a single large message cannot block the stream).
     */
    public List<Envelope> read(Connection c, long after, int maxMessages, int maxBytes) throws SQLException {
        List<Envelope> out = new ArrayList<>(Math.min(maxMessages, 1024));
        try (PreparedStatement ps = c.prepareStatement(read)) {
            ps.setLong(1, after);
            ps.setInt(2, maxMessages);
            ps.setFetchSize(Math.min(maxMessages, 500));
            long expected = after + 1;
            long bytes = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pos = rs.getLong(1);
                    if (pos != expected) {
                        break;
                    }
                    Envelope e = new Envelope(pos, FlakeId.fromBytes(rs.getBytes(2)), rs.getString(3), rs.getString(4),
                            rs.getBytes(5), rs.getLong(6), rs.getString(7), HeaderCodec.decode(rs.getBytes(8)));
                    bytes += e.wireSize();
                    if (bytes > maxBytes && !out.isEmpty()) {
                        break;
                    }
                    out.add(e);
                    expected++;
                }
            }
        }
        return out;
    }

    /** The {@code produced_at} (sender's clock, epoch ms) of the row at {@code position}, empty if there is none. */
    public OptionalLong producedAt(Connection c, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(producedAt)) {
            ps.setLong(1, position);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * The smallest position whose row was produced at or after {@code since} (epoch ms); empty if every
     * positioned row is older (or none has a position).
     */
    public OptionalLong firstPositionProducedSince(Connection c, long since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(firstPositionProducedSince)) {
            ps.setLong(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long pos = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return OptionalLong.of(pos);
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    /** True if the dialect has an upkeep statement for the journal ({@link Dialect#journalUpkeep}). */
    public boolean hasUpkeep() {
        return upkeep != null;
    }

    /** Runs the dialect's upkeep statement on {@code c}, which must be in auto-commit mode; nothing if it has none. */
    public void upkeep(Connection c) throws SQLException {
        if (upkeep != null) {
            try (Statement s = c.createStatement()) {
                s.execute(upkeep);
            }
        }
    }

    /** Deletes the rows with positions {@code from..to} (both included); returns how many it deleted. */
    public int deleteRange(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(deleteRange)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            return ps.executeUpdate();
        }
    }

    /**
     * The one statement a sender runs: the insert of a journal row. The same on every database, so it needs no
     * dialect (a sender writes on the caller's connection and is not told which database that is). Thread-safe.
     */
    public static final class Writer {
        private final String journal;
        private final String insert;

        public Writer(String prefix) {
            journal = StoreTable.name(prefix, "journal");
            insert = "INSERT INTO " + journal + " (id, msg_type, content_type, payload, produced_at, msg_key, headers)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        }

        /** The journal table's name ({@code <prefix>journal}). */
        public String table() {
            return journal;
        }

        /** Inserts one journal row without a key or headers; see the full form. */
        public void insert(Connection c, FlakeId id, String type, String contentType, byte[] payload, long producedAt)
                throws SQLException {
            insert(c, id, type, contentType, payload, producedAt, null, Headers.NONE);
        }

        /**
         * Inserts one journal row (without a position) on the caller's connection, in the caller's transaction;
         * {@code msg_key} and {@code headers} are NULL when the message has no key or no headers.
         */
        public void insert(Connection c, FlakeId id, String type, String contentType, byte[] payload, long producedAt,
                           String key, Headers headers) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setBytes(1, id.toBytes());
                ps.setString(2, type);
                ps.setString(3, contentType);
                ps.setBytes(4, payload);
                ps.setLong(5, producedAt);
                ps.setString(6, key);
                HeaderCodec.bind(ps, 7, headers);
                ps.executeUpdate();
            }
        }
    }
}
