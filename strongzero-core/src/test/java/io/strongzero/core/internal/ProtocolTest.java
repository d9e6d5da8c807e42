package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Headers;
import io.strongzero.core.StrongZeroProtocolException;
import io.strongzero.core.internal.Protocol.BatchHeader;
import io.strongzero.core.internal.Protocol.ErrorReply;
import io.strongzero.core.internal.Protocol.PullRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolTest {

    private static final PullRequest PULL =
            new PullRequest(0x0102030405060708L, 41, 500, 1 << 20, 250, "orders", "billing-1");

    // ---------------------------------------------------------------- header

    @Test
    void headerCarriesMagicVersionAndCommand() {
        assertArrayEquals(new byte[] {'S', 'Z', 3, 0x01}, Protocol.header(Protocol.CMD_PULL));
        assertArrayEquals(new byte[] {'S', 'Z', 3, (byte) 0x81}, Protocol.header(Protocol.CMD_BATCH));
        assertArrayEquals(new byte[] {'S', 'Z', 1, 0x01}, Protocol.header(1, Protocol.CMD_PULL));
        assertEquals(Protocol.CMD_PULL, Protocol.parseHeader(Protocol.header(Protocol.CMD_PULL)));
        assertEquals(Protocol.CMD_BATCH, Protocol.parseHeader(Protocol.header(Protocol.CMD_BATCH)));
        assertEquals(Protocol.CMD_ERROR, Protocol.parseHeader(Protocol.header(Protocol.CMD_ERROR)));
    }

    @Test
    void parseHeaderPassesUnknownCommandsThroughForTheCallerToReject() {
        assertEquals((byte) 0x42, Protocol.parseHeader(new byte[] {'S', 'Z', 1, 0x42}));
    }

    @Test
    void parseHeaderRejectsAWrongMagicAsMalformed() {
        assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.parseHeader(new byte[] {'X', 'Z', 1, 1}));
        assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.parseHeader(new byte[] {'S', 'Y', 1, 1}));
        assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.parseHeader(new byte[] {'s', 'z', 1, 1}));
    }

    @Test
    void parseHeaderRejectsAWrongLengthAsMalformedNamingTheLength() {
        assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.parseHeader(new byte[0]));
        assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.parseHeader(new byte[] {'S', 'Z', 1}));
        StrongZeroProtocolException e = assertCode(ErrorCode.MALFORMED_REQUEST,
                () -> Protocol.parseHeader(new byte[] {'S', 'Z', 1, 1, 0}));
        assertTrue(e.getMessage().contains("5 bytes"), e.getMessage());
        StrongZeroProtocolException missing = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.parseHeader(null));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
    }

    @Test
    void anErrorHeaderAlwaysSaysVersionOneSoThatEveryClientCanReadIt() {
        assertArrayEquals(new byte[] {'S', 'Z', 1, (byte) 0xFF}, Protocol.header(Protocol.CMD_ERROR));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void parseHeaderAcceptsVersionsOneToThreeAndReportsTheVersion(int version) {
        byte[] header = Protocol.header(version, Protocol.CMD_PULL);
        assertEquals(Protocol.CMD_PULL, Protocol.parseHeader(header));
        assertEquals(version, Protocol.version(header));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 127, 255})
    void parseHeaderRejectsUnsupportedVersionsNamingTheSupportedRange(int version) {
        StrongZeroProtocolException e = assertCode(ErrorCode.UNSUPPORTED_VERSION,
                () -> Protocol.parseHeader(new byte[] {'S', 'Z', (byte) version, 1}));
        assertTrue(e.getMessage().contains("version " + version), e.getMessage());
        assertTrue(e.getMessage().contains("versions 1 to 3"), e.getMessage());
    }

    // ---------------------------------------------------------------- PULL

    @Test
    void pullRoundTripsThroughEncodeAndDecode() {
        assertEquals(PULL, Protocol.decodePull(Protocol.encodePull(PULL)));
    }

    @Test
    void pullRoundTripsAtTheLimitsOfEveryField() {
        String longest = "a" + "._:-Z9".repeat(21) + "x";
        assertEquals(128, longest.length());
        PullRequest max = new PullRequest(-1L, Long.MAX_VALUE, Protocol.MAX_MESSAGES_LIMIT, Protocol.MAX_BYTES_LIMIT,
                Protocol.MAX_WAIT_LIMIT_MS, longest, "9");
        assertEquals(max, Protocol.decodePull(Protocol.encodePull(max)));
        PullRequest min = new PullRequest(0, 0, 1, 1, 0, "p", "c");
        assertEquals(min, Protocol.decodePull(Protocol.encodePull(min)));
    }

    @Test
    void pullBodyLayoutIsBigEndianWithLengthPrefixedNames() {
        byte[] body = Protocol.encodePull(2, PULL);
        ByteBuffer b = ByteBuffer.wrap(body);
        assertEquals(0x0102030405060708L, b.getLong());
        assertEquals(41, b.getLong());
        assertEquals(500, b.getInt());
        assertEquals(1 << 20, b.getInt());
        assertEquals(250, b.getInt());
        assertEquals(6, b.getShort());
        b.position(b.position() + 6);
        assertEquals(9, b.getShort());
        assertEquals(8 + 8 + 4 + 4 + 4 + 2 + 6 + 2 + 9, body.length);
        assertEquals(0x0102030405060708L, Protocol.peekRequestId(body));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void pullInVersionsOneAndTwoMatchesTheByteExampleOfTheProtocolDocument(int version) {
        // docs/protocol.md, "PULL request": requestId 7, afterPosition 41, maxMessages 100, maxBytes 1 MiB,
        // maxWaitMillis 5000, producer "users", consumer "reports".
        byte[] documented = hex("""
                00 00 00 00 00 00 00 07 00 00 00 00 00 00 00 29
                00 00 00 64 00 10 00 00 00 00 13 88 00 05 75 73
                65 72 73 00 07 72 65 70 6f 72 74 73""");
        PullRequest example = new PullRequest(7, 41, 100, 1 << 20, 5000, "users", "reports");
        assertArrayEquals(documented, Protocol.encodePull(version, example));
        assertEquals(example, Protocol.decodePull(version, documented));
        // an older body cannot carry a committed position: the same bytes, whatever the request says
        assertArrayEquals(documented, Protocol.encodePull(version, withCommitted(example, 30)));
    }

    @Test
    void pullInVersionThreeMatchesTheByteExampleOfTheProtocolDocument() {
        // docs/protocol.md, "PULL request": the version 1 and 2 example followed by committedPosition 30
        byte[] documented = hex("""
                00 00 00 00 00 00 00 07 00 00 00 00 00 00 00 29
                00 00 00 64 00 10 00 00 00 00 13 88 00 05 75 73
                65 72 73 00 07 72 65 70 6f 72 74 73 00 00 00 00
                00 00 00 1e""");
        PullRequest example = new PullRequest(7, 41, 100, 1 << 20, 5000, "users", "reports", 30);
        assertArrayEquals(documented, Protocol.encodePull(3, example));
        assertEquals(example, Protocol.decodePull(3, documented));
    }

    @Test
    void aVersionThreePullIsTheVersionTwoBodyFollowedByTheCommittedPosition() {
        PullRequest r = withCommitted(PULL, 17);
        byte[] v2 = Protocol.encodePull(2, r);
        byte[] v3 = Protocol.encodePull(3, r);
        assertEquals(v2.length + 8, v3.length);
        assertArrayEquals(v2, Arrays.copyOf(v3, v2.length));
        assertEquals(17, ByteBuffer.wrap(v3).getLong(v2.length));
        assertEquals(r, Protocol.decodePull(3, v3));
        assertEquals(17, Protocol.decodePull(3, v3).committedPosition());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aPullOfVersionOneOrTwoDecodesWithItsAfterPositionAsCommittedPosition(int version) {
        PullRequest decoded = Protocol.decodePull(version, Protocol.encodePull(version, withCommitted(PULL, 3)));
        assertEquals(PULL.afterPosition(), decoded.committedPosition());
        assertEquals(PULL, decoded);
    }

    @Test
    void theDefaultPullVersionIsThree() {
        PullRequest r = withCommitted(PULL, 5);
        assertArrayEquals(Protocol.encodePull(3, r), Protocol.encodePull(r));
        assertEquals(r, Protocol.decodePull(Protocol.encodePull(3, r)));
    }

    @Test
    void aPullBodyOfAnotherVersionIsMalformed() {
        StrongZeroProtocolException shortBody = assertCode(ErrorCode.MALFORMED_REQUEST,
                () -> Protocol.decodePull(3, Protocol.encodePull(2, PULL)));
        assertTrue(shortBody.getMessage().contains("truncated"), shortBody.getMessage());
        StrongZeroProtocolException longBody = assertCode(ErrorCode.MALFORMED_REQUEST,
                () -> Protocol.decodePull(2, Protocol.encodePull(3, PULL)));
        assertTrue(longBody.getMessage().contains("8 unexpected trailing bytes"), longBody.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 43, Long.MAX_VALUE})
    void decodePullRejectsACommittedPositionAfterTheAfterPositionAsInvalid(long committed) {
        StrongZeroProtocolException e = assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(3, Protocol.encodePull(3, withCommitted(PULL, committed))));
        assertTrue(e.getMessage().contains("committedPosition must be between 0 and afterPosition (41) but was "
                + committed), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1L, Long.MIN_VALUE})
    void decodePullRejectsANegativeCommittedPositionAsInvalid(long committed) {
        StrongZeroProtocolException e = assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(3, Protocol.encodePull(3, withCommitted(PULL, committed))));
        assertTrue(e.getMessage().contains("committedPosition") && e.getMessage().contains(Long.toString(committed)),
                e.getMessage());
    }

    @Test
    void decodePullAcceptsACommittedPositionFromZeroToTheAfterPosition() {
        for (long committed : new long[] {0, 1, 40, 41}) {
            assertEquals(committed, Protocol.decodePull(3, Protocol.encodePull(3, withCommitted(PULL, committed)))
                    .committedPosition());
        }
    }

    @Test
    void pullCodecRefusesAnUnsupportedVersion() {
        assertThrows(IllegalArgumentException.class, () -> Protocol.encodePull(4, PULL));
        assertThrows(IllegalArgumentException.class, () -> Protocol.decodePull(0, Protocol.encodePull(1, PULL)));
    }

    @Test
    void decodePullReportsStructuralProblemsBeforeRangeProblems() {
        byte[] outOfRangeAndPadded = Arrays.copyOf(Protocol.encodePull(new PullRequest(1, -1, 0, 0, -1, "-", "-")),
                60);
        assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodePull(outOfRangeAndPadded));
    }

    @Test
    void decodePullChecksFieldsInTheDocumentedOrder() {
        String[] expectedFirst = {"afterPosition", "maxMessages", "maxBytes", "maxWaitMillis", "producer name",
            "consumer name", "committedPosition"};
        PullRequest[] requests = {
            new PullRequest(1, -1, 0, 0, -1, "-", "-"),
            new PullRequest(1, 0, 0, 0, -1, "-", "-"),
            new PullRequest(1, 0, 1, 0, -1, "-", "-"),
            new PullRequest(1, 0, 1, 1, -1, "-", "-"),
            new PullRequest(1, 0, 1, 1, 0, "-", "-"),
            new PullRequest(1, 0, 1, 1, 0, "p", "-"),
            new PullRequest(1, 0, 1, 1, 0, "p", "c", 1),
        };
        for (int i = 0; i < requests.length; i++) {
            byte[] body = Protocol.encodePull(requests[i]);
            StrongZeroProtocolException e = assertCode(ErrorCode.INVALID_ARGUMENT, () -> Protocol.decodePull(body));
            assertTrue(e.getMessage().startsWith("INVALID_ARGUMENT: " + expectedFirst[i]), e.getMessage());
        }
    }

    @Test
    void encodePullRefusesNamesThatDoNotFitTheirTwoByteLength() {
        String tooLong = "n".repeat(65_536);
        IllegalArgumentException producer = assertThrows(IllegalArgumentException.class,
                () -> Protocol.encodePull(new PullRequest(1, 0, 1, 1, 0, tooLong, "c")));
        assertTrue(producer.getMessage().contains("producerName") && producer.getMessage().contains("65536"),
                producer.getMessage());
        IllegalArgumentException consumer = assertThrows(IllegalArgumentException.class,
                () -> Protocol.encodePull(new PullRequest(1, 0, 1, 1, 0, "p", tooLong)));
        assertTrue(consumer.getMessage().contains("consumerName"), consumer.getMessage());
        // Names the receiver rejects but that fit the layout are still encoded: the producer answers them.
        byte[] invalidButEncodable = Protocol.encodePull(new PullRequest(1, 0, 1, 1, 0, "n".repeat(65_535), "c"));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> Protocol.decodePull(invalidButEncodable));
    }

    @Test
    void decodePullRejectsEveryTruncationAsMalformed() {
        byte[] body = Protocol.encodePull(PULL);
        for (int length = 0; length < body.length; length++) {
            byte[] prefix = Arrays.copyOf(body, length);
            StrongZeroProtocolException e = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodePull(prefix),
                    "prefix of " + length + " bytes");
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void decodePullRejectsTrailingBytesAsMalformed() {
        byte[] body = Protocol.encodePull(PULL);
        for (int extra = 1; extra <= 3; extra++) {
            byte[] padded = Arrays.copyOf(body, body.length + extra);
            StrongZeroProtocolException e = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodePull(padded));
            assertTrue(e.getMessage().contains(extra + " unexpected trailing bytes"), e.getMessage());
        }
    }

    @Test
    void decodePullRejectsANameLengthBeyondTheBodyAsMalformed() {
        byte[] body = Protocol.encodePull(PULL);
        ByteBuffer.wrap(body).putShort(28, (short) 0xFFFF);
        assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodePull(body));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1L, Long.MIN_VALUE})
    void decodePullRejectsANegativeAfterPositionAsInvalid(long after) {
        StrongZeroProtocolException e = assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(Protocol.encodePull(withAfter(after))));
        assertTrue(e.getMessage().contains("afterPosition") && e.getMessage().contains(Long.toString(after)),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Protocol.MAX_MESSAGES_LIMIT + 1, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void decodePullRejectsMaxMessagesOutOfRangeAsInvalid(int maxMessages) {
        PullRequest r = new PullRequest(1, 0, maxMessages, 1000, 0, "p", "c");
        StrongZeroProtocolException e = assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(Protocol.encodePull(r)));
        assertTrue(e.getMessage().contains("maxMessages must be between 1 and 10000 but was " + maxMessages),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Protocol.MAX_BYTES_LIMIT + 1, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void decodePullRejectsMaxBytesOutOfRangeAsInvalid(int maxBytes) {
        PullRequest r = new PullRequest(1, 0, 10, maxBytes, 0, "p", "c");
        StrongZeroProtocolException e = assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(Protocol.encodePull(r)));
        assertTrue(e.getMessage().contains("maxBytes") && e.getMessage().contains("but was " + maxBytes),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Protocol.MAX_WAIT_LIMIT_MS + 1, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void decodePullRejectsMaxWaitMillisOutOfRangeAsInvalid(int maxWait) {
        PullRequest r = new PullRequest(1, 0, 10, 1000, maxWait, "p", "c");
        StrongZeroProtocolException e = assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(Protocol.encodePull(r)));
        assertTrue(e.getMessage().contains("maxWaitMillis") && e.getMessage().contains("but was " + maxWait),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-orders", ".orders", "_orders", ":x", "has space", "semi;colon", "sl/ash",
        "ümlaut", "tab\t", "new\nline"})
    void decodePullRejectsInvalidNamesAsInvalid(String name) {
        StrongZeroProtocolException producer = assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(Protocol.encodePull(new PullRequest(1, 0, 10, 1000, 0, name, "c"))));
        assertTrue(producer.getMessage().contains("producer name must be"), producer.getMessage());
        StrongZeroProtocolException consumer = assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(Protocol.encodePull(new PullRequest(1, 0, 10, 1000, 0, "p", name))));
        assertTrue(consumer.getMessage().contains("consumer name must be"), consumer.getMessage());
    }

    @Test
    void decodePullRejectsANameLongerThan128CharactersAsInvalid() {
        String name = "n".repeat(129);
        assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(Protocol.encodePull(new PullRequest(1, 0, 10, 1000, 0, name, "c"))));
        assertCode(ErrorCode.INVALID_ARGUMENT,
                () -> Protocol.decodePull(Protocol.encodePull(new PullRequest(1, 0, 10, 1000, 0, "p", name))));
    }

    @Test
    void decodePullRejectsInvalidUtf8AsMalformed() {
        byte[][] invalid = {
            {(byte) 0xFF},                          // never valid in UTF-8
            {(byte) 0xC3},                          // truncated two-byte sequence
            {(byte) 0xC0, (byte) 0x80},             // overlong NUL
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // UTF-16 surrogate
            {'o', 'k', (byte) 0x80},                // stray continuation byte
        };
        for (byte[] name : invalid) {
            StrongZeroProtocolException producer = assertCode(ErrorCode.MALFORMED_REQUEST,
                    () -> Protocol.decodePull(2, pullBody(name, "c".getBytes(StandardCharsets.UTF_8))),
                    Arrays.toString(name));
            assertTrue(producer.getMessage().contains("not valid UTF-8"), producer.getMessage());
            assertCode(ErrorCode.MALFORMED_REQUEST,
                    () -> Protocol.decodePull(2, pullBody("p".getBytes(StandardCharsets.UTF_8), name)),
                    Arrays.toString(name));
        }
    }

    @Test
    void isValidNameAcceptsTheDocumentedAlphabet() {
        assertTrue(Protocol.isValidName("orders"));
        assertTrue(Protocol.isValidName("0rders.v2_eu-west:1"));
        assertTrue(Protocol.isValidName("x".repeat(128)));
        assertFalse(Protocol.isValidName("x".repeat(129)));
        assertFalse(Protocol.isValidName(null));
        assertFalse(Protocol.isValidName(""));
    }

    @Test
    void peekRequestIdReturnsZeroForBodiesTooShortToHaveOne() {
        assertEquals(0, Protocol.peekRequestId(null));
        assertEquals(0, Protocol.peekRequestId(new byte[7]));
        assertEquals(-1L, Protocol.peekRequestId(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}));
    }

    // ---------------------------------------------------------------- message frames

    @Test
    void messageFrameRoundTripsToAnEqualEnvelope() {
        Envelope e = new Envelope(17, FlakeId.of(1_717_000_000_000L, 0xABCDEF, 3), "order.created", "msgpack",
                new byte[] {1, 2, 3, (byte) 0xFF, 0}, 1_717_000_000_123L);
        Envelope decoded = Protocol.decodeMessage(Protocol.encodeMessage(e));
        assertEquals(e, decoded);
        assertEquals(e.hashCode(), decoded.hashCode());
        assertArrayEquals(e.payload(), decoded.payload());
    }

    @Test
    void messageFrameRoundTripsEdgeCases() {
        Envelope[] envelopes = {
            new Envelope(1, FlakeId.of(0, 0, 0), "", "", new byte[0], 0),
            new Envelope(Long.MAX_VALUE, FlakeId.fromBits(Long.MAX_VALUE, -1L), "typ\u00e9-\u65e5\u672c",
                    "json", new byte[100_000], Long.MIN_VALUE),
            new Envelope(-5, FlakeId.fromBits(1, Long.MIN_VALUE), "t".repeat(65_535), "c".repeat(255),
                    "{}".getBytes(StandardCharsets.UTF_8), -1),
        };
        for (Envelope e : envelopes) {
            assertEquals(e, Protocol.decodeMessage(Protocol.encodeMessage(e)), e.toString());
        }
    }

    @Test
    void randomMessageFramesRoundTrip() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2_000; i++) {
            byte[] payload = new byte[random.nextInt(300)];
            random.nextBytes(payload);
            Envelope e = new Envelope(random.nextLong(), FlakeId.fromBits(random.nextLong() & Long.MAX_VALUE,
                    random.nextLong()), "type-" + random.nextInt(), random.nextBoolean() ? "msgpack" : "json", payload,
                    random.nextLong());
            assertEquals(e, Protocol.decodeMessage(Protocol.encodeMessage(e)));
        }
    }

    @Test
    void versionTwoMessageFrameMatchesTheByteExampleOfTheProtocolDocument() {
        // docs/protocol.md, "Message frame": the version 1 example with key user-1 and one header trace=abc.
        byte[] documented = hex("""
                00 00 00 00 00 00 00 2a 00 00 01 8b cf e5 68 00
                0a 0b 0c 0d 0e 0f 00 03 00 00 01 8b cf e5 68 05
                04 6a 73 6f 6e 00 0b 55 73 65 72 43 72 65 61 74
                65 64 00 06 75 73 65 72 2d 31 01 00 05 74 72 61
                63 65 00 03 61 62 63 7b 22 69 64 22 3a 31 7d""");
        Envelope example = new Envelope(42, FlakeId.parse("0000018bcfe568000a0b0c0d0e0f0003"), "UserCreated", "json",
                "{\"id\":1}".getBytes(StandardCharsets.UTF_8), 1_700_000_000_005L, "user-1", Headers.of("trace", "abc"));
        assertEquals(79, documented.length);
        assertArrayEquals(documented, Protocol.encodeMessage(2, example));
        assertEquals(example, Protocol.decodeMessage(2, documented));
    }

    @Test
    void versionTwoFrameOfAMessageWithoutKeyOrHeadersIsTheVersionOneFramePlusThreeZeroBytes() {
        Envelope plain = new Envelope(7, FlakeId.of(1000, 1, 1), "t", "json", new byte[] {5, 6}, 9);
        byte[] v1 = Protocol.encodeMessage(1, plain);
        byte[] v2 = Protocol.encodeMessage(2, plain);
        assertEquals(v1.length + 3, v2.length);
        assertArrayEquals(Arrays.copyOf(v1, v1.length - 2), Arrays.copyOf(v2, v1.length - 2));
        assertArrayEquals(new byte[] {0, 0, 0, 5, 6}, Arrays.copyOfRange(v2, v1.length - 2, v2.length));
        assertEquals(plain, Protocol.decodeMessage(1, v1));
        assertEquals(plain, Protocol.decodeMessage(2, v2));
    }

    @Test
    void versionOneEncodingRefusesAMessageWithAKeyOrHeadersInsteadOfDroppingThem() {
        FlakeId id = FlakeId.of(1000, 1, 1);
        for (Envelope e : List.of(new Envelope(3, id, "t", "json", new byte[0], 0, "k", Headers.NONE),
                new Envelope(3, id, "t", "json", new byte[0], 0, null, Headers.of("h", "v")))) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Protocol.encodeMessage(1, e));
            assertTrue(x.getMessage().contains("position 3") && x.getMessage().contains("version 1"), x.getMessage());
        }
    }

    @Test
    void versionTwoFramesWithKeysAndHeadersRoundTrip() {
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 1_000; i++) {
            Headers headers = Headers.NONE;
            int count = random.nextInt(4);
            for (int h = 0; h < count; h++) {
                headers = headers.with("h\u00e9" + h, "v\u65e5".repeat(random.nextInt(5)));
            }
            String key = random.nextBoolean() ? null : "key-\u00fc-" + random.nextInt();
            byte[] payload = new byte[random.nextInt(50)];
            random.nextBytes(payload);
            Envelope e = new Envelope(random.nextLong(), FlakeId.fromBits(random.nextLong() & Long.MAX_VALUE,
                    random.nextLong()), "type-" + random.nextInt(), "json", payload, random.nextLong(), key, headers);
            assertEquals(e, Protocol.decodeMessage(2, Protocol.encodeMessage(2, e)));
        }
        String longest = "\u65e5".repeat(Envelope.MAX_KEY_LENGTH);
        Envelope e = new Envelope(1, FlakeId.of(1000, 1, 1), "t", "json", new byte[0], 0, longest, Headers.NONE);
        assertEquals(longest, Protocol.decodeMessage(Protocol.encodeMessage(e)).key());
    }

    @Test
    void versionTwoDecodingRejectsAKeyThatBreaksItsRuleAsMalformed() {
        Envelope e = new Envelope(1, FlakeId.of(1000, 1, 1), "t", "json", new byte[0], 0, "ab", Headers.NONE);
        byte[] frame = Protocol.encodeMessage(2, e);
        int keyAt = 32 + 1 + 4 + 2 + 1 + 2;
        byte[] blank = frame.clone();
        blank[keyAt] = ' ';
        blank[keyAt + 1] = ' ';
        StrongZeroProtocolException x = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodeMessage(2, blank));
        assertTrue(x.getMessage().contains("key must not be blank"), x.getMessage());
        byte[] control = frame.clone();
        control[keyAt + 1] = 0x07;
        x = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodeMessage(2, control));
        assertTrue(x.getMessage().contains("control"), x.getMessage());
        byte[] invalid = frame.clone();
        invalid[keyAt] = (byte) 0xFF;
        assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodeMessage(2, invalid));
    }

    @Test
    void versionTwoDecodingRejectsMalformedHeadersAsMalformed() {
        Envelope e = new Envelope(1, FlakeId.of(1000, 1, 1), "t", "json", new byte[0], 0, null,
                Headers.of("a", "1", "b", "2"));
        byte[] frame = Protocol.encodeMessage(2, e);
        int headersAt = 32 + 1 + 4 + 2 + 1 + 2;
        byte[] duplicate = frame.clone();
        duplicate[headersAt + 1 + 2 + 1 + 2 + 1 + 2] = 'a'; // the second name becomes "a" again
        StrongZeroProtocolException x = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodeMessage(2, duplicate));
        assertTrue(x.getMessage().contains("unique"), x.getMessage());
        byte[] truncated = Arrays.copyOf(frame, frame.length - 1);
        x = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodeMessage(2, truncated));
        assertTrue(x.getMessage().contains("truncated"), x.getMessage());
    }

    @Test
    void messageFrameMatchesTheByteExampleOfTheProtocolDocument() {
        // docs/protocol.md, "Message frame": version 1, position 42, id 0000018bcfe568000a0b0c0d0e0f0003, producedAt
        // 1700000000005, content type json, type UserCreated, payload {"id":1}.
        byte[] documented = hex("""
                00 00 00 00 00 00 00 2a 00 00 01 8b cf e5 68 00
                0a 0b 0c 0d 0e 0f 00 03 00 00 01 8b cf e5 68 05
                04 6a 73 6f 6e 00 0b 55 73 65 72 43 72 65 61 74
                65 64 7b 22 69 64 22 3a 31 7d""");
        Envelope example = new Envelope(42, FlakeId.parse("0000018bcfe568000a0b0c0d0e0f0003"), "UserCreated", "json",
                "{\"id\":1}".getBytes(StandardCharsets.UTF_8), 1_700_000_000_005L);
        assertEquals(58, documented.length);
        assertArrayEquals(documented, Protocol.encodeMessage(1, example));
        assertEquals(example, Protocol.decodeMessage(1, documented));
        assertEquals(0x0a0b0c0d0e0fL, example.id().node());
        assertEquals(3, example.id().sequence());
    }

    @Test
    void encodeMessageRefusesAContentTypeThatDoesNotFitItsOneByteLength() {
        FlakeId id = FlakeId.of(1000, 1, 1);
        assertEquals(255, Protocol.decodeMessage(Protocol.encodeMessage(
                new Envelope(1, id, "t", "c".repeat(255), new byte[0], 0))).contentType().length());
        // 256 bytes used to be written with length byte 0, sending the consumer a garbled frame.
        Envelope tooLong = new Envelope(1, id, "t", "c".repeat(256), new byte[] {1}, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocol.encodeMessage(tooLong));
        assertTrue(e.getMessage().contains("contentType") && e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void encodeMessageRefusesANonAsciiContentTypeInsteadOfReplacingCharacters() {
        Envelope e = new Envelope(1, FlakeId.of(1000, 1, 1), "t", "j\u00e4son", new byte[0], 0);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Protocol.encodeMessage(e));
        assertTrue(x.getMessage().contains("contentType") && x.getMessage().contains("ASCII"), x.getMessage());
    }

    @Test
    void encodeMessageRefusesATypeThatDoesNotFitItsTwoByteLength() {
        FlakeId id = FlakeId.of(1000, 1, 1);
        String longest = "\u00e9".repeat(32_767) + "x"; // 65,535 UTF-8 bytes
        assertEquals(longest, Protocol.decodeMessage(Protocol.encodeMessage(
                new Envelope(1, id, longest, "json", new byte[0], 0))).type());
        // 65,536 bytes in 32,768 characters: the length wrapped to 0 and the type's bytes became the payload.
        Envelope tooLong = new Envelope(1, id, "\u00e9".repeat(32_768), "json", new byte[] {1}, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocol.encodeMessage(tooLong));
        assertTrue(e.getMessage().contains("type") && e.getMessage().contains("65536"), e.getMessage());
    }

    @Test
    void aVersionThreeMessageFrameIsTheVersionTwoFrame() {
        Envelope keyed = new Envelope(42, FlakeId.of(1000, 1, 1), "order.created", "json", new byte[] {7}, 5, "k-1",
                Headers.of("trace", "abc"));
        Envelope plain = new Envelope(43, FlakeId.of(1000, 1, 2), "order.created", "json", new byte[] {8}, 6);
        for (Envelope e : List.of(keyed, plain)) {
            byte[] v3 = Protocol.encodeMessage(3, e);
            assertArrayEquals(Protocol.encodeMessage(2, e), v3);
            assertEquals(Protocol.decodeMessage(2, v3), Protocol.decodeMessage(3, v3));
        }
        assertEquals("k-1", Protocol.decodeMessage(3, Protocol.encodeMessage(keyed)).key());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void decodeMessageRejectsEveryTruncationOfTheFixedPartAsMalformed(int version) {
        Envelope e = new Envelope(17, FlakeId.of(1000, 1, 1), "order.created", "msgpack", new byte[] {9, 9}, 5);
        byte[] frame = Protocol.encodeMessage(version, e);
        int fixedLength = 32 + 1 + "msgpack".length() + 2 + "order.created".length() + (version >= 2 ? 3 : 0);
        for (int length = 0; length < fixedLength; length++) {
            byte[] prefix = Arrays.copyOf(frame, length);
            StrongZeroProtocolException x = assertCode(ErrorCode.MALFORMED_REQUEST,
                    () -> Protocol.decodeMessage(version, prefix), "prefix of " + length + " bytes");
            assertTrue(x.getMessage().contains("truncated"), x.getMessage());
        }
        // Cutting into the payload just yields a shorter payload: the payload runs to the end of the frame.
        Envelope cut = Protocol.decodeMessage(version, Arrays.copyOf(frame, fixedLength + 1));
        assertArrayEquals(new byte[] {9}, cut.payload());
    }

    @Test
    void decodeMessageRejectsANegativeFlakeTimeAsMalformed() {
        byte[] frame = Protocol.encodeMessage(new Envelope(1, FlakeId.of(1000, 1, 1), "t", "json", new byte[0], 0));
        ByteBuffer.wrap(frame).putLong(8, -1L);
        StrongZeroProtocolException e = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodeMessage(frame));
        assertTrue(e.getMessage().contains("negative Flake id time"), e.getMessage());
    }

    @Test
    void decodeMessageRejectsInvalidUtf8InTheTypeAsMalformed() {
        byte[] frame = Protocol.encodeMessage(new Envelope(1, FlakeId.of(1000, 1, 1), "ab", "json", new byte[0], 0));
        frame[32 + 1 + 4 + 2] = (byte) 0xFF;
        assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodeMessage(frame));
    }

    // ---------------------------------------------------------------- BATCH header

    @Test
    void batchHeaderRoundTrips() {
        BatchHeader[] headers = {
            new BatchHeader(1, 2, 3),
            new BatchHeader(-1L, Long.MAX_VALUE, Protocol.MAX_MESSAGES_LIMIT),
            new BatchHeader(0, 0, 0),
        };
        for (BatchHeader h : headers) {
            byte[] body = Protocol.encodeBatchHeader(h);
            assertEquals(20, body.length);
            assertEquals(h, Protocol.decodeBatchHeader(body));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 19, 21, 40})
    void decodeBatchHeaderRejectsAWrongLengthAsMalformed(int length) {
        StrongZeroProtocolException e = assertCode(ErrorCode.MALFORMED_REQUEST,
                () -> Protocol.decodeBatchHeader(new byte[length]));
        assertTrue(e.getMessage().contains("20 bytes but was " + length), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Protocol.MAX_MESSAGES_LIMIT + 1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void decodeBatchHeaderRejectsACountOutOfRangeAsMalformed(int count) {
        byte[] body = ByteBuffer.allocate(20).putLong(1).putLong(2).putInt(count).array();
        StrongZeroProtocolException e = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodeBatchHeader(body));
        assertTrue(e.getMessage().contains("count " + count), e.getMessage());
    }

    // ---------------------------------------------------------------- ERROR replies

    @Test
    void errorReplyRoundTripsForEveryCode() {
        for (ErrorCode code : ErrorCode.values()) {
            ErrorReply reply = Protocol.errorReply(99, code, 1500, "something went wrong: caf\u00e9");
            assertEquals(Protocol.MIN_SUPPORTED_VERSION, reply.minVersion());
            assertEquals(Protocol.MAX_SUPPORTED_VERSION, reply.maxVersion());
            assertEquals(reply, Protocol.decodeError(Protocol.encodeError(reply)), code.name());
        }
    }

    @Test
    void errorReplyRoundTripsExtremeValues() {
        ErrorReply reply = new ErrorReply(Long.MIN_VALUE, ErrorCode.BUSY, Integer.MAX_VALUE, 0, 255, "");
        assertEquals(reply, Protocol.decodeError(Protocol.encodeError(reply)));
    }

    @Test
    void errorReplyMessageIsCappedAt4096Bytes() {
        ErrorReply reply = Protocol.errorReply(1, ErrorCode.INTERNAL, 0, "x".repeat(10_000));
        byte[] body = Protocol.encodeError(reply);
        assertEquals(8 + 2 + 4 + 1 + 1 + 4096, body.length);
        assertEquals("x".repeat(4096), Protocol.decodeError(body).message());
    }

    @Test
    void errorReplyMessageCutInsideAMultiByteCharacterDecodesWithAReplacementCharacter() {
        String message = "x" + "\u00e9".repeat(3_000); // 1 + 6,000 bytes; the cut at 4,096 splits an é
        ErrorReply decoded = Protocol.decodeError(Protocol.encodeError(Protocol.errorReply(1, ErrorCode.BUSY, 0,
                message)));
        assertEquals("x" + "\u00e9".repeat(2_047) + "\uFFFD", decoded.message());
    }

    @Test
    void errorReplyLayoutMatchesTheProtocolDocument() {
        byte[] body = Protocol.encodeError(Protocol.errorReply(0x11, ErrorCode.POSITION_EXPIRED, 250, "gone"));
        assertArrayEquals(hex("00 00 00 00 00 00 00 11 00 06 00 00 00 fa 01 03 67 6f 6e 65"), body);
    }

    @Test
    void decodeErrorMapsAnUnknownCodeToInternalAndNamesTheWireValue() {
        byte[] body = Protocol.encodeError(Protocol.errorReply(5, ErrorCode.BUSY, 100, "later"));
        ByteBuffer.wrap(body).putShort(8, (short) 0xBEEF);
        ErrorReply decoded = Protocol.decodeError(body);
        assertEquals(ErrorCode.INTERNAL, decoded.code());
        assertEquals("(unknown error code 48879) later", decoded.message());
        assertEquals(5, decoded.requestId());
        assertEquals(100, decoded.retryAfterMillis());
    }

    @Test
    void errorCodesHaveDistinctWireValuesThatMapBack() {
        for (ErrorCode code : ErrorCode.values()) {
            assertEquals(code, ErrorCode.fromWire(code.wireValue()));
        }
        assertEquals(null, ErrorCode.fromWire(0));
        assertEquals(9, ErrorCode.NOT_AUTHORIZED.wireValue(), "docs/protocol.md, Error codes");
        assertEquals(null, ErrorCode.fromWire(10));
        assertEquals(null, ErrorCode.fromWire(-1));
    }

    @Test
    void decodeErrorRejectsEveryTruncationOfTheFixedPartAsMalformed() {
        byte[] body = Protocol.encodeError(Protocol.errorReply(5, ErrorCode.BUSY, 100, "later"));
        for (int length = 0; length < 16; length++) {
            byte[] prefix = Arrays.copyOf(body, length);
            StrongZeroProtocolException e = assertCode(ErrorCode.MALFORMED_REQUEST, () -> Protocol.decodeError(prefix),
                    "prefix of " + length + " bytes");
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        assertEquals("", Protocol.decodeError(Arrays.copyOf(body, 16)).message());
    }

    // ---------------------------------------------------------------- fuzz

    @Test
    void decodersThrowOnlyProtocolExceptionsOnRandomInput() {
        SplittableRandom random = new SplittableRandom(0xF022);
        byte[] validPull = Protocol.encodePull(PULL);
        byte[] validMessage = Protocol.encodeMessage(
                new Envelope(3, FlakeId.of(1000, 2, 1), "order.created", "json", new byte[] {1, 2}, 4));
        byte[] validError = Protocol.encodeError(Protocol.errorReply(1, ErrorCode.BUSY, 10, "busy"));
        byte[] validBatch = Protocol.encodeBatchHeader(new BatchHeader(1, 2, 3));
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[][] inputs = {
                randomBytes(random),
                mutate(validPull, random),
                mutate(validMessage, random),
                mutate(validError, random),
                mutate(validBatch, random),
            };
            for (byte[] input : inputs) {
                decoded += fuzzOne("decodePull", input, Protocol::decodePull);
                decoded += fuzzOne("decodePull v2", input, b -> Protocol.decodePull(2, b));
                decoded += fuzzOne("decodeMessage", input, Protocol::decodeMessage);
                decoded += fuzzOne("decodeError", input, Protocol::decodeError);
                decoded += fuzzOne("decodeBatchHeader", input, Protocol::decodeBatchHeader);
                decoded += fuzzOne("parseHeader", input, Protocol::parseHeader);
            }
        }
        // The mutations must also produce inputs that decode, or the fuzz only ever exercised the first check.
        assertTrue(decoded > 10_000, "only " + decoded + " inputs decoded");
    }

    // ---------------------------------------------------------------- helpers

    private static int fuzzOne(String decoder, byte[] input, Consumer<byte[]> decode) {
        try {
            decode.accept(input);
            return 1;
        } catch (StrongZeroProtocolException expected) {
            assertNotEquals(null, expected.code());
            return 0;
        } catch (RuntimeException e) {
            AssertionError failure = new AssertionError(decoder + " threw " + e + " instead of a "
                    + "StrongZeroProtocolException for " + input.length + " bytes " + Arrays.toString(input));
            failure.initCause(e);
            throw failure;
        }
    }

    private static byte[] hex(String text) {
        String[] parts = text.strip().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(80)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A valid body with a few random bytes changed, cut or extended. */
    private static byte[] mutate(byte[] valid, SplittableRandom random) {
        byte[] out = switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            case 1 -> Arrays.copyOf(valid, valid.length + 1 + random.nextInt(8));
            default -> valid.clone();
        };
        int flips = random.nextInt(4);
        for (int i = 0; i < flips && out.length > 0; i++) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static PullRequest withAfter(long after) {
        return new PullRequest(PULL.requestId(), after, PULL.maxMessages(), PULL.maxBytes(), PULL.maxWaitMillis(),
                PULL.producerName(), PULL.consumerName());
    }

    private static PullRequest withCommitted(PullRequest r, long committed) {
        return new PullRequest(r.requestId(), r.afterPosition(), r.maxMessages(), r.maxBytes(), r.maxWaitMillis(),
                r.producerName(), r.consumerName(), committed);
    }

    /** A version 1 and 2 PULL body with the names as given. */
    private static byte[] pullBody(byte[] producer, byte[] consumer) {
        return ByteBuffer.allocate(30 + producer.length + 2 + consumer.length).putLong(1).putLong(0).putInt(10)
                .putInt(1000).putInt(0).putShort((short) producer.length).put(producer)
                .putShort((short) consumer.length).put(consumer).array();
    }

    private static StrongZeroProtocolException assertCode(ErrorCode expected, Executable call) {
        return assertCode(expected, call, "");
    }

    private static StrongZeroProtocolException assertCode(ErrorCode expected, Executable call, String context) {
        StrongZeroProtocolException e = assertThrows(StrongZeroProtocolException.class, call, context);
        if (e.code() != expected) {
            fail(context + ": expected " + expected + " but got " + e.code() + " (" + e.getMessage() + ")");
        }
        assertTrue(e.getMessage().startsWith(expected + ": "), e.getMessage());
        return e;
    }
}
