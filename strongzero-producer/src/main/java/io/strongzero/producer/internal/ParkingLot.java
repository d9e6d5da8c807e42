package io.strongzero.producer.internal;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pulls a producer holds while they wait for new positions, one per route, bounded in all and per
 * connection. A new pull from a route replaces that route's parked one. The per-connection bound
 * stops one connection from taking the whole lot by putting made-up routing frames in front of its
 * requests; a proxy in front of many consumers shares one connection and one bound. Used by the
 * frontend thread only: not thread-safe. Internal API.
 *
 * @param <T> what is parked
 */
public final class ParkingLot<T> {

    /** What {@link #park} did. */
    public enum Admission {
        /** Parked (possibly replacing the route's earlier pull). */
        PARKED,
        /** Refused: the lot is full. */
        FULL,
        /** Refused: the connection holds its maximum. */
        CONNECTION_FULL
    }

    private final int max;
    private final int maxPerConnection;
    private final Map<IncomingRequest.Route, T> parked = new LinkedHashMap<>();
    private final Map<ByteBuffer, Integer> perConnection = new HashMap<>();

    public ParkingLot(int max, int maxPerConnection) {
        this.max = max;
        this.maxPerConnection = maxPerConnection;
    }

    /** Parks {@code value} under its route unless a bound is reached. */
    public Admission park(IncomingRequest.Route route, T value) {
        if (parked.containsKey(route)) {
            parked.put(route, value);
            return Admission.PARKED;
        }
        if (parked.size() >= max) {
            return Admission.FULL;
        }
        ByteBuffer connection = ByteBuffer.wrap(route.frames().get(0));
        int held = perConnection.getOrDefault(connection, 0);
        if (held >= maxPerConnection) {
            return Admission.CONNECTION_FULL;
        }
        perConnection.put(connection, held + 1);
        parked.put(route, value);
        return Admission.PARKED;
    }

    /** The parked values in parking order; {@link Iterator#remove()} unparks. */
    public Iterator<T> iterator() {
        Iterator<Map.Entry<IncomingRequest.Route, T>> it = parked.entrySet().iterator();
        return new Iterator<>() {
            private IncomingRequest.Route current;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                Map.Entry<IncomingRequest.Route, T> e = it.next();
                current = e.getKey();
                return e.getValue();
            }

            @Override
            public void remove() {
                it.remove();
                perConnection.computeIfPresent(ByteBuffer.wrap(current.frames().get(0)), (k, n) -> n > 1 ? n - 1 : null);
            }
        };
    }

    /** Pulls parked. */
    public int size() {
        return parked.size();
    }

    /** Connections with parked pulls (for tests). */
    int connections() {
        return perConnection.size();
    }
}
