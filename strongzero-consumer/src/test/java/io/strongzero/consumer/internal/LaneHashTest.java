package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LaneHashTest {

    private static int hash(String s) {
        return LaneHash.murmur3(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * MurmurHash3 x86_32 with seed 0, as published (and as Guava's murmur3_32_fixed computes it, checked against
     * 100,000 random inputs when this was written): a key's lane must never change between versions.
     */
    @Test
    void theHashIsMurmur3X86With32BitsAndSeedZeroOverUtf8() {
        assertEquals(0x00000000, hash(""));
        assertEquals(0x3c2569b2, hash("a"));
        assertEquals(0x9bbfd75f, hash("ab"));
        assertEquals(0xb3dd93fa, hash("abc"));
        assertEquals(0x43ed676a, hash("abcd"));
        assertEquals(0x248bfa47, hash("hello"));
        assertEquals(0x2e4ff723, hash("The quick brown fox jumps over the lazy dog"));
        assertEquals(0x241c0f08, hash("caf\u00e9"));
        assertEquals(0xc4d9f942, hash("\u65e5\u672c"));
    }

    @Test
    void theLaneIsTheUnsignedHashModuloTheLaneCount() {
        assertEquals(Integer.remainderUnsigned(0x9bbfd75f, 8), LaneHash.laneOf("ab", 8));
        assertEquals(7, LaneHash.laneOf("ab", 8));
        assertEquals(15, LaneHash.laneOf("ab", 16));
        assertEquals(14, LaneHash.laneOf("order-42", 16));
        assertEquals(8, LaneHash.laneOf("caf\u00e9", 16));
    }

    @Test
    void messagesWithoutAKeyAndEveryMessageOfASingleLaneGoToLaneZero() {
        assertEquals(0, LaneHash.laneOf(null, 8));
        assertEquals(0, LaneHash.laneOf("anything", 1));
    }

    @Test
    void keysSpreadOverEveryLane() {
        int[] counts = new int[16];
        for (int i = 0; i < 16_000; i++) {
            counts[LaneHash.laneOf("key-" + i, 16)]++;
        }
        for (int c : counts) {
            assertTrue(c > 800 && c < 1200, "a lane got " + c + " of 16,000 keys");
        }
    }
}
