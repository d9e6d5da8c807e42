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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
    /** The one-statement stampings built so far, by batch size and content (empty where the dialect has none). */
    private final Map<Long, Optional<String>> oneStatements = new ConcurrentHashMap<>();

    public SequencerStore(Dialect dialect, String prefix) {
        table = StoreTable.of(dialect, prefix, "sequencer");
        journal = StoreTable.name(prefix, "journal");
        journalStore = new JournalStore(dialect, prefix);
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
     * Stamps the next waiting rows in the transaction that holds the sequencer lock, whose head is {@code last}: the
     * committed rows without a position in id order, at most {@code batchSize} and, when {@code content} is given,
     * while the payloads before a row stay under {@code maxBytes} (the first row always), get the positions
     * {@code last+1, last+2, ...}; the sequencer row records the last one, {@code owner} and {@code now} if any was
     * stamped. Returns how many; with {@code content} (else {@code null}) the stamped rows are added to it in position
     * order. Where the dialect has a one-statement stamping ({@link Dialect#stampWaiting}, PostgreSQL) this is one
     * round trip, elsewhere three (select, stamp, sequencer update). Does not commit.
     *
     * @throws StrongZeroException if a row was stamped by something else meanwhile (something else writes
     *     {@code pos}); the caller rolls the transaction back
     */
    public int stampNext(Connection c, long last, int batchSize, long maxBytes, String owner, long now,
                         List<Envelope> content) throws SQLException {
        String statement = oneStatement(batchSize, content != null);
        if (statement == null) {
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
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            int i = 1;
            ps.setLong(i++, last);
            if (content != null) {
                ps.setLong(i++, maxBytes);
            }
            ps.setString(i++, owner);
            ps.setLong(i++, now);
            ps.setString(i, ROW);
            long expected = last + 1;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pos = rs.getLong(1);
                    if (pos != expected) {
                        throw new StrongZeroException("journal rows of " + journal + " were stamped concurrently although "
                                + "the sequencer lock was held (position " + pos + " where " + expected + " was due); is "
                                + "another tool writing pos?");
                    }
                    expected++;
                    if (content != null) {
                        content.add(new Envelope(pos, FlakeId.fromBytes(rs.getBytes(2)), rs.getString(3), rs.getString(4),
                                rs.getBytes(5), rs.getLong(6), rs.getString(7), HeaderCodec.decode(rs.getBytes(8))));
                    }
                }
            }
            return (int) (expected - last - 1);
        }
    }

    /** True if {@link #stampNext} is one statement on this dialect. */
    public boolean stampsInOneStatement() {
        return oneStatement(1, false) != null;
    }

    /** The dialect's one-statement stamping for batches of {@code batchSize}, with content or not; null if none. */
    private String oneStatement(int batchSize, boolean content) {
        return oneStatements.computeIfAbsent(((long) batchSize << 1) | (content ? 1 : 0),
                k -> Optional.ofNullable(table.dialect().stampWaiting(journal, table.name(), batchSize, content)))
                .orElse(null);
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
