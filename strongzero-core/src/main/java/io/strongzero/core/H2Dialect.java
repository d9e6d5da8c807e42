package io.strongzero.core;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/**
 * H2: LIMIT, a row-by-row stamping batch, and a hint for the waiting-row walk. H2 has no partial indexes: the
 * waiting-row query walks the {@code (pos, id)} index {@code <prefix>journal_unsequenced}, whose NULL-pos entries
 * are in id order, instead of sorting every waiting row per batch (0.25 ms instead of 11 ms per 1,000 of
 * 200,000). Use {@link Dialect#H2}.
 */
final class H2Dialect extends IndexHintDialect {

    H2Dialect() {
        super("H2", "h2", "USE INDEX", "journal_unsequenced", " ORDER BY pos, id");
    }

    @Override
    protected boolean recognizes(String product, DatabaseMetaData meta) {
        return product.contains("h2");
    }

    @Override
    public String displayName() {
        return "H2";
    }

    @Override
    String createIndex(String journal, String index) {
        return "CREATE INDEX IF NOT EXISTS " + index + " ON " + journal + " (pos, id)";
    }

    @Override
    public String bytesType() {
        return "VARBINARY(1000000000)";
    }
}
