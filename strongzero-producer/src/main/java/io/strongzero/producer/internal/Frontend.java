package io.strongzero.producer.internal;

import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Backoff;
import io.strongzero.producer.ProducerSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;

/**
 * The producer's socket loop, on its own thread: it owns the ROUTER socket (and, under CURVE, the ZAP socket),
 * binds the endpoints, and in each turn of its poll serves ZAP requests, sends the replies readers finished,
 * hands parked pulls to the readers when the head advances, answers those whose wait is over, and passes each
 * request received to the {@link RequestHandler}. If it fails in a way nobody anticipated (a bug, an error inside
 * jeromq) it runs again on the endpoints it had bound, with backoff ({@code 100 ms x 2^restarts}, at most 5 s):
 * the producer must not stop serving for good. Parked pulls are lost with the old socket; their consumers time
 * out and pull again. Internal API.
 */
public final class Frontend {

    private static final Logger log = ProducerLog.LOG;
    /** Largest frame a peer may send; a valid request frame has at most 288 bytes. Larger ones drop the connection. */
    private static final int MAX_REQUEST_FRAME_BYTES = 4 * 1024;
    /** Requests queued per connection before ZeroMQ stops reading from it; a consumer keeps one outstanding. */
    private static final int MAX_QUEUED_REQUESTS_PER_PEER = 100;
    /**
     * Replies queued per connection; more are dropped (the consumer times out and asks again). Bounds the memory a
     * connection that does not read its replies can hold to this many batches.
     */
    private static final int MAX_QUEUED_REPLIES_PER_PEER = 16;
    private static final int HANDSHAKE_FAILURES = ZMQ.HANDSHAKE_FAILED_PROTOCOL | ZMQ.HANDSHAKE_FAILED_NO_DETAIL
            | ZMQ.HANDSHAKE_FAILED_AUTH;
    /** The wait before restart number n (1-based): {@code 50 ms x 2^min(n, 7)}, at most 5 s. */
    static final Backoff RESTART_BACKOFF = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));

    /** What the socket is set up with. */
    public record Settings(List<String> endpoints, Duration heartbeat, int maxParked) {
    }

    private final String name;
    private final Settings settings;
    private final ProducerSecurity security;
    private final ZapHandler zap;
    private final RequestHandler handler;
    private final JournalReader reader;
    private final LongSupplier head;
    private final WakePipe pipe;
    private final Ticker ticker;
    private final ProducerCounters counters;
    private final HeldBackLog refusalLog;
    private final HeldBackLog handshakeLog;
    private final BooleanSupplier running;
    /** What the frontend bound the first time; a restarted frontend binds the same (ports included). */
    private volatile List<String> lastBound;

    /**
     * @param security   CURVE settings, or {@code null} for plaintext (then {@code zap} is null too)
     * @param head       the pump's head
     * @param refusalLog the handler's rate-limited log of refusals, ticked and flushed here
     * @param running    false once the producer closes
     */
    public Frontend(String name, Settings settings, ProducerSecurity security, ZapHandler zap, RequestHandler handler,
                    JournalReader reader, LongSupplier head, WakePipe pipe, Ticker ticker, ProducerCounters counters,
                    HeldBackLog refusalLog, HeldBackLog handshakeLog, BooleanSupplier running) {
        this.name = name;
        this.settings = settings;
        this.security = security;
        this.zap = zap;
        this.handler = handler;
        this.reader = reader;
        this.head = head;
        this.pipe = pipe;
        this.ticker = ticker;
        this.counters = counters;
        this.refusalLog = refusalLog;
        this.handshakeLog = handshakeLog;
        this.running = running;
    }

    /**
     * Runs the frontend until the producer closes, restarting it after unexpected failures. {@code bound}
     * completes with the endpoints bound (real ports), or exceptionally if the first bind fails.
     */
    public void run(CompletableFuture<List<String>> bound) {
        Backoff.Attempts restarts = RESTART_BACKOFF.attempts();
        while (running.getAsBoolean()) {
            if (!runOnce(bound) || !running.getAsBoolean() || !bound.isDone() || bound.isCompletedExceptionally()) {
                return;
            }
            counters.frontendRestarts.incrementAndGet();
            long delay = restarts.next();
            log.error("strongzero-producer[{}]: restarting the frontend on {} in {} ms ({} restarts so far)", name,
                    lastBound, delay, restarts.failures());
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Runs the frontend until the producer closes (false) or it fails unexpectedly (true). */
    private boolean runOnce(CompletableFuture<List<String>> bound) {
        ZContext ctx = new ZContext(1);
        try {
            ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
            ZMQ.Socket zapSocket = null;
            List<String> actual = new ArrayList<>();
            try {
                router.setLinger(0);
                router.setMaxMsgSize(MAX_REQUEST_FRAME_BYTES);
                router.setRcvHWM(MAX_QUEUED_REQUESTS_PER_PEER);
                router.setSndHWM(MAX_QUEUED_REPLIES_PER_PEER);
                router.setHandshakeIvl(10_000);
                router.setHeartbeatIvl((int) settings.heartbeat().toMillis());
                router.setHeartbeatTimeout((int) settings.heartbeat().toMillis() * 3);
                if (security != null) {
                    // The ZAP handler must be bound before the ROUTER accepts: without one, ZeroMQ admits every key.
                    zapSocket = ctx.createSocket(SocketType.REP);
                    zapSocket.setLinger(0);
                    zapSocket.bind(ZapHandler.ENDPOINT);
                    router.setCurveServer(true);
                    router.setCurveSecretKey(security.keyPair().secretKey());
                    router.setZapDomain("strongzero");
                    router.setEventHook(this::onHandshakeFailure, HANDSHAKE_FAILURES);
                }
                List<String> toBind = lastBound != null ? lastBound : settings.endpoints(); // a restart keeps its ports
                for (String endpoint : toBind) {
                    router.bind(endpoint);
                    String last = router.getLastEndpoint();
                    actual.add(last != null ? last : endpoint);
                }
            } catch (RuntimeException e) {
                if (lastBound != null) {
                    log.error("strongzero-producer[{}]: cannot bind {} again: {}", name, lastBound, e.getMessage());
                    return true;
                }
                bound.completeExceptionally(new StrongZeroConfigException("producer " + name + ": cannot bind "
                        + settings.endpoints() + ": " + e.getMessage() + " (is the port in use by another process?)"));
                return false;
            }
            lastBound = List.copyOf(actual);
            bound.complete(lastBound);
            serve(ctx, router, zapSocket);
        } catch (RuntimeException | AssertionError e) {
            if (!bound.isDone()) {
                bound.completeExceptionally(e);
                return false;
            }
            if (running.getAsBoolean()) {
                log.error("strongzero-producer[{}]: frontend failed unexpectedly; consumers time out and pull again", name,
                        e);
                return true;
            }
        } finally {
            refusalLog.flush();
            handshakeLog.flush();
            if (zap != null) {
                zap.flush();
            }
            try {
                ctx.close();
            } catch (RuntimeException e) {
                log.debug("strongzero-producer[{}]: closing the frontend's ZeroMQ context failed", name, e);
            }
        }
        return false;
    }

    /** The poll loop on bound sockets, until the producer closes or the wake-up pipe is closed. */
    private void serve(ZContext ctx, ZMQ.Socket router, ZMQ.Socket zapSocket) {
        LongPollRegistry parked = new LongPollRegistry(settings.maxParked(), LongPollRegistry.MAX_PARKED_PER_CONNECTION,
                ticker, head.getAsLong());
        try (FrontendSelector selector = new FrontendSelector(router, zapSocket, pipe)) {
            while (running.getAsBoolean()) {
                selector.await(parked.pollTimeout(250));
                if (!running.getAsBoolean()) {
                    break;
                }
                // held-back warnings are summarized even when no further refusal comes
                refusalLog.tick();
                handshakeLog.tick();
                if (zap != null) {
                    zap.tick();
                }
                if (selector.zapReadable()) {
                    zap.serve(zapSocket, 100);
                }
                if (selector.woken()) {
                    pipe.drain();
                }
                List<byte[]> reply;
                while ((reply = reader.nextReply()) != null) {
                    send(router, reply);
                }
                long h = head.getAsLong();
                for (RequestCheck.Pull p : parked.answeredBy(h)) {
                    reader.dispatch(p, h, frames -> send(router, frames));
                }
                for (RequestCheck.Pull p : parked.expired()) {
                    send(router, Replies.emptyBatch(p.route(), p.version(), p.request().requestId(), h));
                }
                if (selector.routerReadable()) {
                    for (int i = 0; i < 1000; i++) {
                        IncomingRequest request = IncomingRequest.receive(router, RequestCheck.MAX_FRAMES_PER_REQUEST + 1);
                        if (request == null) {
                            break;
                        }
                        handler.handle(request, h, parked, frames -> send(router, frames));
                    }
                }
            }
        } catch (ClosedChannelException e) {
            // the wake-up pipe was closed: the producer is closing
        } catch (IOException e) {
            throw new UncheckedIOException("the frontend's selector failed", e);
        }
    }

    /** Sends a multipart reply without blocking (a full peer queue drops it: the consumer times out and asks again). */
    static void send(ZMQ.Socket router, List<byte[]> frames) {
        int last = frames.size() - 1;
        for (int i = 0; i < last; i++) {
            router.send(frames.get(i), ZMQ.SNDMORE | ZMQ.DONTWAIT);
        }
        router.send(frames.get(last), ZMQ.DONTWAIT);
    }

    /** Called by ZeroMQ's I/O thread for a failed CURVE handshake: count and log (rate-limited) only. */
    private void onHandshakeFailure(ZEvent event) {
        long n = counters.handshakeFailures.incrementAndGet();
        if (handshakeLog.acquire(String.valueOf(event.getEvent()))) {
            log.warn("strongzero-producer[{}]: a CURVE handshake on {} failed ({}, {}): a client expecting another "
                    + "producer key, or not speaking CURVE ({} failed so far; further failures within 10 s are "
                    + "summarized)", name, event.getAddress(), event.getEvent(), Objects.toString(event.getValue()), n);
        }
    }
}
