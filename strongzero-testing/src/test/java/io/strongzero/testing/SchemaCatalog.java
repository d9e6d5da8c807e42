package io.strongzero.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Asks a server's catalog whether a schema (on MariaDB: a database) exists. */
final class SchemaCatalog {
    private SchemaCatalog() {
    }

    static boolean exists(TestDatabase database, String schema) throws SQLException {
        try (Connection c = database.server().connect();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
