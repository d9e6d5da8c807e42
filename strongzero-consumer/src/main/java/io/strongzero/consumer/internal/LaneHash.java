package io.strongzero.consumer.internal;

import java.nio.charset.StandardCharsets;

/**
 * The lane of a message: {@code murmur3_32(utf8(key), seed 0) mod lanes}, the hash taken as an unsigned 32-bit
 * number; messages without a key go to lane 0. MurmurHash3 (x86, 32-bit) is fixed by its published definition, so
 * a key keeps its lane across versions, JVMs and machines: the lane positions a consumer recorded stay valid.
 * {@code docs/design.md} ("Parallel apply") documents it; {@code LaneHashTest} pins its values. Stateless.
 * Internal API.
 */
public final class LaneHash {

    private LaneHash() {
    }

    /** The lane of {@code key} (null: no key) among {@code lanes} lanes. */
    public static int laneOf(String key, int lanes) {
        if (lanes <= 1 || key == null) {
            return 0;
        }
        return Integer.remainderUnsigned(murmur3(key.getBytes(StandardCharsets.UTF_8)), lanes);
    }

    /** MurmurHash3 x86 32-bit of {@code data} with seed 0. */
    static int murmur3(byte[] data) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = 0;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int j = i * 4;
            int k = (data[j] & 0xff) | (data[j + 1] & 0xff) << 8 | (data[j + 2] & 0xff) << 16 | (data[j + 3] & 0xff) << 24;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int rest = data.length & 3;
        if (rest > 0) {
            int k = 0;
            if (rest == 3) {
                k ^= (data[tail + 2] & 0xff) << 16;
            }
            if (rest >= 2) {
                k ^= (data[tail + 1] & 0xff) << 8;
            }
            k ^= data[tail] & 0xff;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
