package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The latency-versus-offered-rate sweep: its ladder of offered rates, the figures of one step and the rule that
 * ends it. Each step offers one rate for the profile's step length with the method of the latency scenario
 * ({@link RatePhases}); the sweep climbs the ladder and stops after the first <em>saturated</em> step:
 * <ul>
 *   <li>its achieved rate is below {@value #MIN_ACHIEVED_SHARE} of the offered rate, the achieved rate being the
 *       step's messages divided by the time from the first scheduled send to the last handler start (so a sender
 *       that falls behind its schedule and a consumer that falls behind the senders both lower it); or</li>
 *   <li>its p99 latency (from the scheduled send time) exceeds {@value #MAX_P99_MS} ms.</li>
 * </ul>
 * If no step saturates, the sweep ends at the profile's highest rate.
 */
final class Sweep {

    /** The offered rates, messages/s, climbed in order. */
    static final double[] LADDER = {100, 300, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000};
    /** A step whose achieved rate is below this share of the offered rate is saturated. */
    static final double MIN_ACHIEVED_SHARE = 0.9;
    /** A step whose p99 latency from schedule exceeds this is saturated. */
    static final double MAX_P99_MS = 1000;
    /** The stop rule in words, for the result file and the report. */
    static final String RULE = String.format(Locale.ROOT, "stops after the first offered rate whose achieved rate (messages "
            + "/ first scheduled send to last handler start) is below %.0f%% of the offered rate, or whose p99 from the "
            + "scheduled send time exceeds %,.0f ms", MIN_ACHIEVED_SHARE * 100, MAX_P99_MS);
    /** The fewest messages a step offers, however short the profile's step. */
    static final long MIN_MESSAGES = 20;

    private Sweep() {
    }

    /** The ladder's rates up to {@code maxRate}, in order. */
    static List<Double> rates(double maxRate) {
        List<Double> rates = new ArrayList<>();
        for (double r : LADDER) {
            if (r <= maxRate) {
                rates.add(r);
            }
        }
        return rates;
    }

    /** How many messages a step at {@code perSecond} offers over {@code seconds}. */
    static long messages(double perSecond, double seconds) {
        return Math.max(MIN_MESSAGES, Math.round(perSecond * seconds));
    }

    /**
     * One step's entry: offered and achieved rates, the latency percentiles from the scheduled send time, commit ->
     * handler p50 and p99 (StrongZero's share, without the sender's transaction), and, if the step is saturated,
     * why ({@code saturated}).
     */
    static ObjectNode step(double offered, RatePhases.View view) {
        JsonNode s = view.summary();
        JsonNode window = view.window();
        JsonNode intended = window.path("intended_micros");
        JsonNode handled = window.path("handler_micros");
        JsonNode commits = view.producerReply().path("commit_micros");
        long firstScheduled = Long.MAX_VALUE;
        long lastHandled = Long.MIN_VALUE;
        long lastCommit = Long.MIN_VALUE;
        int received = 0;
        for (int i = 0; i < handled.size(); i++) {
            long h = handled.get(i).asLong();
            if (h >= 0) {
                received++;
                firstScheduled = Math.min(firstScheduled, intended.get(i).asLong());
                lastHandled = Math.max(lastHandled, h);
            }
        }
        for (JsonNode c : commits) {
            lastCommit = Math.max(lastCommit, c.asLong());
        }
        ObjectNode step = Json.object();
        step.put("offered_per_s", offered);
        step.put("messages", s.path("messages").asLong());
        double achieved = received == 0 ? 0 : received / (Math.max(1, lastHandled - firstScheduled) / 1e6);
        step.put("achieved_per_s", Json.round(achieved, 0));
        if (received > 0 && commits.size() > 0) {
            step.put("committed_per_s", Json.round(commits.size() / (Math.max(1, lastCommit - firstScheduled) / 1e6), 0));
        }
        for (String p : new String[] {"p50", "p90", "p99", "p99_9", "max"}) {
            step.put(p, s.path(p).asDouble());
        }
        JsonNode c2h = view.breakdown().path("commit_to_handler");
        step.put("commit_to_handler_p50", c2h.path("p50").asDouble());
        step.put("commit_to_handler_p99", c2h.path("p99").asDouble());
        step.put("sender_behind_schedule_p99_ms", s.path("sender_behind_schedule_p99_ms").asDouble());
        step.put("missing", s.path("missing").asLong());
        String why = saturation(offered, achieved, s.path("p99").asDouble());
        if (why != null) {
            step.put("saturated", why);
        }
        return step;
    }

    /** Why a step with these figures is saturated, or {@code null} if it is not. */
    static String saturation(double offered, double achieved, double p99Millis) {
        if (achieved < MIN_ACHIEVED_SHARE * offered) {
            return String.format(Locale.ROOT, "achieved %,.0f msg/s, %.0f%% of the offered %,.0f", achieved,
                    100 * achieved / offered, offered);
        }
        if (p99Millis > MAX_P99_MS) {
            return String.format(Locale.ROOT, "p99 %,.1f ms > %,.0f ms", p99Millis, MAX_P99_MS);
        }
        return null;
    }
}
