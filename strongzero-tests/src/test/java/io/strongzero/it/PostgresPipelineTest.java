package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.tck.PipelineContract;
import io.strongzero.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresPipelineTest extends PipelineContract {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Test
    void shippedDdlMakesAutovacuumCleanTheJournalEvery10000ChangedRows() throws Exception {
        try (TestDatabase.Instance db = TestDatabase.POSTGRESQL.create("vacuum")) {
            Schema.create(db.dataSource(), Dialect.POSTGRESQL, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT array_to_string(reloptions, ',') FROM pg_class "
                         + "WHERE oid = 'sz_journal'::regclass")) {
                assertTrue(rs.next());
                assertEquals("autovacuum_vacuum_scale_factor=0.0,autovacuum_vacuum_threshold=10000", rs.getString(1));
            }
        }
    }
}
