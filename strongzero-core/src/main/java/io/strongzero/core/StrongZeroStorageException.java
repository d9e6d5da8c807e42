package io.strongzero.core;

import io.strongzero.core.internal.Secrets;
import java.sql.SQLException;

/**
 * A database operation failed. {@link #sqlState()} carries the driver's SQL state when there was one.
 * The driver's message is quoted with credentials ({@code password=...}, {@code user:password@}) removed;
 * if the driver's exception holds credentials, the cause is a redacted {@link SQLException} copy of it.
 */
public class StrongZeroStorageException extends StrongZeroException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;

    public StrongZeroStorageException(String message, SQLException cause) {
        super(message + (cause == null ? "" : " (SQLState " + cause.getSQLState() + ": "
                + Secrets.redact(cause.getMessage()) + ")"), Secrets.scrub(cause));
        this.sqlState = cause == null ? null : cause.getSQLState();
    }

    /** The SQL state of the underlying {@link SQLException}, or {@code null}. */
    public String sqlState() {
        return sqlState;
    }
}
