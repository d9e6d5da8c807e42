package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The frontend's selector wakes for a request, for a wake-up, and never blocks while a request is unread: each wait
 * here is a minute long, so a selector that missed what it waits for fails the test by its timeout. A wait may also
 * end for the socket's own housekeeping (a connection attached), with nothing to read: the frontend then simply waits
 * again, as {@link #awaitWork} does.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FrontendSelectorTest {

    private static final long A_MINUTE = 60_000;

    private ZContext ctx;
    private ZMQ.Socket router;
    private ZMQ.Socket dealer;
    private WakePipe pipe;
    private FrontendSelector selector;

    @BeforeEach
    void sockets() throws Exception {
        ctx = new ZContext(1);
        router = ctx.createSocket(SocketType.ROUTER);
        router.bind("tcp://127.0.0.1:*");
        dealer = ctx.createSocket(SocketType.DEALER);
        dealer.connect(router.getLastEndpoint());
        pipe = new WakePipe();
        selector = new FrontendSelector(router, null, pipe);
    }

    @AfterEach
    void close() throws Exception {
        selector.close();
        pipe.close();
        ctx.close();
    }

    /** Waits as the frontend does: again after a wait that found nothing to do. */
    private void awaitWork() throws Exception {
        do {
            selector.await(A_MINUTE);
        } while (!selector.routerReadable() && !selector.woken());
    }

    @Test
    void aRequestEndsTheWaitAndIsReadable() throws Exception {
        dealer.send("pull");
        awaitWork();
        assertTrue(selector.routerReadable());
        assertFalse(selector.woken());
        assertNotNull(router.recv(0));
    }

    @Test
    void aWakeUpEndsTheWait() throws Exception {
        pipe.wake();
        awaitWork();
        assertTrue(selector.woken());
        assertFalse(selector.routerReadable());
        pipe.drain();
    }

    @Test
    void aRequestLeftUnreadDoesNotLetTheNextWaitBlockEvenAfterASendConsumedItsSignal() throws Exception {
        dealer.send("first");
        dealer.send("second");
        awaitWork();
        assertTrue(selector.routerReadable());
        byte[] identity = router.recv(0);
        router.recv(0);
        router.send(identity, ZMQ.SNDMORE);   // a reply: the send processes the socket's pending commands
        router.send("reply", 0);
        assertNotNull(dealer.recv(0));        // the reply went out: the send ran the socket's commands
        selector.await(A_MINUTE);             // "second" is still unread (or arriving): no minute-long wait
        awaitWork();
        assertTrue(selector.routerReadable());
        assertNotNull(router.recv(0));
    }
}
