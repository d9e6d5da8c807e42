package io.strongzero.producer.internal;

import io.strongzero.core.Ticker;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The pulls waiting for new positions (long polling), each with its deadline on the monotonic {@link Ticker}:
 * a wall clock that steps must not stretch or cut long polls. Hands back the pulls a new head answers and those
 * whose wait is over, and tells the frontend how long it may block. Bounded through a {@link ParkingLot} (in all
 * and per connection). One per frontend run: parked pulls are lost with the socket, and their consumers pull
 * again. Used by the frontend thread only: not thread-safe. Internal API.
 */
public final class LongPollRegistry {

    /** Pulls one connection may have parked: one per consumer behind it (a direct consumer has one). */
    public static final int MAX_PARKED_PER_CONNECTION = 100;

    private record Parked(RequestCheck.Pull pull, long deadline) {
    }

    private final ParkingLot<Parked> lot;
    private final Ticker ticker;
    private long dispatchedHead;
    private long nextDeadline = Long.MAX_VALUE;

    /**
     * @param max              most pulls parked at once
     * @param maxPerConnection most pulls parked from one connection
     * @param head             the head the pulls to come were checked against
     */
    public LongPollRegistry(int max, int maxPerConnection, Ticker ticker, long head) {
        this.lot = new ParkingLot<>(max, maxPerConnection);
        this.ticker = ticker;
        this.dispatchedHead = head;
    }

    /**
     * Parks {@code pull} until a position after its own exists or its wait ({@code maxWaitMillis}) is over; a
     * pull from a route with one parked already replaces it.
     */
    public ParkingLot.Admission park(RequestCheck.Pull pull) {
        long deadline = ticker.millis() + pull.request().maxWaitMillis();
        ParkingLot.Admission admission = lot.park(pull.route(), new Parked(pull, deadline));
        if (admission == ParkingLot.Admission.PARKED) {
            nextDeadline = Math.min(nextDeadline, deadline);
        }
        return admission;
    }

    /** Unparks and returns the pulls {@code head} answers, if it is above the last head seen here. */
    public List<RequestCheck.Pull> answeredBy(long head) {
        if (head <= dispatchedHead) {
            return List.of();   // the frontend asks at every wake-up: allocate nothing then
        }
        List<RequestCheck.Pull> out = new ArrayList<>();
        dispatchedHead = head;
        Iterator<Parked> it = lot.iterator();
        while (it.hasNext()) {
            Parked p = it.next();
            if (p.pull().request().afterPosition() < head) {
                it.remove();
                out.add(p.pull());
            }
        }
        return out;
    }

    /** Unparks and returns the pulls whose wait is over (to be answered with an empty batch). */
    public List<RequestCheck.Pull> expired() {
        long now = ticker.millis();
        if (now < nextDeadline) {
            return List.of();
        }
        List<RequestCheck.Pull> out = new ArrayList<>();
        nextDeadline = Long.MAX_VALUE;
        Iterator<Parked> it = lot.iterator();
        while (it.hasNext()) {
            Parked p = it.next();
            if (p.deadline() <= now) {
                it.remove();
                out.add(p.pull());
            } else {
                nextDeadline = Math.min(nextDeadline, p.deadline());
            }
        }
        return out;
    }

    /** How long the frontend may wait for input: until the next deadline, between 1 ms and {@code maxMillis}. */
    public long pollTimeout(long maxMillis) {
        return nextDeadline == Long.MAX_VALUE ? maxMillis : Math.max(1, Math.min(maxMillis, nextDeadline - ticker.millis()));
    }

    /** Pulls parked. */
    public int size() {
        return lot.size();
    }
}
