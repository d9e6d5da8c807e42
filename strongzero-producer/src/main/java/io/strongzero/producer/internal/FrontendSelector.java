package io.strongzero.producer.internal;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import org.zeromq.ZMQ;

/**
 * The frontend's wait for work: a request on the ROUTER socket, a ZAP request, or a wake-up on its {@link WakePipe}.
 * One {@link Selector} with the three channels registered once, for the whole run of the frontend: jeromq's
 * {@code ZMQ.Poller} builds and fills hash maps on every poll, which at a few thousand wake-ups a second was a third of
 * the producer's garbage. A ZeroMQ socket's descriptor only says that its state may have changed, so
 * {@link #await} asks each socket for its events before it blocks and does not block while one has input: a send on
 * the socket may have consumed the signal of a request that is still unread. Frontend thread only. Internal API.
 */
final class FrontendSelector implements AutoCloseable {

    private final Selector selector;
    private final ZMQ.Socket router;
    private final ZMQ.Socket zap;
    private final SelectionKey pipeKey;
    private boolean routerReadable;
    private boolean zapReadable;
    private boolean woken;

    /**
     * @param zap the ZAP socket, or null without CURVE
     * @throws IOException if the selector cannot be opened or a channel registered
     */
    FrontendSelector(ZMQ.Socket router, ZMQ.Socket zap, WakePipe pipe) throws IOException {
        this.router = router;
        this.zap = zap;
        this.selector = Selector.open();
        try {
            register(router.getFD());
            if (zap != null) {
                register(zap.getFD());
            }
            pipeKey = pipe.source().register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    private void register(SelectableChannel fd) throws IOException {
        fd.register(selector, SelectionKey.OP_READ);
    }

    /**
     * Waits until a socket has input or the pipe was woken, at most {@code timeoutMillis} (at least 1); then
     * {@link #routerReadable()}, {@link #zapReadable()} and {@link #woken()} tell which.
     */
    void await(long timeoutMillis) throws IOException {
        selector.selectedKeys().clear();
        check();
        if (routerReadable || zapReadable) {
            selector.selectNow();
        } else {
            selector.select(Math.max(1, timeoutMillis));
            check();
        }
        woken = selector.selectedKeys().contains(pipeKey);
    }

    private void check() {
        routerReadable = (router.getEvents() & ZMQ.Poller.POLLIN) != 0;
        zapReadable = zap != null && (zap.getEvents() & ZMQ.Poller.POLLIN) != 0;
    }

    /** The ROUTER socket had a request to read at the last {@link #await}. */
    boolean routerReadable() {
        return routerReadable;
    }

    /** The ZAP socket had a request to read at the last {@link #await}. */
    boolean zapReadable() {
        return zapReadable;
    }

    /** The wake-up pipe was written to (drain it). */
    boolean woken() {
        return woken;
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
