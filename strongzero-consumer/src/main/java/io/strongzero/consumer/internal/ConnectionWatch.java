package io.strongzero.consumer.internal;

import java.util.function.LongSupplier;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

/**
 * Collects the evidence of what happened to a consumer's connection to one producer, so that a pull that
 * got no reply (or could not be sent) can say why: see {@link ConnectionDiagnosis}. ZeroMQ calls the hook
 * returned by {@link #attach()} on its I/O thread; it only counts. Only the socket attached last is
 * watched: the events of a socket the consumer replaced (and closes) are ignored, so closing it is not
 * mistaken for the producer closing a connection.
 *
 * <p>jeromq 0.6.0 reports a TCP connection ({@code CONNECTED}), a failed connection attempt (its socket
 * {@code CLOSED}; {@code CONNECT_RETRIED} only means that an attempt is scheduled, also after a lost
 * connection), the end of the ZMTP greeting, in which both sides agreed on the security
 * mechanism ({@code HANDSHAKE_PROTOCOL}), a refused or failed CURVE handshake ({@code HANDSHAKE_FAILED_*})
 * and a closed connection ({@code DISCONNECTED}); it never reports {@code HANDSHAKE_SUCCEEDED}.
 *
 * <p>Thread-safe. Internal API.
 */
public final class ConnectionWatch {

    /** The events to register with {@code setEventHook}. */
    public static final int EVENTS = ZMQ.EVENT_CONNECTED | ZMQ.EVENT_CLOSED | ZMQ.EVENT_HANDSHAKE_PROTOCOL
            | ZMQ.EVENT_DISCONNECTED | ZMQ.HANDSHAKE_FAILED_AUTH | ZMQ.HANDSHAKE_FAILED_PROTOCOL
            | ZMQ.HANDSHAKE_FAILED_NO_DETAIL;

    /**
     * What happened since the last reply ({@link #replied()}), across the sockets attached meanwhile.
     *
     * @param connectFailures   connection attempts that failed (refused, unreachable, timed out)
     * @param failuresSinceConnect the same, since the last TCP connection (or since the last reply)
     * @param connections       TCP connections made
     * @param closedInHandshake connections closed before the greeting completed (the two sides disagree on
     *                          the security mechanism, or the endpoint is not a ZeroMQ producer)
     * @param handshakeTimeouts connections dropped because the handshake did not complete in time
     * @param refused           CURVE handshakes in which the producer refused this consumer's key
     * @param failed            handshakes that failed otherwise (for CURVE: the producer's key is not the expected one)
     * @param closedBeforeReply connections closed after their greeting but before any reply came on them, without
     *                          a handshake failure reported here (a CURVE producer closes a client whose HELLO it
     *                          cannot decrypt, for example one expecting another producer key)
     * @param lost              connections closed after a reply came on them
     * @param connected         a TCP connection is up now
     */
    public record Evidence(int connectFailures, int failuresSinceConnect, int connections, int closedInHandshake,
                           int handshakeTimeouts, int refused, int failed, int closedBeforeReply, int lost,
                           boolean connected) {
    }

    private final long handshakeTimeoutMillis;
    private final LongSupplier millis;

    // guarded by this
    private int generation;
    private int connectFailures;
    private int failuresSinceConnect;
    private int connections;
    private int closedInHandshake;
    private int handshakeTimeouts;
    private int refused;
    private int failed;
    private int closedBeforeReply;
    private int lost;
    private boolean connected;
    private boolean greeted;
    private boolean proven;
    private boolean handshakeFailed;
    private long connectedAt;
    // sequence numbers of events, never cleared: did a new connection replace the one a request went out on?
    private long sequence;
    private long lastDisconnect;
    private long lastConnect;

    /**
     * @param handshakeTimeoutMillis the socket's handshake interval, to tell a timed-out handshake from a refused one
     * @param millis                 the monotonic clock in milliseconds (the consumer's ticker)
     */
    ConnectionWatch(long handshakeTimeoutMillis, LongSupplier millis) {
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.millis = millis;
    }

    /** The hook for a new socket ({@code setEventHook(watch.attach(), EVENTS)}); stops watching earlier sockets. */
    public ZEvent.ZEventConsummer attach() {
        synchronized (this) {
            connected = false;
            return new Hook(++generation);
        }
    }

    /** The hook of one socket. */
    final class Hook implements ZEvent.ZEventConsummer {
        private final int gen;

        private Hook(int gen) {
            this.gen = gen;
        }

        @Override
        public void consume(ZEvent event) {
            on(event.getEvent());
        }

        void on(ZMonitor.Event event) {
            ConnectionWatch.this.on(gen, event);
        }
    }

    /** Stops watching the current socket (call before closing it). */
    public synchronized void detach() {
        generation++;
        connected = false;
    }

    /** Records one event of the socket attached as {@code gen}; ignored if another socket was attached since. */
    private synchronized void on(int gen, ZMonitor.Event event) {
        if (gen != generation) {
            return;
        }
        switch (event) {
            case CLOSED:   // jeromq closes a connecting socket only when the attempt failed (or on close)
                connectFailures++;
                failuresSinceConnect++;
                break;
            case CONNECTED:
                connections++;
                failuresSinceConnect = 0;
                connected = true;
                greeted = false;
                proven = false;
                handshakeFailed = false;
                connectedAt = millis.getAsLong();
                lastConnect = ++sequence;
                break;
            case HANDSHAKE_PROTOCOL:
                greeted = true;
                break;
            case HANDSHAKE_FAILED_AUTH:
                refused++;
                handshakeFailed = true;
                break;
            case HANDSHAKE_FAILED_PROTOCOL:
            case HANDSHAKE_FAILED_NO_DETAIL:
                failed++;
                handshakeFailed = true;
                break;
            case DISCONNECTED:
                if (connected && !handshakeFailed) {
                    if (proven) {
                        lost++;
                    } else if (greeted) {
                        closedBeforeReply++;
                    } else if (millis.getAsLong() - connectedAt >= handshakeTimeoutMillis / 2) {
                        // a refusing peer closes at once; a silent one is dropped by our handshake timer
                        handshakeTimeouts++;
                    } else {
                        closedInHandshake++;
                    }
                }
                connected = false;
                lastDisconnect = ++sequence;
                break;
            default:
                break;
        }
    }

    /** What happened since the last {@link #replied()}. */
    public synchronized Evidence evidence() {
        return new Evidence(connectFailures, failuresSinceConnect, connections, closedInHandshake, handshakeTimeouts,
                refused, failed, closedBeforeReply, lost, connected);
    }

    /** A reply came: the current connection works; forgets the evidence gathered before. */
    public synchronized void replied() {
        proven = connected;
        connectFailures = 0;
        failuresSinceConnect = 0;
        connections = 0;
        closedInHandshake = 0;
        handshakeTimeouts = 0;
        refused = 0;
        failed = 0;
        closedBeforeReply = 0;
        lost = 0;
    }

    /** A mark to pass to {@link #reconnectedSince} later, taken when a request is sent. */
    public synchronized long mark() {
        return sequence;
    }

    /**
     * True if, since {@code mark}, the connection was lost and a new TCP connection was made: a request
     * sent before may have died with the old connection (a restarted producer never saw it), so it should
     * be sent again rather than waited for until its timeout.
     */
    public synchronized boolean reconnectedSince(long mark) {
        return lastDisconnect > mark && lastConnect > lastDisconnect;
    }
}
