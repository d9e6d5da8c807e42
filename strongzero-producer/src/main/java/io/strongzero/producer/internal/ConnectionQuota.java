package io.strongzero.producer.internal;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts what each connection (ROUTER routing id) holds of a shared resource, such as journal reads
 * queued or running, and refuses more than a bound per connection, so that one connection cannot take
 * a resource every consumer shares. Used by the frontend thread only: not thread-safe. Internal API.
 */
public final class ConnectionQuota {

    private final int perConnection;
    private final Map<ByteBuffer, Integer> held = new HashMap<>();

    public ConnectionQuota(int perConnection) {
        this.perConnection = perConnection;
    }

    /** The bound per connection. */
    public int limit() {
        return perConnection;
    }

    /** Takes one unit for the connection; false if it holds the bound already. */
    public boolean tryAcquire(byte[] connection) {
        ByteBuffer key = ByteBuffer.wrap(connection);
        int n = held.getOrDefault(key, 0);
        if (n >= perConnection) {
            return false;
        }
        held.put(key, n + 1);
        return true;
    }

    /** Gives one unit back. */
    public void release(byte[] connection) {
        held.computeIfPresent(ByteBuffer.wrap(connection), (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Connections holding units. */
    public int connections() {
        return held.size();
    }
}
