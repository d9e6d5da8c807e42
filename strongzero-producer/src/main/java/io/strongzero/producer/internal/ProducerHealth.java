package io.strongzero.producer.internal;

import io.strongzero.core.Health;
import io.strongzero.pump.JournalAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a producer's {@link Health}: its threads, its pump's health, its counters, and each consumer that is not
 * UNREGISTERED with its position, lag and state (an ACTIVE one without a pull for {@code idleAfter} shows as
 * {@code IDLE}). Reads the consumer table on each call. Thread-safe. Internal API.
 */
public final class ProducerHealth {

    private final String name;
    private final JournalAdmin admin;
    private final Duration idleAfter;
    private final ProducerCounters counters;
    private final ProgressRecorder progress;

    public ProducerHealth(String name, JournalAdmin admin, Duration idleAfter, ProducerCounters counters,
                          ProgressRecorder progress) {
        this.name = name;
        this.admin = admin;
        this.idleAfter = idleAfter;
        this.counters = counters;
        this.progress = progress;
    }

    /**
     * The health now.
     *
     * @param notRunning       why the producer does not run ("not started", "closed"), or null if it runs
     * @param frontendAlive    whether the frontend thread runs
     * @param pump             the pump's health
     * @param maintenanceError the last maintenance failure, or null
     */
    public Health report(String notRunning, boolean frontendAlive, Health pump, List<String> endpoints,
                         String maintenanceError) {
        Health.Builder h = new Health.Builder("producer:" + name);
        if (notRunning != null) {
            h.notReady(notRunning);
        } else if (!frontendAlive) {
            h.dead("the frontend thread died");
        }
        if (!pump.live()) {
            h.dead("pump: " + String.join("; ", pump.reasons()));
        } else if (!pump.ready()) {
            h.notReady("pump: " + String.join("; ", pump.reasons()));
        } else {
            pump.reasons().forEach(r -> h.degraded("pump: " + r));
        }
        h.detail("endpoints", endpoints).detail("frontendRestarts", counters.frontendRestarts.get())
                .detail("served", counters.served.get()).detail("refused", counters.malformed.get())
                .detail("busyReplies", counters.busy.get()).detail("inflightPulls", counters.inflightPulls.get());
        pump.details().forEach(h::detail);
        try {
            long now = System.currentTimeMillis(); // the clock lastSeen is recorded with
            List<Map<String, Object>> lag = new ArrayList<>();
            int idle = 0;
            int unregistered = 0;
            for (JournalAdmin.ConsumerProgress c : admin.consumers()) {
                if (c.state() == JournalAdmin.ConsumerState.UNREGISTERED) {
                    unregistered++; // counted, not listed: made-up names must not crowd out real consumers
                    continue;
                }
                boolean isIdle = c.idle(now, idleAfter);
                idle += isIdle ? 1 : 0;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.name());
                m.put("position", c.position());
                m.put("state", isIdle ? "IDLE" : c.state().name());
                m.put("lastSeen", c.lastSeen());
                m.put("lagMessages", c.lagMessages());
                m.put("lagMillis", c.lagMillis());
                lag.add(m);
            }
            h.detail("consumers", lag).detail("idleConsumers", idle).detail("unregisteredConsumers", unregistered)
                    .detail("unrecordedConsumerNames", progress.unrecordedCount());
        } catch (RuntimeException e) {
            h.notReady("journal database unreachable: " + e.getMessage());
        }
        if (maintenanceError != null) {
            h.degraded("maintenance (progress/retention) failed: " + maintenanceError);
        }
        return h.build();
    }
}
