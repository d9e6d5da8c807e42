package io.strongzero.core;

/** Error codes of the wire protocol's ERROR reply (see {@code docs/protocol.md}). */
public enum ErrorCode {
    /** The request could not be parsed: wrong frame count, truncated frame, bad field. */
    MALFORMED_REQUEST(1),
    /** The request's protocol version is not supported; the reply lists the supported range. */
    UNSUPPORTED_VERSION(2),
    /** The command byte is unknown to this producer. */
    UNKNOWN_COMMAND(3),
    /** The consumer asked for a producer (stream) name this producer does not serve. */
    WRONG_PRODUCER(4),
    /** A field is out of its allowed range (negative position, too large batch, invalid name). */
    INVALID_ARGUMENT(5),
    /** The requested position was removed from the journal by retention. */
    POSITION_EXPIRED(6),
    /** The producer is overloaded: retry after the indicated delay. */
    BUSY(7),
    /** The producer failed to read its journal (database down); retry later. */
    INTERNAL(8),
    /** The connection's key may not pull under the consumer name it sent (ProducerSecurity.consumerNames). */
    NOT_AUTHORIZED(9);

    private final int wire;

    ErrorCode(int wire) {
        this.wire = wire;
    }

    /** The 16-bit value sent on the wire. */
    public int wireValue() {
        return wire;
    }

    /** The code for a wire value, or {@code null} if unknown. */
    public static ErrorCode fromWire(int value) {
        for (ErrorCode c : values()) {
            if (c.wire == value) {
                return c;
            }
        }
        return null;
    }
}
