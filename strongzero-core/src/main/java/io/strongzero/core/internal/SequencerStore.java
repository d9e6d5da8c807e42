package io.strongzero.core.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
    private final JournalStore journalStore;
    /** The head notifications' channel, or null if none are sent (no journal name, or a dialect without them). */
    private final String channel;
    /** The statements that listen on {@link #channel}, stop listening and read the head with the table's id, or null. */
    private final String listen;
    private final String unlisten;
    private final String headWithTableId;

    /** The statements of {@code <prefix>sequencer}, for tools that do not stamp: stamping sends no notifications. */
    public SequencerStore(Dialect dialect, String prefix) {
        this(dialect, prefix, null);
    }

    /**
     * The statements of {@code <prefix>sequencer} for the pump of the journal {@code journalName}: on a dialect with
     * notifications ({@link Dialect#notifyingUpdate}) every stamping also notifies {@link #notificationChannel}
     * on commit.
     *
     * @param journalName the journal's (pump's) name, or null for no notifications
     */
    public SequencerStore(Dialect dialect, String prefix, String journalName) {
        table = StoreTable.of(dialect, prefix, "sequencer");
        journal = StoreTable.name(prefix, "journal");
        journalStore = new JournalStore(dialect, prefix);
        String sequencer = table.name();
        head = "SELECT last_pos FROM " + sequencer + " WHERE name = ?";
        lock = dialect.lockingRead(head);
        insert = "INSERT INTO " + sequencer + " (name, last_pos, owner, updated_at) VALUES (?, 0, NULL, ?)";
        String plainUpdate = "UPDATE " + sequencer + " SET last_pos = ?, owner = ?, updated_at = ? WHERE name = ?";
        String notifying = journalName == null ? null
                : dialect.notifyingUpdate(plainUpdate, "last_pos", notificationChannel(prefix, journalName));
        update = notifying != null ? notifying : plainUpdate;
        channel = notifying != null ? notificationChannel(prefix, journalName) : null;
        listen = channel != null ? dialect.listen(channel) : null;
        unlisten = channel != null ? dialect.unlisten(channel) : null;
        headWithTableId = channel != null ? "SELECT last_pos, " + dialect.tableIdColumn() + " FROM " + sequencer
                + " WHERE name = ?" : null;
        owner = "SELECT owner, updated_at FROM " + sequencer + " WHERE name = ?";
    }

    /**
     * The channel of a journal's head notifications: {@code <prefix>journal:<name>} (for example
     * {@code sz_journal:users}), the same for every instance of the journal. PostgreSQL channel names are identifiers
     * of at most 63 bytes: a longer one keeps its first 46 characters and appends {@code #} and 16 hex digits of the
     * SHA-256 of the whole name, so it stays stable and distinct. Prefix and name hold only ASCII letters, digits and
     * {@code _ . : -}.
     */
    public static String notificationChannel(String prefix, String journalName) {
        String full = StoreTable.name(prefix, "journal") + ":" + Checks.name("journal name", journalName);
        if (full.length() <= MAX_CHANNEL) {
            return full;
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(full.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return full.substring(0, MAX_CHANNEL - 17) + "#" + java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The longest channel name PostgreSQL takes (NAMEDATALEN - 1 bytes). */
    private static final int MAX_CHANNEL = 63;

    /**
     * The channel stamping notifies on commit, or null if it sends no notifications (a dialect without them, or a
     * store made without the journal's name).
     */
    public String notificationChannel() {
        return channel;
    }

    /** The statement that makes an auto-commit connection receive {@link #notificationChannel()}, or null. */
    public String listenStatement() {
        return listen;
    }

    /**
     * The head and the id of the sequencer table ({@link Dialect#tableIdColumn()}), for a listener of
     * {@link #notificationChannel()}: a notification's payload is {@code <table id>:<head>}, and only those of its
     * own table concern it (the channel is shared by the journals of every schema with the same prefix and name).
     *
     * @param head    the last assigned position
     * @param tableId the sequencer table's id
     */
    public record TableHead(long head, String tableId) {
    }

    /**
     * The head and the table's id, without a lock.
     *
     * @throws IllegalStateException if this store sends no notifications
     * @throws SQLException if the sequencer row is missing, or the query fails
     */
    public TableHead headWithTableId(Connection c) throws SQLException {
        if (headWithTableId == null) {
            throw new IllegalStateException(table.name() + " sends no head notifications");
        }
        try (PreparedStatement ps = c.prepareStatement(headWithTableId)) {
            ps.setString(1, ROW);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the sequencer row '" + ROW + "' of " + table.name() + " is missing");
                }
                return new TableHead(rs.getLong(1), rs.getString(2));
            }
        }
    }

    /** The statement that ends {@link #listenStatement()} on a connection, or null. */
    public String unlistenStatement() {
        return unlisten;
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
     * Stamps the next waiting rows in the transaction that holds the sequencer lock, whose head is {@code last}: the
     * committed rows without a position in id order, at most {@code batchSize} and, when {@code content} is given,
     * while the payloads before a row stay under {@code maxBytes} (the first row always), get the positions
     * {@code last+1, last+2, ...}; the sequencer row records the last one, {@code owner} and {@code now} if any was
     * stamped. Returns how many; with {@code content} (else {@code null}) the stamped rows are added to it in position
     * order. Three statements: select, stamp (one statement on PostgreSQL and MariaDB, a batch elsewhere), sequencer
     * update. Does not commit.
     *
     * @throws StrongZeroException if a row was stamped by something else meanwhile (something else writes
     *     {@code pos}); the caller rolls the transaction back
     */
    public int stampNext(Connection c, long last, int batchSize, long maxBytes, String owner, long now,
                         List<Envelope> content) throws SQLException {
        List<FlakeId> ids;
        if (content != null) {
            List<Envelope> rows = journalStore.waitingRows(c, batchSize, maxBytes);
            ids = new ArrayList<>(rows.size());
            long pos = last;
            for (Envelope e : rows) {
                ids.add(e.id());
                content.add(e.atPosition(++pos));
            }
        } else {
            ids = journalStore.waitingIds(c, batchSize);
        }
        if (!ids.isEmpty()) {
            stamp(c, ids, last + 1, owner, now);
        }
        return ids.size();
    }

    /**
     * Gives the journal rows {@code ids} the positions {@code firstPosition, firstPosition+1, ...} and records the
     * last one, the owner and the time in the sequencer row. Must run in the transaction that holds the
     * sequencer lock ({@link #lock}). With a {@link #notificationChannel()} the same statement also notifies it
     * (delivered on commit, payload {@code <table id>:<new head>}): no extra round trip.
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
            ps.execute(); // not executeUpdate: the notifying form returns a row (pg_notify's void)
        }
    }
}
