package io.strongzero.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Objects;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * Turns payload objects into bytes and back, on Jackson. The producer writes each message's content
 * type into the journal, so a consumer always decodes with the format the message was written in,
 * whatever its own default is.
 *
 * <p>{@link #msgpack()} (the default) and {@link #json()} ignore unknown properties when decoding, so
 * a producer can add fields without breaking older consumers. Pass your own {@link ObjectMapper} to
 * {@link #msgpack(ObjectMapper)} or {@link #json(ObjectMapper)} to register modules (for example
 * {@code JavaTimeModule}); the mapper must not be reconfigured after it is handed over.
 *
 * <p>Implementations are thread-safe.
 */
public interface PayloadCodec {

    /** Content type of MessagePack payloads, as stored in the journal and sent on the wire. */
    String MSGPACK = "msgpack";
    /** Content type of JSON payloads. */
    String JSON = "json";

    /** The content type written beside each payload, at most 32 ASCII characters. */
    String contentType();

    /**
     * Encodes a payload.
     *
     * @throws StrongZeroSerializationException naming the payload's class if it cannot be encoded
     */
    byte[] encode(Object payload);

    /**
     * Decodes a payload.
     *
     * @throws StrongZeroSerializationException naming the target class if the bytes do not fit it
     */
    <T> T decode(byte[] bytes, Class<T> type);

    /**
     * Gets ready to decode payloads of {@code type}, so that the first message does not pay for it: a consumer calls
     * this for each of its handlers' payload classes when it starts. Optional (default: nothing); must not throw for
     * a class it cannot decode (that shows at the first message, as before).
     */
    default void prepare(Class<?> type) {
    }

    /** MessagePack on a fresh mapper that ignores unknown properties. */
    static PayloadCodec msgpack() {
        return msgpack(tolerant(new ObjectMapper(new MessagePackFactory())));
    }

    /** MessagePack on the given mapper (its factory must be a {@link MessagePackFactory}). */
    static PayloadCodec msgpack(ObjectMapper mapper) {
        if (!(mapper.getFactory() instanceof MessagePackFactory)) {
            throw new StrongZeroConfigException("msgpack(mapper) needs an ObjectMapper built on a MessagePackFactory but got "
                    + mapper.getFactory().getClass().getName() + "; use json(mapper) for JSON");
        }
        return new JacksonCodec(MSGPACK, mapper);
    }

    /** JSON on a fresh mapper that ignores unknown properties. */
    static PayloadCodec json() {
        return json(tolerant(JsonMapper.builder().build()));
    }

    /** JSON on the given mapper. */
    static PayloadCodec json(ObjectMapper mapper) {
        if (mapper.getFactory() instanceof MessagePackFactory) {
            throw new StrongZeroConfigException("json(mapper) got a MessagePack ObjectMapper; use msgpack(mapper)");
        }
        return new JacksonCodec(JSON, mapper);
    }

    private static ObjectMapper tolerant(ObjectMapper mapper) {
        return mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** Jackson-backed codec. */
    final class JacksonCodec implements PayloadCodec {
        // StackOverflowError is caught as Jackson itself does for beans ("Infinite recursion"): the MessagePack
        // generator and parser do not enforce Jackson's nesting-depth limits, so a cyclic or very deep value
        // (a list containing itself, a payload nested 100,000 levels into a recursive type) overflows the
        // stack. The stack has unwound by the time the error reaches this frame, so recovering is safe, and
        // the caller gets the documented exception instead of an Error.
        private static final String TOO_DEEP = "it nests too deeply or refers to itself (StackOverflowError)";

        private final String contentType;
        private final ObjectMapper mapper;

        JacksonCodec(String contentType, ObjectMapper mapper) {
            this.contentType = contentType;
            this.mapper = Objects.requireNonNull(mapper, "mapper");
        }

        @Override
        public String contentType() {
            return contentType;
        }

        @Override
        public byte[] encode(Object payload) {
            try {
                return mapper.writeValueAsBytes(payload);
            } catch (IOException | RuntimeException e) {
                throw encodeFailure(payload, e.getMessage(), e);
            } catch (StackOverflowError e) {
                throw encodeFailure(payload, TOO_DEEP, e);
            }
        }

        /**
         * Builds and caches the mapper's deserializer for {@code type} and reads one small document, so that neither
         * the first message of the class nor the first message at all pays for it (measured with MessagePack: 17-23
         * ms for the first decode of a record in a fresh JVM).
         */
        @Override
        public void prepare(Class<?> type) {
            try {
                mapper.readerFor(type);   // fetches the root deserializer eagerly, into the mapper's cache
                mapper.readTree(mapper.writeValueAsBytes(java.util.Map.of("prepared", 1)));   // the parser's classes
            } catch (IOException | RuntimeException e) {
                // a class the mapper cannot handle fails at its first message, with the decode's message
            }
        }

        @Override
        public <T> T decode(byte[] bytes, Class<T> type) {
            Objects.requireNonNull(bytes, "bytes");
            try {
                return mapper.readValue(bytes, type);
            } catch (IOException | RuntimeException e) {
                throw decodeFailure(bytes, type, e.getMessage(), e);
            } catch (StackOverflowError e) {
                throw decodeFailure(bytes, type, TOO_DEEP, e);
            }
        }

        private StrongZeroSerializationException encodeFailure(Object payload, String reason, Throwable cause) {
            return new StrongZeroSerializationException("cannot encode a payload of class "
                    + (payload == null ? "null" : payload.getClass().getName()) + " as " + contentType + ": " + reason,
                    cause);
        }

        private StrongZeroSerializationException decodeFailure(byte[] bytes, Class<?> type, String reason,
                                                               Throwable cause) {
            return new StrongZeroSerializationException("cannot decode a " + contentType + " payload of " + bytes.length
                    + " bytes as " + type.getName() + ": " + reason, cause);
        }

        @Override
        public String toString() {
            return "PayloadCodec[" + contentType + "]";
        }
    }
}
