package io.strongzero.core;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A built-in dialect whose waiting-row query walks one named index of the journal through an index hint (H2's
 * {@code USE INDEX}, MariaDB's {@code FORCE INDEX}), and which checks at start that the index exists: the hint
 * fails without it, and the message names the DDL that creates it. Stateless.
 */
abstract class IndexHintDialect extends Dialect {

    private final String hint;
    private final String indexSuffix;
    private final String order;

    /**
     * @param hint        the hint's keywords, for example {@code USE INDEX}
     * @param indexSuffix the index's name after the table prefix
     * @param order       what follows {@code WHERE pos IS NULL}: an {@code ORDER BY} that the index serves, or empty
     */
    IndexHintDialect(String name, String shortName, String hint, String indexSuffix, String order, String... aliases) {
        super(name, shortName, aliases);
        this.hint = hint;
        this.indexSuffix = indexSuffix;
        this.order = order;
    }

    /** The DDL that creates the index {@code index} on {@code journal}. */
    abstract String createIndex(String journal, String index);

    @Override
    public final String waitingRows(String columns, String journal, String prefix) {
        return limited("SELECT " + columns + " FROM " + journal + " " + hint(prefix + indexSuffix) + " WHERE pos IS NULL"
                + order);
    }

    @Override
    public final void verifyWaitingRowsIndex(Connection c, String journal, String prefix) throws SQLException {
        String index = prefix + indexSuffix;
        probeIndexHint(c, journal, hint(index), index, createIndex(journal, index));
    }

    private String hint(String index) {
        return hint + " (" + index + ")";
    }
}
