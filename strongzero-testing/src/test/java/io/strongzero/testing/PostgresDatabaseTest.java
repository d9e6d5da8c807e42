package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest extends DatabaseExtensionContract {

    @Override
    protected DatabaseExtension perTest() {
        return new PostgresDatabase();
    }

    @Override
    protected DatabaseExtension perClass() {
        return PostgresDatabase.perClass();
    }

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    protected boolean exists(TestDatabase.Instance instance) throws SQLException {
        return SchemaCatalog.exists(TestDatabase.POSTGRESQL, instance.schema());
    }

    @Test
    void theInstancesConnectionsWorkInItsSchema() throws SQLException {
        try (TestDatabase.Instance db = TestDatabase.POSTGRESQL.create("current");
             Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            assertEquals(db.schema(), rs.getString(1));
        }
    }
}
