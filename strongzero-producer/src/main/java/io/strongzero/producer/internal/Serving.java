package io.strongzero.producer.internal;

import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Endpoints;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.Threads;
import io.strongzero.producer.ProducerConfig;
import io.strongzero.pump.HeadListener;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.pump.TailListener;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * The serving threads of a producer and their wiring: the wake-up pipe, the reader pool, and the frontend thread
 * running a {@link Frontend} over a {@link RequestHandler} and a {@link JournalReader}, with the in-memory tail the
 * pump feeds and the pump's head listener. Also holds the ZAP handler and the rate-limited logs of refused requests
 * and failed handshakes. Lifecycle: {@link #start()} once, {@link #stop()} once.
 * Internal API.
 */
public final class Serving {

    private static final Logger log = ProducerLog.LOG;

    private final String name;
    private final ProducerConfig config;
    private final StrongZeroPump pump;
    private final ZapHandler zap;
    private final TailCache tail;
    private final TailListener tailListener;
    private final HeadListener headListener = h -> wake();
    private final Replies replies;
    private final ProgressRecorder progress;
    private final StrongZeroMetrics metrics;
    private final ProducerCounters counters;
    private final Ticker ticker;
    private final BooleanSupplier running;
    private final HeldBackLog refusalLog;
    private final HeldBackLog handshakeLog;
    private volatile WakePipe pipe;
    private ThreadPoolExecutor readerPool;
    private volatile Thread frontend;

    /**
     * @param unregisteredMeterName the consumer name the metrics get for names nobody vouched for
     * @param running               false once the producer closes
     */
    public Serving(String name, ProducerConfig config, StrongZeroPump pump, ProgressRecorder progress,
                   StrongZeroMetrics metrics, ProducerCounters counters, Ticker ticker, String unregisteredMeterName,
                   BooleanSupplier running) {
        this.name = name;
        this.config = config;
        this.pump = pump;
        this.zap = config.security() == null ? null : new ZapHandler(name, config.security(), ticker);
        this.tail = config.tailCacheMessages() > 0 ? new TailCache(config.tailCacheMessages(), config.tailCacheBytes()) : null;
        this.tailListener = tail == null ? null : tail::append;
        this.replies = new Replies(name, metrics, counters, progress::holdsRetention, unregisteredMeterName);
        this.progress = progress;
        this.metrics = metrics;
        this.counters = counters;
        this.ticker = ticker;
        this.running = running;
        String prefix = "strongzero-producer[" + name + "]: ";
        this.refusalLog = new HeldBackLog(10_000, ticker::millis, log::warn, (held, kinds, total) -> prefix
                + "refused " + held + " more request" + (held == 1 ? "" : "s") + " not logged one by one (" + kinds + "; "
                + total + " refused so far)");
        this.handshakeLog = new HeldBackLog(10_000, ticker::millis, log::warn, (held, kinds, total) -> prefix
                + held + " more CURVE handshake" + (held == 1 ? "" : "s") + " failed, not logged one by one (" + kinds
                + "; " + total + " failed so far)");
    }

    /**
     * Opens the pipe and the reader pool, starts the frontend, waits (up to 10 s) until it has bound, then listens
     * to the pump (new heads, and stamped messages for the tail) and logs where it serves.
     *
     * @return the endpoints bound, with real ports
     * @throws StrongZeroException if binding fails (a {@link io.strongzero.core.StrongZeroConfigException} for a
     *     port in use or a bad address), takes longer than 10 s, or the caller is interrupted (flag restored); the
     *     caller then stops what was started
     */
    public List<String> start() {
        try {
            pipe = new WakePipe();
        } catch (IOException e) {
            throw new StrongZeroException("producer " + name + ": cannot open the wake-up pipe", e);
        }
        readerPool = new ThreadPoolExecutor(config.readers(), config.readers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.maxQueuedReads()), Threads.factory("producer", name + "-reader"),
                new ThreadPoolExecutor.AbortPolicy());
        JournalReader reader = new JournalReader(name, pump.dataSource(), new JournalStore(pump.dialect(),
                pump.tablePrefix()), new JournalReader.Limits(config.maxBatchMessages(), config.maxBatchBytes(),
                config.maxInflightPulls(), config.maxInflightBytes(), config.maxQueuedReads()), tail, replies, counters,
                readerPool, pipe::wake);
        RequestHandler handler = new RequestHandler(name, new RequestCheck(name, zap), progress, reader, replies, metrics,
                counters, refusalLog, config.maxParked());
        Frontend loop = new Frontend(name, new Frontend.Settings(config.endpoints(), config.heartbeat(),
                config.maxParked()), config.security(), zap, handler, reader, pump::head, pipe, ticker, counters,
                refusalLog, handshakeLog, running);
        CompletableFuture<List<String>> bound = new CompletableFuture<>();
        frontend = Threads.newThread("producer", name + "-frontend", () -> loop.run(bound));
        frontend.start();
        List<String> endpoints;
        try {
            endpoints = bound.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof StrongZeroException sz ? sz
                    : new StrongZeroException("producer " + name + ": frontend failed to start", cause);
        } catch (TimeoutException e) {
            throw new StrongZeroException("producer " + name + ": frontend did not bind within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrongZeroException("producer " + name + ": interrupted while starting", e);
        }
        if (tail != null) {
            pump.addTailListener(tailListener);
        }
        pump.addListener(headListener);
        log.info("strongzero-producer[{}]: serving on {} with {} readers, batches up to {} messages / {} bytes, {}",
                name, endpoints, config.readers(), config.maxBatchMessages(), config.maxBatchBytes(),
                config.security() == null ? "plaintext" : config.security());
        if (config.security() == null) {
            for (String endpoint : endpoints) {
                if (!Endpoints.isLocal(endpoint)) {
                    log.warn("strongzero-producer[{}]: {} is not a loopback endpoint and runs WITHOUT encryption or "
                            + "authentication: anyone who can reach it can read the journal; configure "
                            + "security(ProducerSecurity) (docs/security.md)", name, endpoint);
                }
            }
        }
        return endpoints;
    }

    /** Connections the ZAP handler refused (0 in plaintext). */
    public long deniedConnections() {
        return zap == null ? 0 : zap.deniedCount();
    }

    /** Wakes the frontend (a new head); a no-op before start. */
    public void wake() {
        WakePipe p = pipe;
        if (p != null) {
            p.wake();
        }
    }

    /** True while the frontend thread runs. */
    public boolean frontendAlive() {
        Thread f = frontend;
        return f != null && f.isAlive();
    }

    /**
     * Stops listening to the pump, stops the frontend and the readers, waiting up to 5 s each (the caller has made
     * {@code running} false; a WARN if one does not stop), and closes the pipe. Restores the interrupt flag if
     * interrupted.
     */
    public void stop() {
        pump.removeListener(headListener);
        if (tail != null) {
            pump.removeTailListener(tailListener);
        }
        wake();
        boolean stopped = Threads.join(frontend, 5_000);
        if (readerPool != null) {
            readerPool.shutdownNow();
            try {
                stopped &= readerPool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pipe != null) {
            try {
                pipe.close();
            } catch (IOException e) {
                log.debug("strongzero-producer[{}]: closing the wake-up pipe failed", name, e);
            }
        }
        if (!stopped) {
            log.warn("strongzero-producer[{}]: a thread did not stop within 5 s", name);
        }
    }
}
