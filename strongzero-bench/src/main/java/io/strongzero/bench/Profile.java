package io.strongzero.bench;

import java.util.List;
import java.util.Locale;

/**
 * How much work each scenario does. {@code quick} finishes in about two minutes per database on a
 * two-core machine; {@code full} is the size the targets refer to (1,000,000-message catch-up);
 * {@code tiny} is the structural smoke check run by the unit test (seconds, numbers meaningless).
 */
enum Profile {
    //   tx1 warm/msgs, tx100 warm/msgs, latency warm-up s, 100/s s, 1000/s s, sparse s, catch-up, fan-out backlog,
    //   fan-out consumer counts, repeats, JVM options for short-lived children, sweep seconds per rate, sweep's
    //   highest offered rate, parallel apply: seconds each concurrency is expected to take, the concurrencies
    TINY(40, 200, 200, 1_000, 0.2, 0.3, 0.2, 0.6, 2_000, 500, new int[] {1, 4}, 1, List.of("-XX:TieredStopAtLevel=1"), 0.3, 1_000,
            0.5, new int[] {1, 4}),
    QUICK(2_000, 6_000, 10_000, 50_000, 3, 10, 10, 12, 100_000, 20_000, new int[] {1, 4, 16}, 1, List.of(), 3, 64_000,
            6, new int[] {1, 4, 16}),
    FULL(10_000, 50_000, 100_000, 1_000_000, 10, 60, 60, 120, 1_000_000, 100_000, new int[] {1, 4, 16}, 3, List.of(), 10, 64_000,
            12, new int[] {1, 4, 16});

    final int tx1Warmup;
    final int tx1Messages;
    final int tx100Warmup;
    final int tx100Messages;
    final double latencyWarmupSeconds;
    final double rate100Seconds;
    final double rate1000Seconds;
    final double sparseSeconds;
    final int catchupMessages;
    final int fanoutBacklog;
    final int[] fanout;
    final int repeats;
    final List<String> childJvmOptions;
    /** How long each offered rate of the latency sweep lasts, in (scheduled) seconds. */
    final double sweepStepSeconds;
    /** The sweep's ladder stops here if nothing saturated before (see {@link Sweep}). */
    final double sweepMaxRate;
    /**
     * How long each parallel-apply run is expected to last at its expected rate (the backlog of each run is sized
     * from it, see {@link ParallelApply#backlog}); the real run lasts longer where the lanes fall short.
     */
    final double parallelSeconds;
    /** The consumer concurrencies the parallel-apply scenario measures, 1 first (the speed-ups are against it). */
    final int[] parallelConcurrency;

    Profile(int tx1Warmup, int tx1Messages, int tx100Warmup, int tx100Messages, double latencyWarmupSeconds,
            double rate100Seconds, double rate1000Seconds, double sparseSeconds, int catchupMessages, int fanoutBacklog,
            int[] fanout, int repeats, List<String> childJvmOptions, double sweepStepSeconds, double sweepMaxRate,
            double parallelSeconds, int[] parallelConcurrency) {
        this.tx1Warmup = tx1Warmup;
        this.tx1Messages = tx1Messages;
        this.tx100Warmup = tx100Warmup;
        this.tx100Messages = tx100Messages;
        this.latencyWarmupSeconds = latencyWarmupSeconds;
        this.rate100Seconds = rate100Seconds;
        this.rate1000Seconds = rate1000Seconds;
        this.sparseSeconds = sparseSeconds;
        this.catchupMessages = catchupMessages;
        this.fanoutBacklog = fanoutBacklog;
        this.fanout = fanout;
        this.repeats = repeats;
        this.childJvmOptions = childJvmOptions;
        this.sweepStepSeconds = sweepStepSeconds;
        this.sweepMaxRate = sweepMaxRate;
        this.parallelSeconds = parallelSeconds;
        this.parallelConcurrency = parallelConcurrency;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Profile fromName(String name) {
        for (Profile p : values()) {
            if (p.id().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("profile must be tiny, quick or full but was '" + name + "'");
    }
}
