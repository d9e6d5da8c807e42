package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.StrongZeroSchemaException;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.tck.PipelineContract;
import io.strongzero.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class H2PipelineTest extends PipelineContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }

    @Test
    void pumpRefusesAnH2JournalWithoutTheUnsequencedIndexAndNamesTheStatementThatAddsIt() throws Exception {
        try (TestDatabase.Instance db = TestDatabase.H2.create("oldjournal")) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE sz_journal (id BINARY(16) NOT NULL PRIMARY KEY, pos BIGINT, "
                        + "msg_type VARCHAR(255) NOT NULL, content_type VARCHAR(32) NOT NULL, "
                        + "payload VARBINARY(1000000000) NOT NULL, produced_at BIGINT NOT NULL)");
                s.execute("CREATE UNIQUE INDEX sz_journal_pos ON sz_journal (pos)");
                s.execute("CREATE TABLE sz_sequencer (name VARCHAR(64) NOT NULL PRIMARY KEY, last_pos BIGINT NOT NULL, "
                        + "owner VARCHAR(255), updated_at BIGINT NOT NULL)");
            }
            StrongZeroPump pump = StrongZeroPump.builder().name("old").dataSource(db.dataSource()).build();
            StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, pump::start);
            assertTrue(e.getMessage().contains("CREATE INDEX IF NOT EXISTS sz_journal_unsequenced ON sz_journal (pos, id)"),
                    e.getMessage());
            assertEquals("sz_journal", e.table());
            pump.close();
        }
    }
}
