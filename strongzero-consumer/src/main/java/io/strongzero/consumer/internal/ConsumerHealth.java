package io.strongzero.consumer.internal;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.Health;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consumer's health. Liveness: each producer's thread runs. Readiness: started, and the consumer database answers.
 * Degraded (with reasons): a producer not answering or refusing, a blocked stream, open dead letters. Internal API.
 */
public final class ConsumerHealth {
    private ConsumerHealth() {
    }

    /**
     * The health of a consumer with these streams; {@code running}/{@code closed} are its lifecycle, {@code ticker}
     * and the stores' clock the time sources.
     */
    public static Health of(ConsumerConfig config, ConsumerStores stores, Collection<StreamWorker> streams,
                            ConsumerCounters counters, boolean running, boolean closed, Ticker ticker) {
        Health.Builder h = new Health.Builder("consumer:" + config.name());
        if (!running) {
            h.notReady(closed ? "closed" : "not started");
        }
        long now = ticker.millis();
        long silence = config.longPollWait().toMillis() + config.requestTimeout().toMillis();
        List<Map<String, Object>> details = new ArrayList<>();
        for (StreamWorker w : streams) {
            StreamState l = w.state();
            if (running && !w.thread().isAlive()) {
                h.dead("the thread of producer " + l.producer() + " died: " + l.lastError());
            }
            boolean connected = l.replied() && now - l.lastReplyMonotonic() <= silence;
            ErrorCode refusal = l.refusal();
            if (running && refusal != null) {
                h.degraded("producer " + l.producer() + " at " + l.endpoint() + " refuses this consumer's pulls ("
                        + refusal + "); the stream cannot move until the configuration on either side is corrected: "
                        + l.lastError());
            } else if (running && !connected) {
                String cause = l.silenceCause();
                h.degraded("no reply from producer " + l.producer() + " at " + l.endpoint()
                        + (!l.replied() ? " yet" : " for " + (now - l.lastReplyMonotonic()) + " ms") + ": "
                        + (cause != null ? cause : l.lastError()));
            }
            if (l.blocked()) {
                h.degraded("the stream of producer " + l.producer() + " is blocked by a dead letter: replay or discard it");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("producer", l.producer());
            m.put("endpoint", l.endpoint());
            m.put("connected", connected);
            m.put("position", l.position());
            m.put("head", l.head());
            m.put("lagMessages", l.lagMessages());
            m.put("lagMillis", l.lagMillis(stores.clock().millis()));
            m.put("lastSuccessfulPull", l.lastReplyAt());
            m.put("blocked", l.blocked());
            if (l.lanes() > 1) {
                m.put("lanes", l.lanes());
                m.put("buffered", l.buffered());
                m.put("bufferFull", l.bufferFull());
            }
            m.put("refused", refusal == null ? null : refusal.name());
            details.add(m);
        }
        h.detail("producers", details).detail("applied", counters.applied()).detail("skipped", counters.skipped())
                .detail("failures", counters.failures()).detail("parked", counters.parked())
                .detail("replayed", counters.replayed());
        try (Connection c = stores.dataSource().getConnection()) {
            if (!c.isValid(2)) {
                h.notReady("the consumer database does not answer");
            } else {
                long open = Transactions.autoCommit(c, ac -> stores.letters().countOpen(ac, config.name()));
                h.detail("deadLetters", open);
                if (stores.positions() instanceof OffsetStore) {
                    h.detail("held", Transactions.autoCommit(c, ac -> stores.held().count(ac, config.name())));
                }
                if (open > 0) {
                    h.degraded(open + " dead letters wait for replay or discard");
                }
            }
        } catch (SQLException | RuntimeException e) {
            h.notReady("the consumer database is unreachable: " + e.getMessage());
        }
        return h.build();
    }
}
