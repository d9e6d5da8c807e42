package io.strongzero.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlakeIdTest {

    private static final long SEED = 0x5EED_F1A4EL;

    @Test
    void formatThenParseReturnsTheSameIdForRandomBitPatterns() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 100_000; i++) {
            long high = random.nextLong() & Long.MAX_VALUE;
            long low = random.nextLong();
            FlakeId id = FlakeId.fromBits(high, low);
            String text = id.toString();
            assertEquals(32, text.length(), text);
            assertTrue(text.matches("[0-9a-f]{32}"), text);
            FlakeId parsed = FlakeId.parse(text);
            assertEquals(id, parsed, text);
            assertEquals(high, parsed.highBits(), text);
            assertEquals(low, parsed.lowBits(), text);
        }
    }

    @Test
    void roundTripKeepsLowHalvesWithTheTopBitSet() {
        long[] lows = {-1L, Long.MIN_VALUE, Long.MIN_VALUE | 1, 0x8000_0000_0000_FFFFL, 0xFFFF_FFFF_FFFF_0000L, 0L};
        for (long low : lows) {
            FlakeId id = FlakeId.fromBits(Long.MAX_VALUE, low);
            FlakeId parsed = FlakeId.parse(id.toString());
            assertEquals(low, parsed.lowBits(), id.toString());
            assertEquals(Long.MAX_VALUE, parsed.highBits(), id.toString());
        }
        assertEquals("7fffffffffffffffffffffffffffffff", FlakeId.fromBits(Long.MAX_VALUE, -1L).toString());
        assertEquals("00000000000000000000000000000000", FlakeId.fromBits(0, 0).toString());
        assertEquals("00000000000000018000000000000000", FlakeId.fromBits(1, Long.MIN_VALUE).toString());
    }

    @Test
    void parseAcceptsUpperCaseHexAndFormatsLowerCase() {
        FlakeId id = FlakeId.parse("0000018F3A2B4C5DABCDEF0123456789");
        assertEquals("0000018f3a2b4c5dabcdef0123456789", id.toString());
        assertEquals(FlakeId.parse("0000018f3a2b4c5dabcdef0123456789"), id);
    }

    @Test
    void textSortsExactlyAsCompareTo() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<FlakeId> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            // Mix fully random ids with ids that share a time part or node, so every half is exercised,
            // including low halves whose top bit is set (signed comparison would get those wrong).
            long high = switch (i % 3) {
                case 0 -> random.nextLong() & Long.MAX_VALUE;
                case 1 -> 1_700_000_000_000L + random.nextInt(4);
                default -> random.nextInt(2);
            };
            long low = i % 2 == 0 ? random.nextLong() : (random.nextLong() & 0xFFFF_FFFF_0000_0000L) | random.nextInt(3);
            ids.add(FlakeId.fromBits(high, low));
        }
        List<FlakeId> byCompareTo = new ArrayList<>(ids);
        byCompareTo.sort(Comparator.naturalOrder());
        List<String> byText = new ArrayList<>();
        for (FlakeId id : ids) {
            byText.add(id.toString());
        }
        byText.sort(Comparator.naturalOrder());

        assertEquals(ids.size(), byText.size());
        for (int i = 0; i < byText.size(); i++) {
            assertEquals(byText.get(i), byCompareTo.get(i).toString(), "position " + i);
        }
    }

    @Test
    void bytesAreTheTwoHalvesBigEndian() {
        FlakeId id = FlakeId.fromBits(0x0102_0304_0506_0708L, 0x89AB_CDEF_F0E1_D2C3L);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, (byte) 0x89, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
            (byte) 0xF0, (byte) 0xE1, (byte) 0xD2, (byte) 0xC3}, id.toBytes());
        assertEquals(id, FlakeId.fromBytes(id.toBytes()));
    }

    @Test
    void bytesThenFromBytesReturnsTheSameIdForRandomBitPatterns() {
        SplittableRandom random = new SplittableRandom(SEED + 3);
        for (int i = 0; i < 100_000; i++) {
            FlakeId id = FlakeId.fromBits(random.nextLong() & Long.MAX_VALUE, random.nextLong());
            byte[] bytes = id.toBytes();
            assertEquals(FlakeId.BYTES, bytes.length);
            FlakeId back = FlakeId.fromBytes(bytes);
            assertEquals(id.highBits(), back.highBits(), id.toString());
            assertEquals(id.lowBits(), back.lowBits(), id.toString());
        }
    }

    @Test
    void unsignedByteOrderIsCompareToOrderWithTheHighBitSetInAnyByte() {
        SplittableRandom random = new SplittableRandom(SEED + 4);
        List<FlakeId> ids = new ArrayList<>();
        // For every byte position: ids that differ only there, by 0x7F against 0x80 and 0x00 against 0xFF
        // (a signed comparison orders each of these pairs the other way round).
        for (int position = 1; position < FlakeId.BYTES; position++) {
            for (int value : new int[] {0x00, 0x01, 0x7F, 0x80, 0x81, 0xFE, 0xFF}) {
                byte[] bytes = FlakeId.fromBits(0x0000_0190_0000_0000L, 0x1234_5678_9ABC_DEF0L).toBytes();
                bytes[position] = (byte) value;
                ids.add(FlakeId.fromBytes(bytes));
            }
        }
        for (int i = 0; i < 50_000; i++) {
            // Random bytes, most of them with the high bit set in several places.
            byte[] bytes = new byte[FlakeId.BYTES];
            for (int b = 0; b < bytes.length; b++) {
                bytes[b] = (byte) (random.nextBoolean() ? 0x80 | random.nextInt(0x80) : random.nextInt(0x80));
            }
            bytes[0] &= 0x7F; // the time part is not negative
            ids.add(FlakeId.fromBytes(bytes));
        }
        List<FlakeId> byCompareTo = new ArrayList<>(ids);
        byCompareTo.sort(Comparator.naturalOrder());
        List<byte[]> byBytes = new ArrayList<>();
        for (FlakeId id : ids) {
            byBytes.add(id.toBytes());
        }
        byBytes.sort(Arrays::compareUnsigned);
        for (int i = 0; i < byBytes.size(); i++) {
            assertEquals(byCompareTo.get(i), FlakeId.fromBytes(byBytes.get(i)), "position " + i);
        }
        // and pairwise, for the ids that differ in one byte only
        for (int i = 0; i < 200; i++) {
            FlakeId a = ids.get(i);
            FlakeId b = ids.get(i + 1);
            assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(Arrays.compareUnsigned(a.toBytes(), b.toBytes())),
                    a + " vs " + b);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 17, 32})
    void fromBytesRejectsAWrongLengthNamingIt(int length) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FlakeId.fromBytes(new byte[length]));
        assertTrue(e.getMessage().contains("16 bytes") && e.getMessage().contains("has " + length), e.getMessage());
    }

    @Test
    void fromBytesRejectsATimePartWithTheTopBitSet() {
        byte[] bytes = new byte[FlakeId.BYTES];
        bytes[0] = (byte) 0x80;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlakeId.fromBytes(bytes));
        assertTrue(e.getMessage().contains("time part must not be negative"), e.getMessage());
    }

    @Test
    void toBytesReturnsAFreshArray() {
        FlakeId id = FlakeId.fromBits(7, 9);
        byte[] first = id.toBytes();
        first[15] = 42;
        assertEquals(9, FlakeId.fromBytes(id.toBytes()).lowBits());
    }

    @Test
    void compareToTreatsTheLowHalfAsUnsigned() {
        FlakeId small = FlakeId.fromBits(5, 0x7FFF_FFFF_FFFF_FFFFL);
        FlakeId large = FlakeId.fromBits(5, 0x8000_0000_0000_0000L);
        assertTrue(small.compareTo(large) < 0);
        assertTrue(large.compareTo(small) > 0);
        assertTrue(FlakeId.fromBits(4, -1L).compareTo(FlakeId.fromBits(5, 0)) < 0);
        assertEquals(0, large.compareTo(FlakeId.fromBits(5, Long.MIN_VALUE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0000018f3a2b4c5dabcdef012345678", "0000018f3a2b4c5dabcdef01234567890"})
    void parseRejectsWrongLengthNamingTheLength(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlakeId.parse(text));
        assertTrue(e.getMessage().contains("32 hexadecimal characters"), e.getMessage());
        assertTrue(e.getMessage().contains("has " + text.length()), e.getMessage());
    }

    @Test
    void parseShortensVeryLongTextInItsMessage() {
        String text = "a".repeat(10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlakeId.parse(text));
        assertTrue(e.getMessage().contains("has 10000"), e.getMessage());
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "g000018f3a2b4c5dabcdef0123456789",
        "0000018f3a2b4c5dabcdef012345678z",
        "0000018f3a2b4c5d-bcdef0123456789",
        "0000018f3a2b4c5d bcdef0123456789",
        "+000018f3a2b4c5dabcdef0123456789",
    })
    void parseRejectsNonHexNamingTheCharacterAndIndex(String text) {
        int index = firstNonHex(text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlakeId.parse(text));
        assertTrue(e.getMessage().contains("'" + text.charAt(index) + "' at index " + index), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // Characters that Character.digit(c, 16) accepts but that are not ASCII hexadecimal digits:
        // fullwidth digit zero, fullwidth capital A, Arabic-Indic digit one, Devanagari digit five.
        "\uFF10000018f3a2b4c5dabcdef0123456789",
        "0000018f3a2b4c5dabcdef012345678\uFF21",
        "0000018f3a2b4c5d\u0661bcdef0123456789",
        "0000018f3a2b4c5dabcdef01234\u096B6789",
    })
    void parseRejectsNonAsciiDigitsThatCharacterDigitWouldAccept(String text) {
        assertEquals(32, text.length());
        int index = firstNonHex(text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlakeId.parse(text));
        assertTrue(e.getMessage().contains("at index " + index), e.getMessage());
    }

    @Test
    void parseRejectsATimePartWithTheTopBitSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FlakeId.parse("80000000000000000000000000000000"));
        assertTrue(e.getMessage().contains("time part must not be negative"), e.getMessage());
    }

    @Test
    void parseRejectsNull() {
        assertThrows(NullPointerException.class, () -> FlakeId.parse(null));
    }

    @Test
    void partsAreExtractedFromTheBits() {
        FlakeId id = FlakeId.of(1_717_171_717_171L, 0xABCD_EF01_2345L, 0xBEEF);
        assertEquals(1_717_171_717_171L, id.epochMillis());
        assertEquals(0xABCD_EF01_2345L, id.node());
        assertEquals(0xBEEF, id.sequence());
        assertEquals(1_717_171_717_171L, id.highBits());
        assertEquals(0xABCD_EF01_2345_BEEFL, id.lowBits());
    }

    @Test
    void extremePartsSurviveAFormatParseRoundTrip() {
        FlakeId max = FlakeId.of(Long.MAX_VALUE, FlakeId.MAX_NODE, FlakeId.MAX_SEQUENCE);
        FlakeId parsed = FlakeId.parse(max.toString());
        assertEquals(Long.MAX_VALUE, parsed.epochMillis());
        assertEquals(FlakeId.MAX_NODE, parsed.node());
        assertEquals(FlakeId.MAX_SEQUENCE, parsed.sequence());

        FlakeId min = FlakeId.of(0, 0, 0);
        assertEquals(0, min.epochMillis());
        assertEquals(0, min.node());
        assertEquals(0, min.sequence());
    }

    @Test
    void randomPartsSurviveOfAndExtraction() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int i = 0; i < 10_000; i++) {
            long millis = random.nextLong() & Long.MAX_VALUE;
            long node = random.nextLong() & FlakeId.MAX_NODE;
            int sequence = random.nextInt(FlakeId.MAX_SEQUENCE + 1);
            FlakeId id = FlakeId.parse(FlakeId.of(millis, node, sequence).toString());
            assertEquals(millis, id.epochMillis());
            assertEquals(node, id.node());
            assertEquals(sequence, id.sequence());
        }
    }

    @Test
    void ofRejectsANegativeTime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlakeId.of(-1, 0, 0));
        assertTrue(e.getMessage().contains("epochMillis") && e.getMessage().contains("-1"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1L, FlakeId.MAX_NODE + 1, Long.MAX_VALUE, Long.MIN_VALUE})
    void ofRejectsANodeOutside48Bits(long node) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlakeId.of(0, node, 0));
        assertTrue(e.getMessage().contains("node must be between 0 and " + FlakeId.MAX_NODE), e.getMessage());
        assertTrue(e.getMessage().contains("but was " + node), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, FlakeId.MAX_SEQUENCE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void ofRejectsASequenceOutside16Bits(int sequence) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlakeId.of(0, 0, sequence));
        assertTrue(e.getMessage().contains("sequence must be between 0 and " + FlakeId.MAX_SEQUENCE), e.getMessage());
        assertTrue(e.getMessage().contains("but was " + sequence), e.getMessage());
    }

    @Test
    void fromBitsRejectsANegativeTimePart() {
        assertThrows(IllegalArgumentException.class, () -> FlakeId.fromBits(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> FlakeId.fromBits(Long.MIN_VALUE, 0));
    }

    @Test
    void equalIdsAreEqualAndHashAlike() {
        FlakeId a = FlakeId.of(1000, 42, 7);
        FlakeId b = FlakeId.fromBits(1000, (42L << 16) | 7);
        FlakeId c = FlakeId.parse(a.toString());
        assertEquals(a, b);
        assertEquals(b, a);
        assertEquals(a, c);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.hashCode(), c.hashCode());
        assertEquals(0, a.compareTo(b));
        assertEquals(a, a);
    }

    @Test
    void idsDifferingInAnyPartAreNotEqual() {
        FlakeId a = FlakeId.of(1000, 42, 7);
        assertNotEquals(a, FlakeId.of(1001, 42, 7));
        assertNotEquals(a, FlakeId.of(1000, 43, 7));
        assertNotEquals(a, FlakeId.of(1000, 42, 8));
        assertNotEquals(a, FlakeId.fromBits(a.lowBits(), a.highBits()));
        assertNotEquals(a, null);
        assertNotEquals(a, (Object) a.toString());
    }

    @Test
    void hashCodesSpreadOverDistinctIds() {
        SplittableRandom random = new SplittableRandom(SEED + 3);
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            hashes.add(FlakeId.fromBits(random.nextLong() & Long.MAX_VALUE, random.nextLong()).hashCode());
        }
        assertTrue(hashes.size() > 9_900, "only " + hashes.size() + " distinct hash codes");
    }

    private static int firstNonHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return i;
            }
        }
        throw new IllegalArgumentException("no non-hex character in " + text);
    }
}
