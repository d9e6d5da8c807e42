package io.strongzero.core.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements {@link io.strongzero.core.Schema} runs: a probe that a table has the expected columns, which of
 * them hold text (journal format 1), and the DDL scripts' statements. Runs on the caller's connection; the caller chooses the transaction mode. Stateless.
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

    /**
     * Which of {@code columns} of {@code table} hold character data (CHAR, VARCHAR and the like), from the result
     * set metadata of a zero-row SELECT; fails like {@link #probe} if the table or a column is missing.
     */
    public static List<String> textColumns(Connection c, String table, List<String> columns) throws SQLException {
        List<String> text = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 0; i < columns.size(); i++) {
                if (isText(meta.getColumnType(i + 1))) {
                    text.add(columns.get(i));
                }
            }
        }
        return text;
    }

    private static boolean isText(int jdbcType) {
        return switch (jdbcType) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB -> true;
            default -> false;
        };
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
