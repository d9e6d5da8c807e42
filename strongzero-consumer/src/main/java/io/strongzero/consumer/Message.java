package io.strongzero.consumer;

import io.strongzero.core.FlakeId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded message handed to a {@link MessageHandler}. Immutable.
 *
 * @param <T> the payload type the handler was registered with
 */
public interface Message<T> {
    /** The message's identity (assigned by the sender). Use it for idempotency records. */
    FlakeId id();

    /** The producer (stream) the message came from. */
    String producer();

    /** The position in the producer's journal: consecutive per producer, the order of delivery. */
    long position();

    /** The message type. */
    String type();

    /** When the sender wrote it (sender's clock). */
    Instant producedAt();

    /** The decoded payload. */
    T payload();

    /** The encoded payload (do not modify). */
    byte[] payloadBytes();

    /** How the payload was encoded ({@code msgpack} or {@code json}). */
    String contentType();

    /**
     * The ordering key the sender gave ({@code StrongZeroSender.send(type, key, payload)}), empty if none. The
     * default returns empty (for messages made by hand, such as test doubles).
     */
    default Optional<String> key() {
        return Optional.empty();
    }

    /**
     * The headers the sender gave: unmodifiable, in the order given, empty if none. The default returns an empty
     * map (for messages made by hand, such as test doubles).
     */
    default Map<String, String> headers() {
        return Map.of();
    }
}
