package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strongzero.core.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-test example of docs/testing.md. */
// tag::per-test[]
@ExtendWith(H2Database.class) // or PostgresDatabase.class, MariaDbDatabase.class
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class H2ExtensionExampleTest {

    @Test
    void aNewConsumerDatabaseHasNoOffsets(TestDatabase.Instance db) throws SQLException {
        Schema.create(db.dataSource(), db.database().dialect(), Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sz_offset")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }
}
// end::per-test[]
