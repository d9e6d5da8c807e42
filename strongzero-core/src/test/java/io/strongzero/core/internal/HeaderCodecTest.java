package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.ErrorCode;
import io.strongzero.core.Headers;
import io.strongzero.core.StrongZeroProtocolException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeaderCodecTest {

    private static String malformed(byte[] bytes) {
        StrongZeroProtocolException e = assertThrows(StrongZeroProtocolException.class, () -> HeaderCodec.decode(bytes));
        assertEquals(ErrorCode.MALFORMED_REQUEST, e.code());
        return e.getMessage();
    }

    @Test
    void encodesCountThenLengthPrefixedNamesAndValuesAsDocumented() {
        // docs/protocol.md, "Headers": trace=abc, then an empty value
        byte[] expected = {2, 0, 5, 't', 'r', 'a', 'c', 'e', 0, 3, 'a', 'b', 'c', 0, 1, 'e', 0, 0};
        Headers h = Headers.of("trace", "abc", "e", "");
        assertArrayEquals(expected, HeaderCodec.encode(h));
        assertEquals(expected.length, HeaderCodec.size(h));
        assertEquals(h, HeaderCodec.decode(expected));
    }

    @Test
    void noHeadersIsOneZeroByteAndNullDecodesToNone() {
        assertArrayEquals(new byte[] {0}, HeaderCodec.encode(Headers.NONE));
        assertSame(Headers.NONE, HeaderCodec.decode(new byte[] {0}));
        assertSame(Headers.NONE, HeaderCodec.decode(null));
    }

    @Test
    void randomHeadersRoundTripInOrder() {
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 500; i++) {
            Headers h = Headers.NONE;
            int count = random.nextInt(Headers.MAX_ENTRIES + 1);
            for (int n = 0; n < count; n++) {
                h = h.with("n\u00e9-" + n + "-" + random.nextInt(1000), "\u65e5v".repeat(random.nextInt(30)));
            }
            assertEquals(h, HeaderCodec.decode(HeaderCodec.encode(h)));
        }
        Headers largest = Headers.of("n", "x".repeat(Headers.MAX_BYTES - 1));
        assertEquals(largest, HeaderCodec.decode(HeaderCodec.encode(largest)));
    }

    @Test
    void rejectsEveryTruncationAsMalformed() {
        byte[] full = HeaderCodec.encode(Headers.of("trace", "abc", "e", "x"));
        for (int length = 0; length < full.length; length++) {
            String message = malformed(Arrays.copyOf(full, length));
            assertTrue(message.contains("truncated"), message);
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] padded = Arrays.copyOf(HeaderCodec.encode(Headers.of("a", "b")), 8);
        assertTrue(malformed(padded).contains("1 unexpected trailing bytes"));
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = HeaderCodec.encode(Headers.of("ab", "c"));
        bytes[3] = (byte) 0xC3; // a lead byte followed by 'b'
        assertTrue(malformed(bytes).contains("not valid UTF-8"));
    }

    @Test
    void rejectsHeadersThatBreakARuleNamingTheRule() {
        assertTrue(malformed(new byte[] {2, 0, 1, 'a', 0, 0, 0, 1, 'a', 0, 0}).contains("unique"));
        assertTrue(malformed(new byte[] {1, 0, 0, 0, 0}).contains("1 to 128 characters"));
        assertTrue(malformed(new byte[] {1, 0, 1, 7, 0, 0}).contains("control"));
        assertTrue(malformed(new byte[] {33}).contains("count 33"));
        byte[] tooLarge = new byte[1 + 2 + 1 + 2 + 8_192];
        tooLarge[0] = 1;
        tooLarge[2] = 1;
        tooLarge[3] = 'n';
        tooLarge[4] = (byte) (8_192 >> 8);
        tooLarge[5] = 0;
        Arrays.fill(tooLarge, 6, tooLarge.length, (byte) 'x');
        assertTrue(malformed(tooLarge).contains("8192 bytes"));
    }
}
