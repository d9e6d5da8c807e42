package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.StrongZeroSchemaException;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.tck.PipelineContract;
import io.strongzero.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class MariaDbPipelineTest extends PipelineContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Test
    void pumpRefusesAJournalWhosePosKeyHasAnotherNameAndNamesTheStatementThatAddsIt() throws Exception {
        try (TestDatabase.Instance db = TestDatabase.MARIADB.create("renamedkey")) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE sz_journal (id BINARY(16) NOT NULL PRIMARY KEY, "
                        + "pos BIGINT NULL, msg_type VARCHAR(255) NOT NULL, content_type VARCHAR(32) NOT NULL, "
                        + "payload LONGBLOB NOT NULL, produced_at BIGINT NOT NULL, UNIQUE KEY journal_position (pos))");
                s.execute("CREATE TABLE sz_sequencer (name VARCHAR(64) NOT NULL PRIMARY KEY, last_pos BIGINT NOT NULL, "
                        + "owner VARCHAR(255) NULL, updated_at BIGINT NOT NULL)");
            }
            StrongZeroPump pump = StrongZeroPump.builder().name("renamed").dataSource(db.dataSource()).build();
            StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, pump::start);
            assertTrue(e.getMessage().contains("ALTER TABLE sz_journal ADD UNIQUE KEY sz_journal_pos (pos)"), e.getMessage());
            pump.close();
        }
    }
}
