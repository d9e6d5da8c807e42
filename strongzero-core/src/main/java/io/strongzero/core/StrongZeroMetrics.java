package io.strongzero.core;

/**
 * Receives StrongZero's measurements: events are pushed here as they happen; gauges (lag, journal size,
 * dead letters) are read from the components' getters by an adapter such as the Micrometer one in
 * {@code strongzero-micrometer}.
 *
 * <p>Called on StrongZero's hot paths: implementations must be fast, thread-safe and must not throw.
 * Every method has a no-op default; {@link #NONE} does nothing.
 */
public interface StrongZeroMetrics {

    /** Does nothing. */
    StrongZeroMetrics NONE = new StrongZeroMetrics() { };

    /** A sender wrote a message into the journal (in the caller's transaction) in {@code nanos}. */
    default void sent(String type, int payloadBytes, long nanos) {
    }

    /** A pump stamped {@code rows} rows in one transaction of {@code nanos}. */
    default void sequenced(String producer, int rows, long nanos) {
    }

    /**
     * A producer answered a pull of {@code consumer} with {@code messages} messages, {@code bytes} bytes. For a
     * consumer that does not hold retention (a name nobody vouched for) {@code consumer} is {@code "_unregistered"}
     * (the producer's {@code UNREGISTERED_CONSUMERS}), so made-up names cannot multiply per-consumer meters.
     */
    default void served(String producer, String consumer, int messages, long bytes) {
    }

    /** A producer refused a pull as BUSY. */
    default void busy(String producer) {
    }

    /** A producer refused a malformed or invalid request. */
    default void refused(String producer, ErrorCode code) {
    }

    /** A consumer's handler applied a message of {@code type} in {@code nanos} (handler time only). */
    default void handled(String consumer, String producer, String type, long nanos) {
    }

    /**
     * A consumer committed a transaction of {@code messages} messages in {@code nanos} (handlers and commit). In
     * MANUAL mode the handler commits: each message counts as a transaction of one when its handler returned
     * after calling {@code consumed(connection)}, timed over the handler call.
     */
    default void committed(String consumer, String producer, int messages, long nanos) {
    }

    /** A consumer will retry a failed message. */
    default void retried(String consumer, String producer, String type) {
    }

    /** A consumer parked a message ({@code blocking} false) or stopped its stream at it ({@code blocking} true). */
    default void deadLettered(String consumer, String producer, String type, boolean blocking) {
    }

    /**
     * A consumer applying in lanes ({@code concurrency > 1}) found its buffer of pulled messages full and waited
     * {@code nanos} for a lane to catch up before pulling more: a slow key was holding the other keys back.
     */
    default void bufferFull(String consumer, String producer, long nanos) {
    }
}
