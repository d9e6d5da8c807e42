package io.strongzero.core;

/**
 * Root of every exception StrongZero throws. Unchecked: callers catch the subtype they can act on.
 *
 * <ul>
 *   <li>{@link StrongZeroConfigException}: a setting is invalid; the message names it and the rule.</li>
 *   <li>{@link StrongZeroStorageException}: a database call failed; carries the SQL state.</li>
 *   <li>{@link StrongZeroSchemaException}: a table is missing or has the wrong shape; names the DDL to run.</li>
 *   <li>{@link StrongZeroProtocolException}: a peer sent something the wire protocol does not allow.</li>
 *   <li>{@link StrongZeroSerializationException}: a payload could not be encoded or decoded.</li>
 * </ul>
 */
public class StrongZeroException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StrongZeroException(String message) {
        super(message);
    }

    public StrongZeroException(String message, Throwable cause) {
        super(message, cause);
    }
}
