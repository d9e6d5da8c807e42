package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZMonitor.Event;

/**
 * Issue 12, items 1 and 10: the explanation after a pull without reply names the cause the connection
 * events support, and only that one. The event sequences are those jeromq 0.6.0 produces (see
 * {@link ConnectionWatch}).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConnectionDiagnosisTest {

    private static final long HANDSHAKE_TIMEOUT = 2_000;
    private static final String KEY = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ConnectionWatch watch = new ConnectionWatch(HANDSHAKE_TIMEOUT, now::get);
    private final ConnectionDiagnosis plain = new ConnectionDiagnosis(false, null, HANDSHAKE_TIMEOUT);
    private final ConnectionDiagnosis curve = new ConnectionDiagnosis(true, KEY, HANDSHAKE_TIMEOUT);

    private ConnectionWatch.Hook attach() {
        return (ConnectionWatch.Hook) watch.attach();
    }

    private static void events(ConnectionWatch.Hook hook, Event... events) {
        for (Event e : events) {
            hook.on(e);
        }
    }

    @Test
    void aProducerStoppedAfterAWorkingConnectionIsNotReachableWithoutAnyCurveHint() {
        ConnectionWatch.Hook hook = attach();
        events(hook, Event.CONNECTED, Event.HANDSHAKE_PROTOCOL);
        watch.replied();
        events(hook, Event.DISCONNECTED, Event.CLOSED, Event.CLOSED, Event.CLOSED);
        String why = plain.explain(watch.evidence());
        assertEquals("the producer is not reachable (3 connection attempt(s) failed after the connection was lost): "
                + "check that it is running and listening on this endpoint", why);
        assertFalse(curve.explain(watch.evidence()).contains("CURVE"), curve.explain(watch.evidence()));
    }

    @Test
    void aProducerThatNeverListenedIsNotReachable() {
        events(attach(), Event.CLOSED, Event.CLOSED);
        assertEquals("the producer is not reachable (2 connection attempt(s) failed): check that it is running and listening "
                + "on this endpoint", plain.explain(watch.evidence()));
    }

    @Test
    void beforeAnyConnectionEventTheProducerIsNotReachableYet() {
        attach();
        assertEquals("the producer is not reachable (no connection could be made): check that it is running and "
                + "listening on this endpoint", curve.explain(watch.evidence()));
    }

    @Test
    void aRefusedCurveKeyIsNamedWithTheKeyAndTheAllowList() {
        events(attach(), Event.CONNECTED, Event.HANDSHAKE_PROTOCOL, Event.HANDSHAKE_FAILED_AUTH, Event.DISCONNECTED);
        assertEquals("the producer refused this consumer's CURVE key " + KEY + " 1 time(s): put it on the producer's "
                + "allow-list (ProducerSecurity.allow)", curve.explain(watch.evidence()));
    }

    @Test
    void theRefusalStaysTheExplanationAcrossReconnectsUntilAReply() {
        events(attach(), Event.CONNECTED, Event.HANDSHAKE_PROTOCOL, Event.HANDSHAKE_FAILED_AUTH, Event.DISCONNECTED);
        for (int i = 0; i < 5; i++) {
            watch.detach();
            events(attach(), Event.CONNECTED);   // the next handshake has not failed yet
            assertTrue(curve.explain(watch.evidence()).startsWith("the producer refused this consumer's CURVE key " + KEY
                    + " " + (i + 1) + " time(s)"), curve.explain(watch.evidence()));
            events(attach(), Event.CONNECTED, Event.HANDSHAKE_PROTOCOL, Event.HANDSHAKE_FAILED_AUTH, Event.DISCONNECTED);
        }
        watch.replied();
        assertFalse(curve.explain(watch.evidence()).contains("CURVE"), curve.explain(watch.evidence()));
    }

    @Test
    void aRefusalBeforeTheProducerStoppedDoesNotHideThatItIsNotReachable() {
        ConnectionWatch.Hook hook = attach();
        events(hook, Event.CONNECTED, Event.HANDSHAKE_PROTOCOL, Event.HANDSHAKE_FAILED_AUTH, Event.DISCONNECTED,
                Event.CLOSED);
        assertTrue(curve.explain(watch.evidence()).startsWith("the producer is not reachable (1 connection attempt(s) "
                + "failed)"), curve.explain(watch.evidence()));
    }

    @Test
    void aFailedCurveHandshakePointsAtTheProducerKey() {
        events(attach(), Event.CONNECTED, Event.HANDSHAKE_PROTOCOL, Event.HANDSHAKE_FAILED_PROTOCOL, Event.DISCONNECTED);
        assertEquals("the CURVE handshake failed 1 time(s): check that producerKey(...) is this producer's public key "
                + "and that the producer runs with security(...)", curve.explain(watch.evidence()));
    }

    @Test
    void connectionsClosedAfterTheGreetingBeforeAnyReplyAreAFailedCurveHandshakeForACurveConsumer() {
        // a CURVE producer closes a client whose HELLO it cannot decrypt; the client sees no failure event
        ConnectionWatch.Hook hook = attach();
        events(hook, Event.CONNECTED, Event.HANDSHAKE_PROTOCOL, Event.DISCONNECTED, Event.CONNECTED,
                Event.HANDSHAKE_PROTOCOL, Event.DISCONNECTED, Event.CONNECTED);
        assertEquals("the CURVE handshake failed 2 time(s): check that producerKey(...) is this producer's public key "
                + "and that the producer runs with security(...)", curve.explain(watch.evidence()));
        assertEquals("the producer is connected but did not answer: it may be overloaded or hung (check its log)",
                plain.explain(watch.evidence()), "without CURVE, a greeted connection is not a security problem");
    }

    @Test
    void aConnectionClosedAtTheGreetingSuggestsCurveToAPlaintextConsumer() {
        events(attach(), Event.CONNECTED, Event.DISCONNECTED);
        assertEquals("the connection was closed during the ZeroMQ handshake 1 time(s): if the producer requires CURVE, "
                + "configure curveKeyPair(...) and producerKey(...)", plain.explain(watch.evidence()));
        assertEquals("the CURVE handshake failed 1 time(s): check that producerKey(...) is this producer's public key "
                + "and that the producer runs with security(...)", curve.explain(watch.evidence()));
    }

    @Test
    void aHandshakeThatTimesOutReadsAsASilentProducerNotAsSecurity() {
        ConnectionWatch.Hook hook = attach();
        events(hook, Event.CONNECTED);
        now.addAndGet(HANDSHAKE_TIMEOUT);
        events(hook, Event.DISCONNECTED, Event.CONNECTED);
        assertEquals("the producer accepted 1 connection(s) but did not complete the ZeroMQ handshake within 2000 ms: "
                + "it may be overloaded or hung", plain.explain(watch.evidence()));
    }

    @Test
    void aConnectedProducerThatDoesNotAnswerIsOverloadedOrHung() {
        events(attach(), Event.CONNECTED, Event.HANDSHAKE_PROTOCOL);
        assertEquals("the producer is connected but did not answer: it may be overloaded or hung (check its log)",
                plain.explain(watch.evidence()));
    }

    @Test
    void eventsOfAReplacedSocketAreIgnored() {
        ConnectionWatch.Hook old = attach();
        events(old, Event.CONNECTED, Event.HANDSHAKE_PROTOCOL);
        watch.replied();
        watch.detach();
        ConnectionWatch.Hook current = attach();
        events(old, Event.DISCONNECTED);   // our own close of the old socket
        events(current, Event.CONNECTED, Event.HANDSHAKE_PROTOCOL);
        assertEquals(new ConnectionWatch.Evidence(0, 0, 1, 0, 0, 0, 0, 0, 0, true), watch.evidence());
        assertFalse(watch.reconnectedSince(0), "closing the old socket is not a lost connection");
    }

    @Test
    void aDroppedConnectionReplacedByANewOneIsReconnected() {
        ConnectionWatch.Hook hook = attach();
        events(hook, Event.CONNECTED, Event.HANDSHAKE_PROTOCOL);
        long mark = watch.mark();
        events(hook, Event.DISCONNECTED);
        assertFalse(watch.reconnectedSince(mark));
        events(hook, Event.CLOSED, Event.CONNECTED);
        assertTrue(watch.reconnectedSince(mark));
    }
}
