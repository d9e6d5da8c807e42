package io.strongzero.core.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The statements {@link io.strongzero.core.Schema} runs: a probe that a table has the expected columns, and the
 * DDL scripts' statements. Runs on the caller's connection; the caller chooses the transaction mode. Stateless.
 * Internal API.
 */
public final class SchemaStore {

    private SchemaStore() {
    }

    /**
     * Selects {@code columns} of {@code table} from no rows: fails if the table or a column is missing. The
     * names come from StrongZero's own table definitions, never from request data.
     */
    public static void probe(Connection c, String table, String... columns) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE 1 = 0").close();
        }
    }

    /** Runs DDL statements one by one, in order (each commits by itself when the connection is in auto-commit mode). */
    public static void execute(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
