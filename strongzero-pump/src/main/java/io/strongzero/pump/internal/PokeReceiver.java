package io.strongzero.pump.internal;

import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.internal.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The pump's poke endpoint: a ZeroMQ PULL socket on its own thread ({@code strongzero-pump-<name>-pokes}); any
 * message on it runs the wake-up action. The socket is created, used and closed by that thread's owner in the
 * order bind (caller), receive (thread), close (thread). Lifecycle: {@link #start} once, {@link #stop}. Internal
 * API.
 */
public final class PokeReceiver {

    /** The pump's logger, as before the receiver had a class of its own. */
    private static final Logger log = LoggerFactory.getLogger("io.strongzero.pump.StrongZeroPump");

    private final String name;
    private final String endpoint;
    private final Runnable wakeUp;
    private final String pollDescription;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param pollDescription how the pump finds rows without pokes, for the log line if the receiver fails
     */
    public PokeReceiver(String name, String endpoint, Runnable wakeUp, String pollDescription) {
        this.name = name;
        this.endpoint = endpoint;
        this.wakeUp = wakeUp;
        this.pollDescription = pollDescription;
    }

    /**
     * Binds the endpoint and starts the thread.
     *
     * @throws StrongZeroConfigException if the endpoint cannot be bound
     */
    public void start() {
        ZContext ctx = new ZContext(1);
        ZMQ.Socket pull = ctx.createSocket(SocketType.PULL);
        try {
            pull.setReceiveTimeOut(100);
            pull.setLinger(0);
            pull.bind(endpoint);
        } catch (RuntimeException e) {
            ctx.close();
            throw new StrongZeroConfigException("pump " + name + ": cannot bind the poke endpoint " + endpoint + ": "
                    + e.getMessage());
        }
        running = true;
        thread = Threads.newThread("pump", name + "-pokes", () -> run(ctx, pull));
        thread.start();
    }

    private void run(ZContext ctx, ZMQ.Socket pull) {
        try {
            while (running) {
                if (pull.recv(0) != null) {
                    wakeUp.run();
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                log.error("strongzero-pump[{}]: poke receiver failed; the pump keeps polling {}", name, pollDescription, e);
            }
        } finally {
            ctx.close();
        }
    }

    /** Stops the thread, waiting up to {@code millis}; true if it ended (or never started). */
    public boolean stop(long millis) {
        running = false;
        return Threads.join(thread, millis);
    }
}
