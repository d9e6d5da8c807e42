package io.strongzero.core;

import java.sql.SQLException;

/**
 * A StrongZero table is missing or does not have the expected columns (the message names the table and the DDL
 * resource that creates it), or it is in an older storage format (the message names the migration to run:
 * {@link #needsMigration()}).
 */
public class StrongZeroSchemaException extends StrongZeroStorageException {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final boolean needsMigration;

    /** A missing table or missing columns. */
    public StrongZeroSchemaException(String table, String message, SQLException cause) {
        this(table, message, cause, false);
    }

    /**
     * @param needsMigration whether the table exists in an older storage format that a migration script converts
     *                       (the message names it), rather than being missing
     */
    public StrongZeroSchemaException(String table, String message, SQLException cause, boolean needsMigration) {
        super(message, cause);
        this.table = table;
        this.needsMigration = needsMigration;
    }

    /**
     * Whether the table exists but in an older storage format: journal format 1 (docs/schema.md, "Migrating from
     * format 1 to format 2") or an offset table without lanes (docs/schema.md, "Adding lanes to the offset table").
     * Run the migration the message names; StrongZero never converts a table by itself.
     */
    public boolean needsMigration() {
        return needsMigration;
    }

    /** The table that is missing or wrong. */
    public String table() {
        return table;
    }
}
