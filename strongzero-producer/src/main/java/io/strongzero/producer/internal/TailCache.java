package io.strongzero.producer.internal;

import io.strongzero.core.Envelope;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recently stamped messages, an unbroken run of positions, bounded in count and bytes, so the
 * producer answers consumers at the head from memory instead of re-reading the journal (one read per
 * message instead of one per consumer). Holds only committed, stamped messages. A ring buffer;
 * thread-safe (the pump thread appends, the frontend thread reads). Internal API.
 */
public final class TailCache {

    private final Envelope[] ring;
    private final long maxBytes;
    private int start;
    private int count;
    private long bytes;

    public TailCache(int maxMessages, long maxBytes) {
        this.ring = new Envelope[maxMessages];
        this.maxBytes = maxBytes;
    }

    private Envelope at(int i) {
        return ring[(start + i) % ring.length];
    }

    /** Appends a run of stamped messages; a run that does not continue the cached one replaces it. */
    public synchronized void append(List<Envelope> run) {
        if (run.isEmpty()) {
            return;
        }
        if (count > 0 && run.get(0).position() != at(count - 1).position() + 1) {
            clear(); // another instance stamped in between: start over from this run
        }
        for (Envelope e : run) {
            if (count == ring.length) {
                dropFirst();
            }
            ring[(start + count) % ring.length] = e;
            count++;
            bytes += e.wireSize();
        }
        while (bytes > maxBytes && count > 1) {
            dropFirst();
        }
    }

    private void dropFirst() {
        bytes -= ring[start].wireSize();
        ring[start] = null;
        start = (start + 1) % ring.length;
        count--;
    }

    private void clear() {
        for (int i = 0; i < count; i++) {
            ring[(start + i) % ring.length] = null;
        }
        start = 0;
        count = 0;
        bytes = 0;
    }

    /**
     * The messages after {@code after} (an unbroken run from {@code after + 1}), bounded like a journal
     * read, or null if the cache does not hold position {@code after + 1}.
     */
    public synchronized List<Envelope> after(long after, int maxCount, long maxReplyBytes) {
        if (count == 0) {
            return null;
        }
        long first = at(0).position();
        long last = at(count - 1).position();
        if (after + 1 < first || after + 1 > last) {
            return null;
        }
        int from = (int) (after + 1 - first);
        List<Envelope> out = new ArrayList<>(Math.min(maxCount, count - from));
        long size = 0;
        for (int i = from; i < count && out.size() < maxCount; i++) {
            Envelope e = at(i);
            size += e.wireSize();
            if (size > maxReplyBytes && !out.isEmpty()) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public synchronized int size() {
        return count;
    }
}
