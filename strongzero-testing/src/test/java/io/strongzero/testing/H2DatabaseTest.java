package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class H2DatabaseTest extends DatabaseExtensionContract {

    @Override
    protected DatabaseExtension perTest() {
        return new H2Database();
    }

    @Override
    protected DatabaseExtension perClass() {
        return H2Database.perClass();
    }

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }

    /** An in-memory database exists as long as something can open it without creating it. */
    @Override
    protected boolean exists(TestDatabase.Instance instance) {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + instance.schema() + ";IFEXISTS=TRUE")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Test
    void aSharedInstanceIsAFileDatabaseOtherProcessesCanOpen() throws SQLException {
        try (TestDatabase.Instance db = TestDatabase.H2.createShared("shared")) {
            assertTrue(db.jdbcUrl().startsWith("jdbc:h2:file:") && db.jdbcUrl().contains(";AUTO_SERVER=TRUE"), db.jdbcUrl());
            try (Connection c = DriverManager.getConnection(db.jdbcUrl())) {
                assertTrue(c.isValid(2));
            }
        }
    }

    @Test
    void schemaNamesAreLowerCaseIdentifiersOfBoundedLength() {
        String name = Schemas.schemaName("Some Test-Class_withAVeryLongMethodNameThatGoesOnAndOnAndOn");
        assertTrue(name.matches("sz_[a-z0-9_]{40}_[0-9a-f]{8}"), name);
        assertEquals("sz_prod_", Schemas.schemaName("prod").substring(0, 8));
    }
}
