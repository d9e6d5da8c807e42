package io.strongzero.core;

import java.sql.SQLException;

/**
 * A StrongZero table is missing or does not have the expected columns. The message names the table and
 * the DDL resource that creates it.
 */
public class StrongZeroSchemaException extends StrongZeroStorageException {
    private static final long serialVersionUID = 1L;

    private final String table;

    public StrongZeroSchemaException(String table, String message, SQLException cause) {
        super(message, cause);
        this.table = table;
    }

    /** The table that is missing or wrong. */
    public String table() {
        return table;
    }
}
