package io.strongzero.consumer.internal;

import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.consumer.PositionStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * What a consumer keeps in its database and how it reaches it: the data source, the transaction runner, the
 * position store and the dead-letter store, under the consumer's name and table prefix, with the clock for their
 * timestamps. Shared by the streams, the applier and the dead-letter operations. Immutable. Internal API.
 *
 * @param consumer     the consumer's name
 * @param dataSource   the consumer's database
 * @param prefix       the table prefix
 * @param transactions how transactions are run
 * @param positions    where positions are kept
 * @param letters      the dead-letter table
 * @param clock        the clock for stored timestamps
 * @param held         the held table (per-key BLOCK with lanes)
 */
public record ConsumerStores(String consumer, DataSource dataSource, String prefix, ConsumerTransactions transactions,
                             PositionStore positions, DeadLetterStore letters, Clock clock, HeldStore held) {

    /** With the held table of {@code prefix}. */
    public ConsumerStores(String consumer, DataSource dataSource, String prefix, ConsumerTransactions transactions,
                          PositionStore positions, DeadLetterStore letters, Clock clock) {
        this(consumer, dataSource, prefix, transactions, positions, letters, clock, new HeldStore(prefix));
    }

    /**
     * Creates the consumer tables if {@code create} and checks them: the offset table (if {@code offsetTable}: the
     * default position store), the dead-letter and the processed-key tables, and the held table if
     * {@code heldTable} (a consumer applying in lanes).
     *
     * @throws io.strongzero.core.StrongZeroSchemaException if a table is missing
     */
    public void verifySchema(Dialect dialect, boolean create, boolean offsetTable, boolean heldTable) {
        if (create) {
            Schema.create(dataSource, dialect, Schema.Side.CONSUMER, prefix);
        }
        if (offsetTable) {
            Schema.verifyTable(dataSource, dialect, Schema.Side.CONSUMER, OffsetStore.tableName(prefix),
                    OffsetStore.columns());
        }
        Schema.verifyTable(dataSource, dialect, Schema.Side.CONSUMER, letters.table(), DeadLetterStore.columns());
        Schema.verifyTable(dataSource, dialect, Schema.Side.CONSUMER, ProcessedKeyStore.tableName(prefix),
                ProcessedKeyStore.columns());
        if (heldTable) {
            Schema.verifyTable(dataSource, dialect, Schema.Side.CONSUMER, held.table(), HeldStore.columns());
        }
    }
}
