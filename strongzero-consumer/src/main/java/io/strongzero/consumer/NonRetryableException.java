package io.strongzero.consumer;

/**
 * Thrown by a handler for a failure that retrying cannot fix (for example a payload that fails
 * validation): the message goes straight to its retry policy's {@link RetryPolicy.OnExhausted} action
 * (dead letter or block) without further attempts.
 */
public class NonRetryableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
