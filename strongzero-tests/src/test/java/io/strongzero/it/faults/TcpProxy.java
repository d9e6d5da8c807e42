package io.strongzero.it.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that the fault tests put between a consumer and its producer. It relays bytes
 * both ways and can be told to:
 * <ul>
 *   <li>{@link #stall()}: relay nothing, keep every connection open and accept new ones without
 *       connecting them upstream (a black-holed network: senders see no error, their data piles up);</li>
 *   <li>{@link #cut()}: reset every connection (RST) and reset new ones at once, until resumed (a
 *       network that is down and says so);</li>
 *   <li>{@link #resume()}: relay again, including the bytes held during a stall;</li>
 *   <li>{@link #retarget(int)}: send new connections to another upstream port and reset the current
 *       ones (a load balancer failing over to another instance).</li>
 * </ul>
 * Binds 127.0.0.1 only. Thread-safe. One acceptor thread and two relay threads per connection, all
 * daemon threads named {@code faults-proxy-*}. {@link #close()} resets everything and is idempotent.
 */
final class TcpProxy implements AutoCloseable {

    enum State {
        OPEN, STALLED, CUT, CLOSED
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ServerSocket server;
    private final Object gate = new Object();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong relayed = new AtomicLong();
    private final Thread acceptor;
    private volatile int upstreamPort;
    private State state = State.OPEN; // guarded by gate

    private TcpProxy(ServerSocket server, int upstreamPort) {
        this.server = server;
        this.upstreamPort = upstreamPort;
        this.acceptor = new Thread(this::acceptLoop, "faults-proxy-" + server.getLocalPort() + "-accept");
        this.acceptor.setDaemon(true);
    }

    /** Starts a proxy on a free loopback port that forwards to {@code 127.0.0.1:upstreamPort}. */
    static TcpProxy start(int upstreamPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(LOOPBACK, 0), 64);
        TcpProxy proxy = new TcpProxy(server, upstreamPort);
        proxy.acceptor.start();
        return proxy;
    }

    /** The port consumers connect to. */
    int port() {
        return server.getLocalPort();
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    String endpoint() {
        return "tcp://127.0.0.1:" + port();
    }

    int upstreamPort() {
        return upstreamPort;
    }

    State state() {
        synchronized (gate) {
            return state;
        }
    }

    /** Connections accepted since start. */
    int acceptedCount() {
        return accepted.get();
    }

    /** Bytes relayed (both directions) since start. */
    long relayedBytes() {
        return relayed.get();
    }

    /** Connections currently open. */
    int openConnections() {
        return links.size();
    }

    /** Holds all traffic; connections stay open. */
    void stall() {
        setState(State.STALLED);
    }

    /** Resets every connection and every new one until {@link #resume()}. */
    void cut() {
        setState(State.CUT);
        resetAll();
    }

    /** Relays again (held bytes included). */
    void resume() {
        setState(State.OPEN);
    }

    /** Sends new connections to {@code port} and resets the current ones. */
    void retarget(int port) {
        upstreamPort = port;
        resetAll();
    }

    /** Resets the current connections without changing the state (a one-off connection reset). */
    void resetAll() {
        for (Link l : links) {
            l.reset();
        }
    }

    private void setState(State s) {
        synchronized (gate) {
            if (state == State.CLOSED) {
                return;
            }
            state = s;
            gate.notifyAll();
        }
    }

    /** Waits while stalled; true if traffic may flow, false if the link must be reset. */
    private boolean awaitOpen() {
        synchronized (gate) {
            while (state == State.STALLED) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return state == State.OPEN;
        }
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            Thread t = new Thread(() -> connect(client), "faults-proxy-" + port() + "-connect");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client) {
        if (!awaitOpen()) {
            reset(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(LOOPBACK, upstreamPort), 2_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            reset(client);
            reset(upstream);
            return;
        }
        Link link = new Link(client, upstream);
        links.add(link);
        synchronized (gate) {
            if (state == State.CUT || state == State.CLOSED) {
                link.reset();
                return;
            }
        }
        link.start();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // not connected or already closed: closing is all that is left
        }
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** One proxied connection: a client socket, an upstream socket, a relay thread per direction. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final AtomicInteger closed = new AtomicInteger();

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            relay(client, upstream, "up");
            relay(upstream, client, "down");
        }

        private void relay(Socket from, Socket to, String direction) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (!awaitOpen()) {
                            break;
                        }
                        out.write(buf, 0, n);
                        out.flush();
                        relayed.addAndGet(n);
                    }
                } catch (IOException e) {
                    // a reset or a closed peer ends the link
                }
                awaitOpen(); // a stalled network does not carry the news of a closed connection either
                reset();
            }, "faults-proxy-" + port() + "-" + direction);
            t.setDaemon(true);
            t.start();
        }

        void reset() {
            if (closed.getAndIncrement() == 0) {
                links.remove(this);
                TcpProxy.reset(client);
                TcpProxy.reset(upstream);
            }
        }
    }

    @Override
    public void close() {
        setState(State.CLOSED);
        try {
            server.close();
        } catch (IOException e) {
            // nothing to do
        }
        resetAll();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[" + port() + " -> " + upstreamPort + ", " + state() + ", " + links.size() + " open]";
    }
}
