package io.strongzero.tck.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strongzero.core.Schema;
import io.strongzero.core.internal.SchemaStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The statements of {@link SchemaStore} on a real database: the probe that a table has the expected columns,
 * and running DDL statements in order.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SchemaStoreContract extends StoreContract<Void> {


    protected SchemaStoreContract() {
        super(Schema.Side.PRODUCER, "schemastore", false, (dialect, prefix) -> null);
    }


    @Test
    void probeAcceptsATableWithTheColumnsAndRefusesAMissingColumnOrTable() throws SQLException {
        try (Connection c = db.connection()) {
            SchemaStore.probe(c, "sz_journal", "id", "pos", "msg_type", "content_type", "payload", "produced_at");
            SchemaStore.probe(c, "sz_sequencer", "name", "last_pos", "owner", "updated_at");
            assertThrows(SQLException.class, () -> SchemaStore.probe(c, "sz_journal", "id", "no_such_column"));
            assertThrows(SQLException.class, () -> SchemaStore.probe(c, "sz_no_such_table", "id"));
        }
    }

    @Test
    void executeRunsTheStatementsInOrderAndStopsAtTheFirstFailure() throws SQLException {
        try (Connection c = db.connection()) {
            SchemaStore.execute(c, List.of("CREATE TABLE sz_probe (n INT NOT NULL)", "INSERT INTO sz_probe (n) VALUES (1)",
                    "INSERT INTO sz_probe (n) VALUES (2)"));
            assertThrows(SQLException.class, () -> SchemaStore.execute(c, List.of("INSERT INTO sz_probe (n) VALUES (3)",
                    "INSERT INTO sz_no_such_table (n) VALUES (4)", "INSERT INTO sz_probe (n) VALUES (5)")));
        }
        assertEquals(6, db.queryLong("SELECT SUM(n) FROM sz_probe"), "1 + 2 + 3; the statement after the failure did not run");
    }
}
