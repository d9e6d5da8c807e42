package io.strongzero.consumer.internal;

import java.util.concurrent.atomic.AtomicInteger;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;

/**
 * Watches a consumer socket's connection events so that a request timeout can say why no reply came:
 * the producer refused this consumer's CURVE key, or closed connections during the handshake (wrong
 * producer key, or one side using CURVE and the other not). ZeroMQ calls {@link #consume} on its I/O
 * thread; it only counts. Thread-safe. Internal API.
 */
public final class ConnectionWatch implements ZEvent.ZEventConsummer {

    /** The events to register with {@code setEventHook}. */
    public static final int EVENTS = ZMQ.EVENT_DISCONNECTED | ZMQ.HANDSHAKE_FAILED_AUTH | ZMQ.HANDSHAKE_FAILED_PROTOCOL
            | ZMQ.HANDSHAKE_FAILED_NO_DETAIL | ZMQ.HANDSHAKE_SUCCEEDED | ZMQ.EVENT_CONNECTED;

    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger disconnected = new AtomicInteger();
    // sequence numbers of events, never cleared: did a new connection replace the one a request went out on?
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastDisconnect;
    private volatile long lastConnect;

    @Override
    public void consume(ZEvent event) {
        switch (event.getEvent()) {
            case HANDSHAKE_FAILED_AUTH:
                refused.incrementAndGet();
                break;
            case HANDSHAKE_FAILED_PROTOCOL:
            case HANDSHAKE_FAILED_NO_DETAIL:
                failed.incrementAndGet();
                break;
            case DISCONNECTED:
                disconnected.incrementAndGet();
                lastDisconnect = sequence.incrementAndGet();
                break;
            case CONNECTED:
            case HANDSHAKE_SUCCEEDED:
                lastConnect = sequence.incrementAndGet();
                break;
            default:
                break;
        }
    }

    /** A mark to pass to {@link #reconnectedSince} later, taken when a request is sent. */
    public long mark() {
        return sequence.get();
    }

    /**
     * True if, since {@code mark}, the connection was lost and a new one was made (TCP connected, or the
     * ZeroMQ handshake completed; jeromq reports the latter only for some mechanisms): a
     * request sent before may have died with the old connection (a restarted producer never saw it), so
     * it should be sent again rather than waited for until its timeout.
     */
    public boolean reconnectedSince(long mark) {
        long d = lastDisconnect;
        return d > mark && lastConnect > d;
    }

    /** Forgets what happened: the connection works (a reply arrived). */
    public void clear() {
        refused.set(0);
        failed.set(0);
        disconnected.set(0);
    }

    /**
     * What happened to the connection since the last {@link #clear()}, as a sentence to append to a
     * timeout message (starting with "; "), or "" if nothing did.
     *
     * @param curve       whether this consumer uses CURVE for the producer
     * @param consumerKey this consumer's public key (Z85), or null without CURVE
     */
    public String describe(boolean curve, String consumerKey) {
        int r = refused.get();
        int f = failed.get();
        int d = disconnected.get();
        if (r > 0) {
            return "; the producer refused this consumer's CURVE key " + consumerKey + " " + r + " time(s): put it on "
                    + "the producer's allow-list (ProducerSecurity.allow)";
        }
        if (f > 0 || d > 0) {
            return "; the connection was closed " + Math.max(f, d) + " time(s) without a reply"
                    + (curve ? ": check that producerKey(...) is this producer's public key and that the producer runs "
                            + "with security(...)"
                            : ": if the producer requires CURVE, configure curveKeyPair(...) and producerKey(...)");
        }
        return "";
    }
}
