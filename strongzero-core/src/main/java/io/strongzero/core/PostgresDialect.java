package io.strongzero.core;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL: LIMIT, a partial index for waiting rows, set-based stamping, and head notifications
 * ({@code pg_notify} in the stamping transaction, {@code LISTEN}). Use {@link Dialect#POSTGRESQL}.
 */
final class PostgresDialect extends Dialect {

    PostgresDialect() {
        super("POSTGRESQL", "postgresql", "postgres");
    }

    @Override
    protected boolean recognizes(String product, DatabaseMetaData meta) {
        return product.contains("postgres");
    }

    @Override
    public String displayName() {
        return "PostgreSQL";
    }

    /** One set-based statement instead of one UPDATE per row (about 2x faster per 1,000 rows). */
    @Override
    public int stamp(Connection c, String journal, List<FlakeId> ids, long firstPosition) throws SQLException {
        Long[] positions = new Long[ids.size()];
        // a byte[][], not an Object[] of byte[]: pgjdbc builds a bytea[] only from the former
        byte[][] idBytes = new byte[ids.size()][];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = firstPosition + i;
            idBytes[i] = ids.get(i).toBytes();
        }
        Array idArray = c.createArrayOf("bytea", idBytes);
        Array posArray = c.createArrayOf("bigint", positions);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + journal + " j SET pos = v.pos"
                + " FROM UNNEST(?::bytea[], ?::bigint[]) AS v(id, pos) WHERE j.id = v.id AND j.pos IS NULL")) {
            ps.setArray(1, idArray);
            ps.setArray(2, posArray);
            return ps.executeUpdate();
        } finally {
            idArray.free();
            posArray.free();
        }
    }

    /**
     * {@code VACUUM} of the journal: every stamp leaves a dead row version and a dead entry in the waiting-row index,
     * which each later batch walks until a vacuum removes them (1,000,000 of them: 350-455 ms per batch instead of
     * 0.4 ms). Autovacuum may be off, or wake too rarely for a journal taking tens of thousands of rows a second.
     */
    @Override
    public String journalUpkeep(String journal) {
        return "VACUUM " + journal;
    }

    /**
     * {@code update RETURNING pg_notify('channel', tableoid::text || ':' || headColumn::text)}: the notification rides
     * on the statement that records the new head, so it costs no round trip of its own; PostgreSQL queues it in the
     * transaction and delivers it only on commit.
     */
    @Override
    public String notifyingUpdate(String update, String headColumn, String channel) {
        return update + " RETURNING pg_notify('" + checkedChannel(channel) + "', " + tableIdColumn() + "::text || ':' || "
                + headColumn + "::text)";
    }

    /** {@code tableoid}: the system column holding the OID of the table a row is in. */
    @Override
    public String tableIdColumn() {
        return "tableoid";
    }

    /** {@code LISTEN "channel"} (quoted: channel names are case-sensitive identifiers). */
    @Override
    public String listen(String channel) {
        return "LISTEN \"" + checkedChannel(channel) + "\"";
    }

    @Override
    public String unlisten(String channel) {
        return "UNLISTEN \"" + checkedChannel(channel) + "\"";
    }

    /** The channel, if it can go into a string literal and a quoted identifier as is (it is built, never given). */
    private static String checkedChannel(String channel) {
        if (channel == null || !channel.matches("[A-Za-z0-9_.:#-]{1,63}")) {
            throw new IllegalArgumentException("a notification channel must be 1 to 63 characters of A-Z, a-z, 0-9,"
                    + " '_', '.', ':', '#' and '-' but was '" + channel + "'");
        }
        return channel;
    }

    @Override
    public String bytesType() {
        return "BYTEA";
    }
}
