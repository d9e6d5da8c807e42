package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class MariaDbDatabaseTest extends DatabaseExtensionContract {

    @Override
    protected DatabaseExtension perTest() {
        return new MariaDbDatabase();
    }

    @Override
    protected DatabaseExtension perClass() {
        return MariaDbDatabase.perClass();
    }

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected boolean exists(TestDatabase.Instance instance) throws SQLException {
        return SchemaCatalog.exists(TestDatabase.MARIADB, instance.schema());
    }

    @Test
    void theInstancesConnectionsWorkInItsDatabase() throws SQLException {
        try (TestDatabase.Instance db = TestDatabase.MARIADB.create("current");
             Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            assertEquals(db.schema(), rs.getString(1));
        }
    }
}
