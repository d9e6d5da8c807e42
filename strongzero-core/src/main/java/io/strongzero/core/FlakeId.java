package io.strongzero.core;

import java.util.Objects;

/**
 * A 128-bit, time-ordered message identity: 64 bits of epoch milliseconds, a 48-bit node id and a
 * 16-bit sequence.
 *
 * <p>The canonical text form is 32 lower-case hexadecimal characters ({@link #toString}, {@link #parse}); the
 * canonical binary form, in which the databases store ids, is 16 bytes, big-endian ({@link #toBytes},
 * {@link #fromBytes}). Both sort exactly as the ids compare ({@link #compareTo}): the text lexicographically,
 * the bytes lexicographically as <em>unsigned</em> values (as SQL compares binary columns). A Flake id is the <em>identity</em> of a message;
 * it is not the order in which consumers receive messages (that is the journal position assigned by
 * the sequencer after commit, see {@code docs/design.md}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FlakeId implements Comparable<FlakeId> {

    /** Largest node id: 48 bits. */
    public static final long MAX_NODE = (1L << 48) - 1;
    /** Largest sequence number within one millisecond: 16 bits. */
    public static final int MAX_SEQUENCE = (1 << 16) - 1;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long high;
    private final long low;

    private FlakeId(long high, long low) {
        this.high = high;
        this.low = low;
    }

    /**
     * Builds an id from its parts.
     *
     * @throws IllegalArgumentException if {@code epochMillis} is negative, {@code node} does not fit
     *     48 bits or {@code sequence} does not fit 16 bits
     */
    public static FlakeId of(long epochMillis, long node, int sequence) {
        if (epochMillis < 0) {
            throw new IllegalArgumentException("epochMillis must not be negative but was " + epochMillis);
        }
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException("node must be between 0 and " + MAX_NODE + " but was " + node);
        }
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException(
                    "sequence must be between 0 and " + MAX_SEQUENCE + " but was " + sequence);
        }
        return new FlakeId(epochMillis, (node << 16) | sequence);
    }

    /** Length of the binary form ({@link #toBytes}). */
    public static final int BYTES = 16;

    /** Builds an id from its two 64-bit halves (as stored in 16-byte binary form). */
    public static FlakeId fromBits(long high, long low) {
        if (high < 0) {
            throw new IllegalArgumentException("a Flake id's time part must not be negative but was " + high);
        }
        return new FlakeId(high, low);
    }

    /**
     * Parses the canonical 32-character hexadecimal form ({@code 0-9 a-f}; upper-case {@code A-F} is
     * accepted too).
     *
     * @throws IllegalArgumentException naming the text and the rule if it is not 32 ASCII hexadecimal digits
     */
    public static FlakeId parse(CharSequence text) {
        Objects.requireNonNull(text, "text");
        if (text.length() != 32) {
            throw new IllegalArgumentException(
                    "a Flake id is 32 hexadecimal characters but '" + shorten(text) + "' has " + text.length());
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 32; i++) {
            int digit = hexDigit(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("a Flake id is 32 hexadecimal characters but '" + shorten(text)
                        + "' has '" + text.charAt(i) + "' at index " + i);
            }
            if (i < 16) {
                high = (high << 4) | digit;
            } else {
                low = (low << 4) | digit;
            }
        }
        return fromBits(high, low);
    }

    /**
     * Reads the canonical 16-byte big-endian binary form ({@link #toBytes}), as stored in the databases.
     *
     * @throws IllegalArgumentException naming the length if {@code bytes} is not 16 bytes long, or if the time
     *     part (the first 8 bytes) is negative
     */
    public static FlakeId fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException(
                    "a Flake id is " + BYTES + " bytes in binary form but the value has " + bytes.length);
        }
        return fromBits(readLong(bytes, 0), readLong(bytes, 8));
    }

    private static long readLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    /** The value of an ASCII hexadecimal digit, or -1 (Character.digit also accepts non-ASCII digits). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String shorten(CharSequence text) {
        return text.length() <= 40 ? text.toString() : text.subSequence(0, 40) + "...";
    }

    /** Milliseconds since the epoch at which the id was generated (by the generating node's clock). */
    public long epochMillis() {
        return high;
    }

    /** The 48-bit node id of the generator. */
    public long node() {
        return low >>> 16;
    }

    /** The 16-bit sequence within the millisecond. */
    public int sequence() {
        return (int) (low & 0xFFFF);
    }

    /** The upper 64 bits (the timestamp). */
    public long highBits() {
        return high;
    }

    /** The lower 64 bits (node and sequence). */
    public long lowBits() {
        return low;
    }

    /**
     * The canonical 16-byte binary form: the upper 64 bits, then the lower 64 bits, each big-endian. Compared
     * lexicographically as unsigned bytes, these arrays sort exactly as the ids ({@link #compareTo}). Returns a
     * new array on every call.
     */
    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        writeLong(high, out, 0);
        writeLong(low, out, 8);
        return out;
    }

    private static void writeLong(long value, byte[] out, int offset) {
        for (int i = 7; i >= 0; i--) {
            out[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    /** The canonical 32-character lower-case hexadecimal form. */
    @Override
    public String toString() {
        char[] out = new char[32];
        writeHex(high, out, 0);
        writeHex(low, out, 16);
        return new String(out);
    }

    private static void writeHex(long value, char[] out, int offset) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    @Override
    public int compareTo(FlakeId other) {
        int c = Long.compareUnsigned(high, other.high);
        return c != 0 ? c : Long.compareUnsigned(low, other.low);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlakeId other && other.high == high && other.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + Long.hashCode(low);
    }
}
