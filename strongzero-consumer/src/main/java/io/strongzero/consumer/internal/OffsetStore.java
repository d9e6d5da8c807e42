package io.strongzero.consumer.internal;

import io.strongzero.consumer.PositionStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.internal.StoreTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The consumer's offset table: per (consumer, producer) the rows of one lane generation, one row per lane (lane 0 to
 * lanes - 1, each with the lane count it was recorded under) holding that lane's last committed position. A
 * concurrency-1 consumer has one row, lane 0 of 1, moved by {@link #advance}; a consumer with lanes moves each lane by
 * {@link #advanceLane} and replaces the generation by {@link #resetLanes}. Every move is a compare-and-set. The
 * position of the pair as a whole ({@link #load}) is the lowest lane's. Stateless apart from its statement texts;
 * thread-safe. Internal API.
 */
public final class OffsetStore implements PositionStore {

    private final StoreTable table;
    private final String selectLowest;
    private final String insert;
    private final String advance;
    private final String selectLanes;
    private final String lockLanes;
    private final String deleteLanes;
    private final String insertLane;
    private final String advanceLane;

    public OffsetStore(Dialect dialect, String prefix) {
        table = StoreTable.of(dialect, prefix, "offset");
        String t = table.name();
        String pair = " WHERE consumer_name = ? AND producer_name = ?";
        selectLowest = "SELECT MIN(pos) FROM " + t + pair;
        insert = "INSERT INTO " + t + " (consumer_name, producer_name, lane, lanes, pos, message_id, updated_at) "
                + "VALUES (?, ?, 0, 1, 0, NULL, ?)";
        advance = "UPDATE " + t + " SET pos = ?, message_id = ?, updated_at = ?" + pair
                + " AND lane = 0 AND lanes = 1 AND pos = ?";
        selectLanes = "SELECT lane, lanes, pos FROM " + t + pair + " ORDER BY lane";
        lockLanes = dialect.lockingRead(selectLanes);
        deleteLanes = "DELETE FROM " + t + pair;
        insertLane = "INSERT INTO " + t + " (consumer_name, producer_name, lane, lanes, pos, message_id, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, NULL, ?)";
        advanceLane = "UPDATE " + t + " SET pos = ?, message_id = ?, updated_at = ?" + pair
                + " AND lane = ? AND lanes = ? AND pos = ?";
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
        return new String[] {"consumer_name", "producer_name", "lane", "lanes", "pos", "message_id", "updated_at"};
    }

    /**
     * The committed position ({@link #load}: the lowest lane's), creating the single row (lane 0 of 1) at 0 if the pair
     * has none; another instance inserting first is not an error (its rows are read). Runs in auto-commit mode.
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

    /**
     * The committed position of the pair: the lowest of its lanes' positions (every message up to it is applied), or
     * null if it has no row.
     */
    @Override
    public Long load(Connection c, String consumer, String producer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectLowest)) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long pos = rs.getLong(1);
                return rs.wasNull() ? null : pos;
            }
        }
    }

    /**
     * Moves the single-lane offset (lane 0 of 1) from {@code expected} to {@code position}. Returns false if that row
     * was not at {@code expected} (another instance moved it, or an earlier transaction did not commit) or is not
     * there (the pair is recorded under another lane count).
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

    /**
     * The pair's rows: the lane count they were recorded under and one position per lane; null if there are none.
     *
     * @throws SQLException also if the rows are inconsistent (different lane counts, or lane numbers other than
     *         exactly 0 to lanes - 1), naming the consumer, the producer and the rows found
     */
    public LanePositions loadLanes(Connection c, String consumer, String producer) throws SQLException {
        return lanes(c, selectLanes, consumer, producer);
    }

    /**
     * In {@code c}'s transaction: if the pair's rows are exactly {@code expected} (null: no rows), replaces them by
     * {@code lanes} rows (lane 0 to lanes - 1, each recorded under {@code lanes}) all at {@code position}, with no
     * message id; returns false, changing nothing, if they are not (the caller then rolls back). The rows are locked
     * ({@code SELECT ... FOR UPDATE}) while they are compared, deleted and inserted.
     *
     * <p>With {@code expected} null there is no row to lock: if another instance inserts rows for the pair
     * concurrently, the insert meets its key and this returns false (the database may have aborted the transaction,
     * as PostgreSQL does: roll back). Depending on the database's locking the conflict may instead surface as an
     * {@code SQLException} (a deadlock or serialization failure, for example on MariaDB); it changes nothing either.
     *
     * @throws SQLException also if the current rows are inconsistent (see {@link #loadLanes})
     * @throws IllegalArgumentException if {@code lanes} is below 1
     */
    public boolean resetLanes(Connection c, String consumer, String producer, LanePositions expected, int lanes,
                              long position, long now) throws SQLException {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1 but was " + lanes);
        }
        LanePositions current = lanes(c, lockLanes, consumer, producer);
        if (!Objects.equals(current, expected)) {
            return false;
        }
        if (current != null) {
            try (PreparedStatement ps = c.prepareStatement(deleteLanes)) {
                ps.setString(1, consumer);
                ps.setString(2, producer);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(insertLane)) {
            for (int lane = 0; lane < lanes; lane++) {
                ps.setString(1, consumer);
                ps.setString(2, producer);
                ps.setInt(3, lane);
                ps.setInt(4, lanes);
                ps.setLong(5, position);
                ps.setLong(6, now);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            if (expected == null && table.dialect().isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
        return true;
    }

    /**
     * In {@code c}'s transaction: moves lane {@code lane} of the {@code lanes}-lane generation from {@code expected} to
     * {@code position}. {@code messageId} may be null: the lane passed only other lanes' messages. A compare-and-set on
     * (lane, lanes, pos): returns false, changing nothing, if that row is not there at {@code expected}.
     */
    public boolean advanceLane(Connection c, String consumer, String producer, int lanes, int lane, long expected,
                               long position, FlakeId messageId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(advanceLane)) {
            ps.setLong(1, position);
            if (messageId == null) {
                ps.setNull(2, Types.VARBINARY);
            } else {
                ps.setBytes(2, messageId.toBytes());
            }
            ps.setLong(3, now);
            ps.setString(4, consumer);
            ps.setString(5, producer);
            ps.setInt(6, lane);
            ps.setInt(7, lanes);
            ps.setLong(8, expected);
            return ps.executeUpdate() == 1;
        }
    }

    /** The pair's rows read by {@code sql} (selectLanes or lockLanes), checked for consistency; null if none. */
    private LanePositions lanes(Connection c, String sql, String consumer, String producer) throws SQLException {
        List<int[]> keys = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, consumer);
            ps.setString(2, producer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new int[] {rs.getInt(1), rs.getInt(2)});
                    positions.add(rs.getLong(3));
                }
            }
        }
        if (keys.isEmpty()) {
            return null;
        }
        int lanes = keys.get(0)[1];
        boolean consistent = lanes >= 1 && keys.size() == lanes;
        for (int i = 0; consistent && i < keys.size(); i++) {
            consistent = keys.get(i)[0] == i && keys.get(i)[1] == lanes;
        }
        if (!consistent) {
            StringBuilder found = new StringBuilder();
            for (int i = 0; i < keys.size(); i++) {
                found.append(i == 0 ? "" : ", ").append("lane ").append(keys.get(i)[0]).append(" of ")
                        .append(keys.get(i)[1]).append(" at ").append(positions.get(i));
            }
            throw new SQLException("inconsistent rows in " + table.name() + " for consumer " + consumer + " and producer "
                    + producer + ": expected lanes 0 to n - 1 all recorded under the same lane count n, found " + found);
        }
        long[] p = new long[lanes];
        for (int i = 0; i < lanes; i++) {
            p[i] = positions.get(i);
        }
        return new LanePositions(lanes, p);
    }
}
