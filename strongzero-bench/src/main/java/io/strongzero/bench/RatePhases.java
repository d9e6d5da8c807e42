package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed-rate method of the latency scenarios ({@code latency}, {@code sweep}, {@code two_instances}) on one
 * producer JVM and one consumer JVM: {@link BenchRun#RATE_THREADS} sender threads take scheduled slots at a fixed
 * offered rate, one message per transaction, and each message's latency runs from its <em>scheduled</em> send time
 * (coordinated omission corrected) to the start of its handler in the consumer JVM. Keeps count of the messages
 * sent so far, so phases follow each other on the same journal.
 */
final class RatePhases {

    /** Waits until every consumer applied position {@code target}, reporting the named consumers' windows. */
    interface Await {
        JsonNode await(long target, long work, List<String> windows);
    }

    /**
     * What one consumer saw of a phase: the latency summary (percentiles from schedule, from actual send, sender
     * delay behind schedule), the stage breakdown, the consumer's raw window and the producer's reply.
     */
    record View(ObjectNode summary, ObjectNode breakdown, JsonNode window, JsonNode producerReply) {
    }

    /** The rate at which the warm-up offers messages. */
    static final double WARMUP_PER_SECOND = 1000;

    private final ChildJvm prod;
    private final ChildJvm cons;
    private final Await await;
    private long sent;

    RatePhases(ChildJvm prod, ChildJvm cons, Await await) {
        this.prod = prod;
        this.cons = cons;
        this.await = await;
    }

    /**
     * Offers {@value #WARMUP_PER_SECOND} messages/s for {@code seconds} through producer instance {@code instance},
     * unmeasured (JIT compilation, connection pools), and waits until every consumer applied them.
     */
    void warmUp(double seconds, String instance) {
        long warm = Math.round(WARMUP_PER_SECOND * seconds);
        prod.call(rate(WARMUP_PER_SECOND, warm, instance), BenchRun.limit(warm));
        sent += warm;
        await.await(sent, warm, List.of());
    }

    /**
     * Offers {@code count} messages at {@code perSecond} through the sender of producer instance {@code instance}
     * (which wakes that instance's pump only), waits until every consumer applied them, and returns one view per
     * entry of {@code views}: consumer name to the producer instance whose head announcements split that consumer's
     * latency into stages ({@link Breakdown}). Views come back in the order given.
     */
    Map<String, View> run(double perSecond, long count, String instance, Map<String, String> views) {
        cons.call(Json.object().put("cmd", "record").put("from", sent).put("to", sent + count), Duration.ofSeconds(30));
        long since = Micros.now();
        JsonNode r = prod.call(rate(perSecond, count, instance), Duration.ofSeconds((long) (count / perSecond) + 120));
        sent += count;
        JsonNode a = await.await(sent, count, new ArrayList<>(views.keySet()));
        Map<String, JsonNode> heads = new HashMap<>();
        Map<String, View> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> v : views.entrySet()) {
            JsonNode events = heads.computeIfAbsent(v.getValue(), i -> prod.call(Json.object().put("cmd", "headEvents")
                    .put("instance", i).put("since_micros", since), Duration.ofSeconds(30)));
            JsonNode window = a.path("windows").path(v.getKey());
            ObjectNode summary = ((ObjectNode) window.path("latency")).deepCopy();
            summary.put("offered_per_s", perSecond);
            summary.put("messages", count);
            summary.put("missing", window.path("window_missing").asLong());
            summary.put("sender_behind_schedule_p99_ms", r.path("sender_behind_schedule_p99_ms").asDouble());
            summary.put("sender_behind_schedule_max_ms", r.path("sender_behind_schedule_max_ms").asDouble());
            summary.set("from_actual_send", window.path("latency_from_send"));
            result.put(v.getKey(), new View(summary, Breakdown.of(window, r, events), window, r));
        }
        return result;
    }

    private static ObjectNode rate(double perSecond, long count, String instance) {
        return Json.object().put("cmd", "rate").put("per_second", perSecond).put("count", count)
                .put("threads", BenchRun.RATE_THREADS).put("instance", instance);
    }
}
