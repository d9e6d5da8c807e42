package io.strongzero.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Percentiles of a set of latencies, from a sorted copy (exact, no histogram buckets). Nearest-rank
 * definition: p is the smallest value with at least p% of the samples at or below it.
 */
final class Latencies {

    /** The percentiles reported in every summary, with their JSON names. */
    static final double[] REPORTED = {50, 90, 99, 99.9};
    static final String[] REPORTED_NAMES = {"p50", "p90", "p99", "p99_9"};

    /** The points of the percentile curve drawn in charts. */
    private static final double[] CURVE = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100};

    private final long[] sorted;

    private Latencies(long[] sorted) {
        this.sorted = sorted;
    }

    /** From the first {@code count} values of {@code micros} (not modified). */
    static Latencies ofMicros(long[] micros, int count) {
        long[] copy = Arrays.copyOf(micros, count);
        Arrays.sort(copy);
        return new Latencies(copy);
    }

    int count() {
        return sorted.length;
    }

    /** The nearest-rank percentile in microseconds; 0 for no samples. */
    long percentileMicros(double p) {
        if (sorted.length == 0) {
            return 0;
        }
        if (p <= 0) {
            return sorted[0];
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    long maxMicros() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    double meanMicros() {
        if (sorted.length == 0) {
            return 0;
        }
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return sum / sorted.length;
    }

    /** count, min, p50, p90, p99, p99_9, max, mean in milliseconds, and the percentile curve. */
    ObjectNode summaryMillis(boolean withCurve) {
        ObjectNode n = Json.object();
        n.put("count", sorted.length);
        n.put("min", ms(percentileMicros(0)));
        for (int i = 0; i < REPORTED.length; i++) {
            n.put(REPORTED_NAMES[i], ms(percentileMicros(REPORTED[i])));
        }
        n.put("max", ms(maxMicros()));
        n.put("mean", Json.round(meanMicros() / 1000.0, 3));
        if (withCurve) {
            ArrayNode curve = n.putArray("curve");
            for (double p : CURVE) {
                curve.addObject().put("percentile", p).put("ms", ms(percentileMicros(p)));
            }
        }
        return n;
    }

    private static double ms(long micros) {
        return Json.round(micros / 1000.0, 3);
    }
}
