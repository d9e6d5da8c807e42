package io.strongzero.core.internal;

import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Headers;
import io.strongzero.core.Names;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroProtocolException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encoding and decoding of the StrongZero wire protocol, versions 1 to 3 (version 2 adds the ordering key
 * and headers to the message frame, version 3 the consumer's committed position to the PULL body). The
 * authoritative description is {@code docs/protocol.md}; keep the two in step.
 *
 * <p>Every message between consumer (DEALER) and producer (ROUTER) is multipart: an empty delimiter
 * frame, a 4-byte header ({@code 'S' 'Z' version command}), a body frame and, for BATCH replies, one
 * frame per journal message. All integers are big-endian.
 *
 * <p>Internal API: not for use outside StrongZero; may change without notice.
 */
public final class Protocol {

    public static final byte MAGIC_0 = 'S';
    public static final byte MAGIC_1 = 'Z';
    /** The version this peer sends its requests and BATCH replies in unless the other side needs an older one. */
    public static final int VERSION = 3;
    public static final int MIN_SUPPORTED_VERSION = 1;
    public static final int MAX_SUPPORTED_VERSION = 3;
    /** The version of every ERROR reply, whatever the request's version. */
    public static final int ERROR_VERSION = 1;

    public static final byte CMD_PULL = 0x01;
    public static final byte CMD_BATCH = (byte) 0x81;
    public static final byte CMD_ERROR = (byte) 0xFF;

    public static final int MAX_MESSAGES_LIMIT = 10_000;
    public static final int MAX_BYTES_LIMIT = 64 * 1024 * 1024;
    public static final int MAX_WAIT_LIMIT_MS = 60_000;

    /**
     * The content type that marks a redacted entry: a message the requesting consumer's key may not
     * read, sent with its position and id only so that the consumer's position still advances (see
     * "Redacted entries" in {@code docs/protocol.md}). No payload codec may use it.
     */
    public static final String REDACTED_CONTENT_TYPE = "strongzero-redacted";

    private Protocol() {
    }

    /**
     * A consumer's request for the messages after {@code afterPosition}. {@code committedPosition} is the position the
     * consumer has committed (it resumes after it when it restarts), at most {@code afterPosition}: sent from version 3
     * on; a request of an older version has none, and decodes with {@code committedPosition == afterPosition}.
     */
    public record PullRequest(long requestId, long afterPosition, int maxMessages, int maxBytes, int maxWaitMillis,
                              String producerName, String consumerName, long committedPosition) {

        /** A request whose committed position is its {@code afterPosition} (all a version 1 or 2 request can say). */
        public PullRequest(long requestId, long afterPosition, int maxMessages, int maxBytes, int maxWaitMillis,
                           String producerName, String consumerName) {
            this(requestId, afterPosition, maxMessages, maxBytes, maxWaitMillis, producerName, consumerName,
                    afterPosition);
        }
    }

    /** The fixed part of a BATCH reply; {@code count} message frames follow it. */
    public record BatchHeader(long requestId, long headPosition, int count) {
    }

    /** An ERROR reply. */
    public record ErrorReply(long requestId, ErrorCode code, int retryAfterMillis, int minVersion, int maxVersion,
                             String message) {
    }

    /** True if the name is a valid producer or consumer name ({@link Names#isValid}). */
    public static boolean isValidName(String name) {
        return Names.isValid(name);
    }

    /** The rule {@link #isValidName} checks, for error messages ({@link Names#rule}). */
    public static String nameRule() {
        return Names.rule();
    }

    /**
     * The header frame of {@code command} in the current {@link #VERSION}, except ERROR, whose header always says
     * {@link #ERROR_VERSION}.
     */
    public static byte[] header(byte command) {
        return header(command == CMD_ERROR ? ERROR_VERSION : VERSION, command);
    }

    /** The header frame of {@code command} in {@code version}. */
    public static byte[] header(int version, byte command) {
        return new byte[] {MAGIC_0, MAGIC_1, (byte) version, command};
    }

    /** The version byte of a header frame that {@link #parseHeader} accepted. */
    public static int version(byte[] header) {
        return header[2] & 0xFF;
    }

    /**
     * Checks a header frame and returns its command byte.
     *
     * @throws StrongZeroProtocolException MALFORMED_REQUEST or UNSUPPORTED_VERSION
     */
    public static byte parseHeader(byte[] frame) {
        if (frame == null || frame.length != 4 || frame[0] != MAGIC_0 || frame[1] != MAGIC_1) {
            throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST,
                    "the header frame must be 4 bytes 'S' 'Z' version command but was "
                            + (frame == null ? "missing" : frame.length + " bytes"));
        }
        int version = frame[2] & 0xFF;
        if (version < MIN_SUPPORTED_VERSION || version > MAX_SUPPORTED_VERSION) {
            throw new StrongZeroProtocolException(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + version
                    + " is not supported; this peer speaks versions " + MIN_SUPPORTED_VERSION + " to " + MAX_SUPPORTED_VERSION);
        }
        return frame[3];
    }

    /** Encodes a PULL body in the current {@link #VERSION}; see {@link #encodePull(int, PullRequest)}. */
    public static byte[] encodePull(PullRequest r) {
        return encodePull(VERSION, r);
    }

    /**
     * Encodes a PULL body in {@code version}: versions 1 and 2 without, version 3 with the committed position. Field
     * values are not range-checked (the receiver does that), but every field must fit the layout.
     *
     * @throws IllegalArgumentException if a name is longer than 65,535 UTF-8 bytes, or the version is not supported
     */
    public static byte[] encodePull(int version, PullRequest r) {
        checkVersion(version);
        byte[] producer = r.producerName().getBytes(StandardCharsets.UTF_8);
        byte[] consumer = r.consumerName().getBytes(StandardCharsets.UTF_8);
        if (producer.length > 0xFFFF) {
            throw tooLong("producerName", producer.length, 0xFFFF);
        }
        if (consumer.length > 0xFFFF) {
            throw tooLong("consumerName", consumer.length, 0xFFFF);
        }
        int committed = version >= 3 ? 8 : 0;
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + 4 + 4 + 4 + 2 + producer.length + 2 + consumer.length + committed);
        b.putLong(r.requestId()).putLong(r.afterPosition()).putInt(r.maxMessages()).putInt(r.maxBytes())
                .putInt(r.maxWaitMillis());
        b.putShort((short) producer.length).put(producer);
        b.putShort((short) consumer.length).put(consumer);
        if (version >= 3) {
            b.putLong(r.committedPosition());
        }
        return b.array();
    }

    /** Decodes a PULL body of the current {@link #VERSION}; see {@link #decodePull(int, byte[])}. */
    public static PullRequest decodePull(byte[] body) {
        return decodePull(VERSION, body);
    }

    /**
     * Decodes and validates a PULL body of {@code version} (the version of the request's header).
     *
     * @throws StrongZeroProtocolException MALFORMED_REQUEST if truncated or padded, INVALID_ARGUMENT if a field is out of range
     * @throws IllegalArgumentException if the version is not supported
     */
    public static PullRequest decodePull(int version, byte[] body) {
        checkVersion(version);
        try {
            ByteBuffer b = ByteBuffer.wrap(body);
            long requestId = b.getLong();
            long after = b.getLong();
            int maxMessages = b.getInt();
            int maxBytes = b.getInt();
            int maxWait = b.getInt();
            String producer = utf8(b, b.getShort() & 0xFFFF);
            String consumer = utf8(b, b.getShort() & 0xFFFF);
            long committed = version >= 3 ? b.getLong() : after;
            if (b.hasRemaining()) {
                throw malformed("PULL body has " + b.remaining() + " unexpected trailing bytes");
            }
            if (after < 0) {
                throw invalid("afterPosition must not be negative but was " + after);
            }
            if (maxMessages < 1 || maxMessages > MAX_MESSAGES_LIMIT) {
                throw invalid("maxMessages must be between 1 and " + MAX_MESSAGES_LIMIT + " but was " + maxMessages);
            }
            if (maxBytes < 1 || maxBytes > MAX_BYTES_LIMIT) {
                throw invalid("maxBytes must be between 1 and " + MAX_BYTES_LIMIT + " but was " + maxBytes);
            }
            if (maxWait < 0 || maxWait > MAX_WAIT_LIMIT_MS) {
                throw invalid("maxWaitMillis must be between 0 and " + MAX_WAIT_LIMIT_MS + " but was " + maxWait);
            }
            if (!isValidName(producer)) {
                throw invalid("producer name must be " + nameRule());
            }
            if (!isValidName(consumer)) {
                throw invalid("consumer name must be " + nameRule());
            }
            if (committed < 0 || committed > after) {
                throw invalid("committedPosition must be between 0 and afterPosition (" + after + ") but was "
                        + committed);
            }
            return new PullRequest(requestId, after, maxMessages, maxBytes, maxWait, producer, consumer, committed);
        } catch (BufferUnderflowException e) {
            throw malformed("PULL body of " + body.length + " bytes is truncated");
        }
    }

    /** Reads the request id of a body if it has one (for error replies to malformed requests), else 0. */
    public static long peekRequestId(byte[] body) {
        return body != null && body.length >= 8 ? ByteBuffer.wrap(body).getLong() : 0;
    }

    public static byte[] encodeBatchHeader(BatchHeader h) {
        return ByteBuffer.allocate(20).putLong(h.requestId()).putLong(h.headPosition()).putInt(h.count()).array();
    }

    public static BatchHeader decodeBatchHeader(byte[] body) {
        if (body.length != 20) {
            throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST,
                    "BATCH body must be 20 bytes but was " + body.length);
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        long requestId = b.getLong();
        long head = b.getLong();
        int count = b.getInt();
        if (count < 0 || count > MAX_MESSAGES_LIMIT) {
            throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST, "BATCH count " + count + " is out of range");
        }
        return new BatchHeader(requestId, head, count);
    }

    /** Encodes a message frame in the current {@link #VERSION}; see {@link #encodeMessage(int, Envelope)}. */
    public static byte[] encodeMessage(Envelope e) {
        return encodeMessage(VERSION, e);
    }

    /**
     * Encodes a message frame in {@code version}: version 1 without, versions 2 and 3 with the key and headers.
     *
     * @throws IllegalArgumentException if the content type is not US-ASCII or longer than 255 bytes, the
     *     type is longer than 65,535 UTF-8 bytes (writing them would garble the frame), or the version is 1 and
     *     the message has a key or headers (the frame could not carry them: check {@link Envelope#hasKeyOrHeaders})
     */
    public static byte[] encodeMessage(int version, Envelope e) {
        checkVersion(version);
        if (version == 1 && e.hasKeyOrHeaders()) {
            throw new IllegalArgumentException("message " + e.id() + " at position " + e.position()
                    + " has a key or headers, which a version 1 frame cannot carry");
        }
        if (!isAscii(e.contentType())) {
            throw new IllegalArgumentException("message " + e.id() + ": contentType must be US-ASCII but was '"
                    + e.contentType() + "'");
        }
        byte[] ct = e.contentType().getBytes(StandardCharsets.US_ASCII);
        if (ct.length > 0xFF) {
            throw tooLong("message " + e.id() + ": contentType", ct.length, 0xFF);
        }
        byte[] type = e.type().getBytes(StandardCharsets.UTF_8);
        if (type.length > 0xFFFF) {
            throw tooLong("message " + e.id() + ": type", type.length, 0xFFFF);
        }
        byte[] key = version == 1 || e.key() == null ? new byte[0] : e.key().getBytes(StandardCharsets.UTF_8);
        if (key.length > 0xFFFF) {
            throw tooLong("message " + e.id() + ": key", key.length, 0xFFFF);
        }
        int extra = version == 1 ? 0 : 2 + key.length + HeaderCodec.size(e.headers());
        ByteBuffer b = ByteBuffer.allocate(32 + 1 + ct.length + 2 + type.length + extra + e.payload().length);
        b.putLong(e.position()).putLong(e.id().highBits()).putLong(e.id().lowBits()).putLong(e.producedAt());
        b.put((byte) ct.length).put(ct);
        b.putShort((short) type.length).put(type);
        if (version >= 2) {
            b.putShort((short) key.length).put(key);
            HeaderCodec.write(b, e.headers());
        }
        b.put(e.payload());
        return b.array();
    }

    private static void checkVersion(int version) {
        if (version < MIN_SUPPORTED_VERSION || version > MAX_SUPPORTED_VERSION) {
            throw new IllegalArgumentException("protocol version " + version + " is not supported; this peer speaks "
                    + "versions " + MIN_SUPPORTED_VERSION + " to " + MAX_SUPPORTED_VERSION);
        }
    }

    /** The redacted entry for a message: its position and id, an empty type and payload, producedAt 0. */
    public static Envelope redacted(Envelope e) {
        return new Envelope(e.position(), e.id(), "", REDACTED_CONTENT_TYPE, new byte[0], 0);
    }

    /** True if the message is a redacted entry (its content type is {@link #REDACTED_CONTENT_TYPE}). */
    public static boolean isRedacted(Envelope e) {
        return REDACTED_CONTENT_TYPE.equals(e.contentType());
    }

    /** Decodes a message frame of the current {@link #VERSION}; see {@link #decodeMessage(int, byte[])}. */
    public static Envelope decodeMessage(byte[] frame) {
        return decodeMessage(VERSION, frame);
    }

    /**
     * Decodes a message frame of {@code version} (the version of the reply's header).
     *
     * @throws StrongZeroProtocolException MALFORMED_REQUEST if the frame ends inside a field, has invalid UTF-8, a
     *     negative Flake id time, a key or headers that break their rules
     */
    public static Envelope decodeMessage(int version, byte[] frame) {
        checkVersion(version);
        try {
            ByteBuffer b = ByteBuffer.wrap(frame);
            long position = b.getLong();
            long high = b.getLong();
            long low = b.getLong();
            long producedAt = b.getLong();
            String ct = utf8(b, b.get() & 0xFF);
            String type = utf8(b, b.getShort() & 0xFFFF);
            String key = null;
            Headers headers = Headers.NONE;
            if (version >= 2) {
                int keyLength = b.getShort() & 0xFFFF;
                if (keyLength > 0) {
                    key = utf8(b, keyLength);
                    try {
                        MessageRules.checkKey(key);
                    } catch (StrongZeroConfigException x) {
                        throw malformed("message frame's " + x.getMessage());
                    }
                }
                headers = HeaderCodec.read(b);
            }
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            if (high < 0) {
                throw malformed("message frame has a negative Flake id time");
            }
            return new Envelope(position, FlakeId.fromBits(high, low), type, ct, payload, producedAt, key, headers);
        } catch (BufferUnderflowException e) {
            throw malformed("message frame of " + frame.length + " bytes is truncated");
        }
    }

    public static byte[] encodeError(ErrorReply e) {
        byte[] msg = e.message().getBytes(StandardCharsets.UTF_8);
        if (msg.length > 4096) {
            msg = java.util.Arrays.copyOf(msg, 4096);
        }
        return ByteBuffer.allocate(8 + 2 + 4 + 1 + 1 + msg.length).putLong(e.requestId())
                .putShort((short) e.code().wireValue()).putInt(e.retryAfterMillis())
                .put((byte) e.minVersion()).put((byte) e.maxVersion()).put(msg).array();
    }

    public static ErrorReply errorReply(long requestId, ErrorCode code, int retryAfterMillis, String message) {
        return new ErrorReply(requestId, code, retryAfterMillis, MIN_SUPPORTED_VERSION, MAX_SUPPORTED_VERSION, message);
    }

    public static ErrorReply decodeError(byte[] body) {
        try {
            ByteBuffer b = ByteBuffer.wrap(body);
            long requestId = b.getLong();
            int wire = b.getShort() & 0xFFFF;
            int retry = b.getInt();
            int min = b.get() & 0xFF;
            int max = b.get() & 0xFF;
            byte[] msg = new byte[b.remaining()];
            b.get(msg);
            ErrorCode code = ErrorCode.fromWire(wire);
            return new ErrorReply(requestId, code == null ? ErrorCode.INTERNAL : code, retry, min, max,
                    (code == null ? "(unknown error code " + wire + ") " : "") + new String(msg, StandardCharsets.UTF_8));
        } catch (BufferUnderflowException e) {
            throw malformed("ERROR body of " + body.length + " bytes is truncated");
        }
    }

    private static IllegalArgumentException tooLong(String field, int length, int max) {
        return new IllegalArgumentException(field + " must be at most " + max + " bytes but was " + length + " bytes");
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(ByteBuffer b, int length) {
        if (length > b.remaining()) {
            throw new BufferUnderflowException();
        }
        ByteBuffer slice = b.slice();
        slice.limit(length);
        b.position(b.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw malformed("a text field is not valid UTF-8");
        }
    }

    private static StrongZeroProtocolException malformed(String message) {
        return new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST, message);
    }

    private static StrongZeroProtocolException invalid(String message) {
        return new StrongZeroProtocolException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
