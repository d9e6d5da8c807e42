package io.strongzero.core.internal;

import io.strongzero.core.ErrorCode;
import io.strongzero.core.Headers;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroProtocolException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one binary encoding of {@link Headers}, used by the journal and dead-letter tables' {@code headers}
 * column and by the wire protocol's version 2 message frame ({@code docs/protocol.md}, "Headers"):
 * {@code uint8 count}, then per entry {@code uint16 nameLength, name (UTF-8), uint16 valueLength, value (UTF-8)},
 * big-endian. No headers is the single byte 0 (the tables store NULL instead). Stateless. Internal API.
 */
public final class HeaderCodec {

    private HeaderCodec() {
    }

    /** The encoding's length for {@code headers}. */
    public static int size(Headers headers) {
        return 1 + 4 * headers.size() + headers.utf8Bytes();
    }

    /** The encoding of {@code headers}. */
    public static byte[] encode(Headers headers) {
        ByteBuffer b = ByteBuffer.allocate(size(headers));
        write(b, headers);
        return b.array();
    }

    /** Writes the encoding of {@code headers} at the buffer's position. */
    public static void write(ByteBuffer b, Headers headers) {
        b.put((byte) headers.size());
        for (Map.Entry<String, String> e : headers.asMap().entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
            b.putShort((short) name.length).put(name).putShort((short) value.length).put(value);
        }
    }

    /**
     * Binds {@code headers} to a {@code headers} column parameter: its encoding, or SQL NULL when there are none (as
     * the journal and the dead-letter tables store them; {@link #decode} reads NULL back as {@link Headers#NONE}).
     */
    public static void bind(PreparedStatement ps, int index, Headers headers) throws SQLException {
        if (headers.isEmpty()) {
            ps.setNull(index, Types.VARBINARY);
        } else {
            ps.setBytes(index, encode(headers));
        }
    }

    /**
     * Decodes a whole encoding (a {@code headers} column); null (SQL NULL) is {@link Headers#NONE}.
     *
     * @throws StrongZeroProtocolException MALFORMED_REQUEST if it is truncated, has trailing bytes, invalid UTF-8
     *     or headers that break a rule of {@link Headers}
     */
    public static Headers decode(byte[] bytes) {
        if (bytes == null) {
            return Headers.NONE;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Headers h = read(b);
        if (b.hasRemaining()) {
            throw malformed("headers of " + bytes.length + " bytes have " + b.remaining() + " unexpected trailing bytes");
        }
        return h;
    }

    /**
     * Reads one encoding from the buffer's position and leaves the position after it.
     *
     * @throws StrongZeroProtocolException MALFORMED_REQUEST as {@link #decode(byte[])}
     */
    public static Headers read(ByteBuffer b) {
        try {
            int count = b.get() & 0xFF;
            if (count == 0) {
                return Headers.NONE;
            }
            if (count > Headers.MAX_ENTRIES) {
                throw malformed("headers count " + count + " is over the limit of " + Headers.MAX_ENTRIES);
            }
            Map<String, String> entries = new LinkedHashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                String name = utf8(b, b.getShort() & 0xFFFF);
                String value = utf8(b, b.getShort() & 0xFFFF);
                if (entries.putIfAbsent(name, value) != null) {
                    throw MessageRules.duplicateHeaderName(name);
                }
            }
            return Headers.of(entries); // checks the other rules once, in order
        } catch (BufferUnderflowException e) {
            throw malformed("headers are truncated");
        } catch (StrongZeroConfigException e) {
            throw malformed("headers break a rule: " + e.getMessage());
        }
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
            throw malformed("a header name or value is not valid UTF-8");
        }
    }

    private static StrongZeroProtocolException malformed(String message) {
        return new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST, message);
    }
}
