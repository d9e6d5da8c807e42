package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.internal.Protocol;
import io.strongzero.testing.ManualTicker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deadlines on a ticker moved by hand: no test here waits. */
class LongPollRegistryTest {

    private final ManualTicker ticker = new ManualTicker();

    private static RequestCheck.Pull pull(int connection, long after, int maxWait) {
        return Requests.checked(new byte[] {(byte) connection}, Requests.pull(after, maxWait, "c" + connection));
    }

    @Test
    void aParkedPullExpiresExactlyAtItsDeadlineOnTheTicker() {
        LongPollRegistry registry = new LongPollRegistry(10, 10, ticker, 5);
        assertEquals(250, registry.pollTimeout(250), "nothing parked: the longest poll");
        RequestCheck.Pull p = pull(1, 5, 1000);
        assertEquals(ParkingLot.Admission.PARKED, registry.park(p));
        assertEquals(250, registry.pollTimeout(250));
        ticker.advance(Duration.ofMillis(900));
        assertEquals(100, registry.pollTimeout(250), "wakes at the deadline");
        assertTrue(registry.expired().isEmpty());
        ticker.advance(Duration.ofMillis(99));
        assertTrue(registry.expired().isEmpty(), "1 ms early");
        ticker.advance(Duration.ofMillis(1));
        assertEquals(List.of(p), registry.expired());
        assertEquals(0, registry.size());
        assertEquals(250, registry.pollTimeout(250));
    }

    @Test
    void aPastDeadlineStillPollsForAtLeastOneMillisecond() {
        LongPollRegistry registry = new LongPollRegistry(10, 10, ticker, 5);
        registry.park(pull(1, 5, 10));
        ticker.advance(Duration.ofSeconds(1));
        assertEquals(1, registry.pollTimeout(250));
    }

    @Test
    void aNewHeadAnswersThePullsBelowItOnceAndKeepsTheOthers() {
        LongPollRegistry registry = new LongPollRegistry(10, 10, ticker, 5);
        RequestCheck.Pull atFive = pull(1, 5, 5000);
        RequestCheck.Pull atSeven = pull(2, 7, 5000);
        registry.park(atFive);
        registry.park(atSeven);
        assertTrue(registry.answeredBy(5).isEmpty(), "the head the pulls were checked against");
        assertEquals(List.of(atFive), registry.answeredBy(6));
        assertTrue(registry.answeredBy(6).isEmpty(), "the same head again answers nothing");
        assertEquals(1, registry.size());
        assertEquals(List.of(atSeven), registry.answeredBy(8));
    }

    @Test
    void aRouteHoldsOnePullAndTheBoundsRefuseMore() {
        LongPollRegistry registry = new LongPollRegistry(2, 1, ticker, 0);
        RequestCheck.Pull first = pull(1, 0, 5000);
        RequestCheck.Pull again = pull(1, 0, 100);
        registry.park(first);
        assertEquals(ParkingLot.Admission.PARKED, registry.park(again), "the route's new pull replaces its old one");
        assertEquals(1, registry.size());
        ticker.advance(Duration.ofMillis(100));
        assertEquals(List.of(again), registry.expired(), "with the new pull's deadline");

        LongPollRegistry perConnection = new LongPollRegistry(10, 1, ticker, 0);
        perConnection.park(first);
        RequestCheck.Pull behindProxy = (RequestCheck.Pull) new RequestCheck("users", null).check(IncomingRequest.of(
                List.of(new byte[] {1}, new byte[] {9}, new byte[0], Protocol.header(Protocol.CMD_PULL),
                        Protocol.encodePull(Requests.pull(0, 100, "other"))), null));
        assertEquals(ParkingLot.Admission.CONNECTION_FULL, perConnection.park(behindProxy),
                "another route through the same connection counts against the connection's bound");
        LongPollRegistry small = new LongPollRegistry(1, 1, ticker, 0);
        small.park(pull(1, 0, 100));
        assertEquals(ParkingLot.Admission.FULL, small.park(pull(2, 0, 100)));
    }
}
