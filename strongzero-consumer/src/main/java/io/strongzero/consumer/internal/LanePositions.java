package io.strongzero.consumer.internal;

import java.util.Arrays;

/**
 * The positions of one (consumer, producer) pair in the offset table: the lane count its rows were recorded under
 * and the position of each lane, lane 0 first. Immutable (the array is copied in and out); value-based equality.
 * Internal API.
 *
 * @param lanes     the lane count, at least 1
 * @param positions one position per lane, {@code lanes} of them
 */
public record LanePositions(int lanes, long[] positions) {

    /**
     * @throws IllegalArgumentException if {@code lanes} is below 1 or {@code positions} does not hold one position per
     *         lane
     */
    public LanePositions {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1 but was " + lanes);
        }
        if (positions == null || positions.length != lanes) {
            throw new IllegalArgumentException("need one position per lane (" + lanes + ") but got "
                    + (positions == null ? "none" : Integer.toString(positions.length)));
        }
        positions = positions.clone();
    }

    /** {@code lanes} lanes, all at {@code position}. */
    public static LanePositions uniform(int lanes, long position) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1 but was " + lanes);
        }
        long[] p = new long[lanes];
        Arrays.fill(p, position);
        return new LanePositions(lanes, p);
    }

    /** A copy of the positions, lane 0 first. */
    @Override
    public long[] positions() {
        return positions.clone();
    }

    /**
     * The position of one lane.
     *
     * @throws IndexOutOfBoundsException if there is no such lane
     */
    public long position(int lane) {
        return positions[lane];
    }

    /** The lowest lane position: every message up to it is applied. */
    public long lowest() {
        long min = positions[0];
        for (long p : positions) {
            min = Math.min(min, p);
        }
        return min;
    }

    /** The highest lane position. */
    public long highest() {
        long max = positions[0];
        for (long p : positions) {
            max = Math.max(max, p);
        }
        return max;
    }

    /** Whether every lane is at the same position. */
    public boolean uniform() {
        return lowest() == highest();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LanePositions other && lanes == other.lanes && Arrays.equals(positions, other.positions);
    }

    @Override
    public int hashCode() {
        return 31 * lanes + Arrays.hashCode(positions);
    }

    /** For example {@code LanePositions[lanes=3, positions=[7, 9, 7]]}. */
    @Override
    public String toString() {
        return "LanePositions[lanes=" + lanes + ", positions=" + Arrays.toString(positions) + "]";
    }
}
