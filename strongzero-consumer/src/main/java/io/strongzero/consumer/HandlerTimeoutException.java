package io.strongzero.consumer;

import io.strongzero.core.StrongZeroException;

/** A handler ran longer than the consumer's {@code handlerTimeout}; recorded as the attempt's failure. */
public class HandlerTimeoutException extends StrongZeroException {
    private static final long serialVersionUID = 1L;

    public HandlerTimeoutException(String message) {
        super(message);
    }
}
