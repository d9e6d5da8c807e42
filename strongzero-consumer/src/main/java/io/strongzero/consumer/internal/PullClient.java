package io.strongzero.consumer.internal;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The DEALER socket towards one producer: sends PULL requests and waits for their replies, and answers with one of
 * a closed set of {@link Result} values instead of throwing. It reconnects by itself where a result says so (no
 * reply in time, a failed send or receive); waiting between attempts is the caller's business. Confined to the
 * stream's thread; {@link #open()} and {@link #close()} bracket its use.
 */
final class PullClient {

    private static final Logger log = LoggerFactory.getLogger(PullClient.class);
    /** What a producer of protocol version 1 or 2 does not know, said when falling back to it. */
    private static final String PULLED_PROGRESS = ", and records this consumer's progress, which its retention "
            + "trusts, from the positions pulled after rather than the committed one";

    /** What became of a pull. */
    sealed interface Result permits Batch, Refused, Malformed, TimedOut, Reconnected, VersionChanged, Failed, Stopped,
            StillWaiting {
    }

    /** What became of sending a pull. */
    sealed interface Sent permits Pending, NotSent {
    }

    /** The reply: the messages after the position asked for, and the producer's head. */
    record Batch(long head, List<Envelope> messages) implements Result {
    }

    /** The producer refused the pull (an ERROR reply). */
    record Refused(ReplyDecoder.Refused reply) implements Result {
    }

    /** The reply broke the protocol. */
    record Malformed(ReplyDecoder.Malformed reply) implements Result {
    }

    /** No reply within {@code budgetMillis}; {@code cause} is the likely reason. The socket was made again. */
    record TimedOut(long budgetMillis, String cause) implements Result {
    }

    /** The connection was lost and made again while waiting: ask again at once (the pull keeps its deadline). */
    record Reconnected() implements Result {
    }

    /**
     * The producer speaks another protocol version range ({@code UNSUPPORTED_VERSION}) that shares a version with
     * ours: later pulls use {@code version}; ask again at once.
     */
    record VersionChanged(int version) implements Result {
    }

    /** The pull could not even be queued ({@code why}, {@code cause}). The socket was made again. */
    record NotSent(String why, String cause) implements Sent {
    }

    /** Receiving failed inside the socket. The socket was made again. */
    record Failed(String error) implements Result {
    }

    /** The consumer is closing. */
    /** The caller asked to have the thread back while the pull is still in flight: await it again later. */
    record StillWaiting() implements Result {
    }

    record Stopped() implements Result {
    }

    /** A sent PULL awaiting its reply. */
    record Pending(long requestId, long after, long sentAt, long connectionMark) implements Sent {
    }

    private final ConsumerConfig config;
    private final String producer;
    private final String endpoint;
    private final Ticker ticker;
    private final BooleanSupplier running;
    /** The stream's committed position (with lanes the lowest lane's; -1 before it is loaded), sent in version 3. */
    private final LongSupplier committed;
    private final ConnectionWatch watch;
    private final ConnectionDiagnosis diagnosis;
    private ZContext ctx;
    private ZMQ.Socket socket;
    private long requestCounter;
    /** What a pull asks for: the configured maximums unless {@link #limit} lowered them. */
    private int limitMessages;
    private int limitBytes;
    private long resendBudgetFrom;
    /** The protocol version of the pulls: the newest until the producer says it speaks only older ones. */
    private int version = Protocol.VERSION;

    /**
     * The client of {@code producer} at {@code endpoint}; {@code committed} is the stream's committed position, which
     * every pull of protocol version 3 reports (the producer keeps its journal from there for this consumer).
     */
    PullClient(ConsumerConfig config, String producer, String endpoint, Ticker ticker, BooleanSupplier running,
               LongSupplier committed) {
        this.config = config;
        this.limitMessages = config.maxBatchMessages();
        this.limitBytes = config.maxBatchBytes();
        this.producer = producer;
        this.endpoint = endpoint;
        this.ticker = ticker;
        this.running = running;
        this.committed = committed;
        long handshake = config.handshakeTimeout().toMillis();
        this.watch = new ConnectionWatch(handshake, ticker::millis);
        this.diagnosis = new ConnectionDiagnosis(config.producerKeys().containsKey(producer),
                config.curveKeyPair() == null ? null : config.curveKeyPair().publicKey().z85(), handshake);
    }

    /** Makes the socket and connects it. */
    void open() {
        ctx = new ZContext(1);
        connect();
    }

    /** Closes the socket and its context; safe to call when not open. */
    void close() {
        if (ctx != null) {
            try {
                ctx.close();
            } catch (RuntimeException e) {
                log.debug("strongzero-consumer[{}]: closing the ZeroMQ context failed", config.name(), e);
            }
            ctx = null;
        }
    }

    private void connect() {
        socket = ctx.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setSendTimeOut((int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()));
        socket.setRcvHWM(1000);
        socket.setSndHWM(1000);
        socket.setHeartbeatIvl((int) config.heartbeat().toMillis());
        socket.setHeartbeatTimeout((int) config.heartbeat().toMillis() * 3);
        // jeromq 0.6.0 sometimes leaves a fresh outgoing connection without its ZMTP handshake
        // (jeromq PR 1022, "connect hand-off race": 13-17 of 300 fresh loopback connections here); bound
        // the handshake so such a connection is replaced after handshakeTimeout instead of 30 s.
        socket.setHandshakeIvl((int) config.handshakeTimeout().toMillis());
        socket.setReconnectIVL(100);
        socket.setReconnectIVLMax(5_000);
        CurvePublicKey producerKey = config.producerKeys().get(producer);
        if (producerKey != null) {
            socket.setCurvePublicKey(config.curveKeyPair().publicKey().bytes());
            socket.setCurveSecretKey(config.curveKeyPair().secretKey());
            socket.setCurveServerKey(producerKey.bytes());
        }
        socket.setEventHook(watch.attach(), ConnectionWatch.EVENTS);
        socket.connect(endpoint);
    }

    private void reconnect() {
        watch.detach();   // closing our own socket is not evidence about the producer
        socket.close();
        connect();
    }

    /** Why the pull being reported failed, from what happened to the connection since the last reply. */
    private String explain() {
        return diagnosis.explain(watch.evidence());
    }

    /**
     * Sends a PULL for the messages after {@code after}: the {@link Pending} to wait for, or {@link NotSent} (after
     * making the socket again) if no connection could take it within the request timeout.
     */
    Sent send(long after) {
        // a pull sent again after a reconnect keeps the first one's reply budget, so that a connection that
        // keeps failing (a refused CURVE key) still ends in a timeout that is counted and explained
        long sentAt = resendBudgetFrom != 0 ? resendBudgetFrom : ticker.millis();
        resendBudgetFrom = 0;
        Pending p = pending(after, sentAt);
        // bounded by the send timeout: a socket without a usable connection must not block this thread
        boolean sent;
        String why = "within " + config.requestTimeout().toMillis() + " ms";
        try {
            sent = sendFrames(p, 0);
        } catch (RuntimeException | AssertionError e) {
            // jeromq can fail inside send when a connection dies mid-message (seen: an internal assertion
            // in LB.sendpipe while a CURVE handshake failed); a fresh socket recovers from it
            sent = false;
            why = "(" + e + ")";
        }
        if (!sent) {
            // a DEALER whose connection failed its handshake has no pipe to queue on: say why, as for a timeout
            NotSent failure = new NotSent(why, explain());
            reconnect();
            return failure;
        }
        return p;
    }

    /**
     * Sends a PULL for the messages after {@code after} only if the socket takes it at once (the next batch, asked for
     * while the current one commits): its {@link Pending}, or null if it was not sent. Never blocks or reconnects; the
     * caller sends with {@link #send} later instead.
     */
    Pending trySend(long after) {
        Pending p = pending(after, ticker.millis());
        try {
            return sendFrames(p, ZMQ.DONTWAIT) ? p : null;
        } catch (RuntimeException | AssertionError e) {
            return null;   // the next send finds out, and makes the socket again
        }
    }

    /**
     * Asks for at most {@code maxMessages} messages and {@code maxBytes} bytes in the pulls sent from now on (no
     * more than configured): a stream applying in lanes asks for no more than its buffer has room for.
     */
    void limit(int maxMessages, int maxBytes) {
        limitMessages = Math.max(1, Math.min(maxMessages, config.maxBatchMessages()));
        limitBytes = Math.max(1, Math.min(maxBytes, config.maxBatchBytes()));
    }

    private Pending pending(long after, long sentAt) {
        return new Pending(++requestCounter, after, sentAt, watch.mark());
    }

    /** The PULL's frames; false if the socket did not take the first (then it took none: a message is atomic). */
    private boolean sendFrames(Pending p, int flags) {
        // the committed position, never above the position asked after (the protocol's rule) nor below 0 (not loaded)
        long done = Math.max(0, Math.min(p.after(), committed.getAsLong()));
        byte[] body = Protocol.encodePull(version, new Protocol.PullRequest(p.requestId(), p.after(), limitMessages,
                limitBytes, (int) config.longPollWait().toMillis(), producer, config.name(), done));
        return socket.send(new byte[0], ZMQ.SNDMORE | flags)
                && socket.send(Protocol.header(version, Protocol.CMD_PULL), ZMQ.SNDMORE | flags)
                && socket.send(body, flags);
    }

    /** Waits for the reply to {@code p} until its budget (long-poll wait plus request timeout) runs out. */
    Result await(Pending p) {
        return await(p, () -> false);
    }

    /**
     * As {@link #await(Pending)}, but returns {@link StillWaiting} (the pull still in flight, its budget running) once
     * {@code wake} is true, checked every 100 ms while no reply has come: a stream in lanes has other work than
     * waiting for a long poll.
     */
    Result await(Pending p, BooleanSupplier wake) {
        long budget = config.longPollWait().toMillis() + config.requestTimeout().toMillis();
        long deadline = Math.max(p.sentAt() + budget, ticker.millis() + 100);
        while (running.getAsBoolean()) {
            long left = deadline - ticker.millis();
            if (left <= 0) {
                TimedOut timedOut = new TimedOut(budget, explain());
                reconnect();
                return timedOut;
            }
            List<byte[]> frames;
            try {
                socket.setReceiveTimeOut((int) Math.min(left, 100));
                byte[] first = socket.recv(0);
                if (first == null) {
                    if (watch.reconnectedSince(p.connectionMark())) {
                        // the producer restarted (or a proxy failed over): the pull likely died with the old
                        // connection, so ask again now instead of after longPollWait + requestTimeout
                        log.debug("strongzero-consumer[{}]: connection to producer {} at {} lost and made again; "
                                + "sending the pull after position {} again", config.name(), producer, endpoint, p.after());
                        resendBudgetFrom = p.sentAt();
                        return new Reconnected();
                    }
                    if (wake.getAsBoolean()) {
                        return new StillWaiting();
                    }
                    continue;
                }
                watch.replied();   // a reply: the connection works
                frames = new ArrayList<>();
                frames.add(first);
                while (socket.hasReceiveMore()) {
                    frames.add(socket.recv(0));
                }
            } catch (RuntimeException | AssertionError e) {
                if (!running.getAsBoolean()) {
                    return new Stopped();
                }
                Failed failed = new Failed("receiving from " + endpoint + " failed: " + e);
                reconnect();
                return failed;
            }
            ReplyDecoder.Reply reply = ReplyDecoder.decode(frames, p.requestId(), p.after(), config.maxBatchMessages());
            if (reply instanceof ReplyDecoder.Batch b) {
                return new Batch(b.head(), b.messages());
            } else if (reply instanceof ReplyDecoder.Refused r) {
                if (r.code() == ErrorCode.UNSUPPORTED_VERSION) {
                    return versionRefused(r);
                }
                return new Refused(r);
            } else if (reply instanceof ReplyDecoder.Malformed m) {
                return new Malformed(m);
            }
            // a stale reply to an earlier request: keep waiting for ours
        }
        return new Stopped();
    }

    /**
     * An UNSUPPORTED_VERSION refusal: the highest version both sides speak for the next pulls (logged), or, when the
     * ranges do not overlap or the version is already that one, the refusal with both ranges named.
     */
    private Result versionRefused(ReplyDecoder.Refused r) {
        int common = Math.min(Protocol.MAX_SUPPORTED_VERSION, r.maxVersion());
        if (common >= Math.max(Protocol.MIN_SUPPORTED_VERSION, r.minVersion()) && common != version) {
            log.info("strongzero-consumer[{}]: producer {} at {} speaks protocol versions {} to {}; pulling in version {} "
                    + "instead of {}{}", config.name(), producer, endpoint, r.minVersion(), r.maxVersion(), common, version,
                    common < 2 ? " (it cannot serve messages with an ordering key or headers" + PULLED_PROGRESS + ")"
                            : common < 3 ? " (it" + PULLED_PROGRESS + ")" : "");
            version = common;
            return new VersionChanged(common);
        }
        String why = common < Math.max(Protocol.MIN_SUPPORTED_VERSION, r.minVersion())
                ? "; this consumer speaks protocol versions " + Protocol.MIN_SUPPORTED_VERSION + " to "
                        + Protocol.MAX_SUPPORTED_VERSION + ": the ranges do not overlap, upgrade the older side"
                : "";
        return new Refused(new ReplyDecoder.Refused(r.code(), r.message() + why, r.retryAfterMillis(), r.minVersion(),
                r.maxVersion()));
    }

    /** The protocol version of the next pull. */
    int version() {
        return version;
    }
}
