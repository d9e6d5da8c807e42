package io.strongzero.core;

/** A peer sent a frame or reply that the StrongZero wire protocol does not allow. */
public class StrongZeroProtocolException extends StrongZeroException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public StrongZeroProtocolException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The protocol error code (also sent on the wire in ERROR replies). */
    public ErrorCode code() {
        return code;
    }
}
