package io.strongzero.core;

/** A payload could not be encoded (sender side) or decoded (consumer side). */
public class StrongZeroSerializationException extends StrongZeroException {
    private static final long serialVersionUID = 1L;

    public StrongZeroSerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
