package io.strongzero.core;

import io.strongzero.core.internal.HeaderCodec;
import java.util.Objects;

/**
 * One journal message as it travels from producer to consumer: its journal position (the order
 * consumers see), its Flake id (its identity), type, content type, payload bytes, the time the
 * sender wrote it, and its optional ordering key and headers.
 *
 * <p>Immutable. The payload array is not copied: do not modify it.
 *
 * @param position    dense, strictly increasing position assigned by the sequencer (1, 2, 3, ...)
 * @param id          the message's identity, assigned by the sender before commit
 * @param type        the message type that selects the consumer's handler
 * @param contentType how the payload is encoded ({@link PayloadCodec#MSGPACK}, {@link PayloadCodec#JSON})
 * @param payload     the encoded payload
 * @param producedAt  the sender's clock, epoch milliseconds, when {@code send} was called
 * @param key         the ordering key given to {@code send}, or null if none (1 to {@value #MAX_KEY_LENGTH}
 *                    characters; the sender checks the rule)
 * @param headers     the headers given to {@code send}, {@link Headers#NONE} if none
 */
public record Envelope(long position, FlakeId id, String type, String contentType, byte[] payload, long producedAt,
                       String key, Headers headers) {

    /** The longest ordering key, in characters. */
    public static final int MAX_KEY_LENGTH = 255;

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(headers, "headers");
    }

    /** A message without a key or headers. */
    public Envelope(long position, FlakeId id, String type, String contentType, byte[] payload, long producedAt) {
        this(position, id, type, contentType, payload, producedAt, null, Headers.NONE);
    }

    /** This message at another position (the sequencer's stamp). */
    public Envelope atPosition(long newPosition) {
        return new Envelope(newPosition, id, type, contentType, payload, producedAt, key, headers);
    }

    /** True if the message has an ordering key or headers (it needs protocol version 2). */
    public boolean hasKeyOrHeaders() {
        return key != null || !headers.isEmpty();
    }

    /**
     * An estimate of the bytes this message occupies on the wire (version 2 frame). Allocates nothing: the pump, the
     * tail cache and the journal reads call it for every message.
     */
    public int wireSize() {
        return 8 + 16 + 8 + 4 + type.length() + contentType.length() + payload.length
                + 2 + (key == null ? 0 : utf8Length(key)) + HeaderCodec.size(headers);
    }

    /** The length of {@code s} in UTF-8, counted without encoding it (an estimate for a lone surrogate: 3). */
    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "Envelope[position=" + position + ", id=" + id + ", type=" + type + ", contentType=" + contentType
                + ", payload=" + payload.length + " bytes, producedAt=" + producedAt + (key == null ? "" : ", key set")
                + (headers.isEmpty() ? "" : ", headers=" + headers) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && e.position == position && e.id.equals(id) && e.type.equals(type)
                && e.contentType.equals(contentType) && java.util.Arrays.equals(e.payload, payload)
                && e.producedAt == producedAt && Objects.equals(e.key, key) && e.headers.equals(headers);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(position) * 31 + id.hashCode();
    }
}
