package io.strongzero.core;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB (InnoDB): LIMIT, a forced index walk for waiting rows (sorted in memory) and stamping by one
 * joined UPDATE. Also serves MySQL, untested, with a warning. Use {@link Dialect#MARIADB}.
 *
 * <p>The waiting-row query walks the unique key {@code <prefix>journal_pos}: InnoDB keeps a secondary index's equal
 * keys in primary key order, so this walk meets the NULL-pos rows in id order and stops after the batch; with
 * ORDER BY id MariaDB sorted the whole backlog (filesort) for every batch. The store sorts the batch again, so its
 * order never depends on this.
 */
final class MariaDbDialect extends IndexHintDialect {

    private static final Logger log = LoggerFactory.getLogger(Dialect.class);

    MariaDbDialect() {
        super("MARIADB", "mariadb", "FORCE INDEX", "journal_pos", "", "mysql");
    }

    @Override
    protected boolean recognizes(String product, DatabaseMetaData meta) {
        if (product.contains("mariadb")) {
            return true;
        }
        if (product.contains("mysql")) {
            log.warn("{} {} is served with the MARIADB dialect but is not tested: the suites run MariaDB 10.11;"
                    + " see docs/schema.md#mysql for what to check", meta == null ? "MySQL" : productName(meta), version(meta));
            return true;
        }
        return false;
    }

    private static String productName(DatabaseMetaData meta) {
        try {
            return meta.getDatabaseProductName();
        } catch (SQLException e) {
            return "MySQL";
        }
    }

    private static String version(DatabaseMetaData meta) {
        try {
            return meta.getDatabaseProductVersion();
        } catch (SQLException | RuntimeException e) {
            return "(version unknown)";
        }
    }

    @Override
    public String displayName() {
        return "MariaDB";
    }

    @Override
    public boolean sortsWaitingRowsInMemory() {
        return true;
    }

    @Override
    String createIndex(String journal, String index) {
        return "ALTER TABLE " + journal + " ADD UNIQUE KEY " + index + " (pos)";
    }

    @Override
    public int stamp(Connection c, String journal, List<FlakeId> ids, long firstPosition) throws SQLException {
        // The pairs first (STRAIGHT_JOIN) and the journal only by its primary key: a plan that walked the pos
        // index for "j.pos IS NULL" would lock-read uncommitted senders' rows and wait for their transactions
        // (seen on a small journal: the pump stalled behind a transaction held open for 10 s).
        StringBuilder sql = new StringBuilder(96 + ids.size() * 24).append("UPDATE (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "SELECT ? AS id, ? AS pos" : " UNION ALL SELECT ?, ?");
        }
        sql.append(") v STRAIGHT_JOIN ").append(journal)
                .append(" j FORCE INDEX (PRIMARY) ON j.id = v.id SET j.pos = v.pos WHERE j.pos IS NULL");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            long pos = firstPosition;
            for (FlakeId id : ids) {
                ps.setBytes(p++, id.toBytes());
                ps.setLong(p++, pos++);
            }
            return ps.executeUpdate();
        }
    }

    @Override
    public String bytesType() {
        return "LONGBLOB";
    }
}
