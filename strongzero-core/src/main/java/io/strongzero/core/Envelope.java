package io.strongzero.core;

import java.util.Objects;

/**
 * One journal message as it travels from producer to consumer: its journal position (the order
 * consumers see), its Flake id (its identity), type, content type, payload bytes and the time the
 * sender wrote it.
 *
 * <p>Immutable. The payload array is not copied: do not modify it.
 *
 * @param position    dense, strictly increasing position assigned by the sequencer (1, 2, 3, ...)
 * @param id          the message's identity, assigned by the sender before commit
 * @param type        the message type that selects the consumer's handler
 * @param contentType how the payload is encoded ({@link PayloadCodec#MSGPACK}, {@link PayloadCodec#JSON})
 * @param payload     the encoded payload
 * @param producedAt  the sender's clock, epoch milliseconds, when {@code send} was called
 */
public record Envelope(long position, FlakeId id, String type, String contentType, byte[] payload, long producedAt) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
    }

    /** An estimate of the bytes this message occupies on the wire. */
    public int wireSize() {
        return 8 + 16 + 8 + 4 + type.length() + contentType.length() + payload.length;
    }

    @Override
    public String toString() {
        return "Envelope[position=" + position + ", id=" + id + ", type=" + type + ", contentType=" + contentType
                + ", payload=" + payload.length + " bytes, producedAt=" + producedAt + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && e.position == position && e.id.equals(id) && e.type.equals(type)
                && e.contentType.equals(contentType) && java.util.Arrays.equals(e.payload, payload)
                && e.producedAt == producedAt;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(position) * 31 + id.hashCode();
    }
}
