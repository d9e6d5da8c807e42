package io.strongzero.consumer.internal;

import io.strongzero.core.ErrorCode;

/**
 * What is known about one producer's stream: position, the producer's head, the last error, whether it is blocked
 * or refused, and when the producer last answered. Written by the stream's thread, read by any thread (queries,
 * health). Internal API.
 */
public final class StreamState {
    private final String producer;
    private final String endpoint;
    volatile long position = -1;
    volatile long head = -1;
    volatile String lastError;
    /** Why the last pull got no answer (the diagnosis part of lastError); null once a reply arrived. */
    volatile String silenceCause;
    volatile boolean blocked;
    /**
     * The code of the producer's last ERROR reply that no retry can cure (anything but BUSY and INTERNAL: a refused
     * name, version, producer name or position), until a pull succeeds again.
     */
    volatile ErrorCode refusal;
    /** The producer answered a pull at least once. */
    volatile boolean replied;
    /** Wall-clock time of the last reply (for display), and the same moment on the ticker. */
    volatile long lastReplyAt;
    volatile long lastReplyMonotonic;
    volatile long lastAppliedProducedAt;
    /**
     * With lanes: the production time of the oldest message pulled and not yet applied (the lanes apply out of
     * position order, so the last applied one says little about it); 0 if none.
     */
    volatile long oldestPendingProducedAt;
    /** The lane count the stream applies in (1: in order on its own thread). */
    volatile int lanes = 1;
    /** With lanes: messages pulled and not yet applied. */
    volatile int buffered;
    /** With lanes: the buffer was full when the stream last wanted to pull (a slow lane holds the others back). */
    volatile boolean bufferFull;

    StreamState(String producer, String endpoint) {
        this.producer = producer;
        this.endpoint = endpoint;
    }

    /** The producer's name. */
    public String producer() {
        return producer;
    }

    /** The producer's endpoint. */
    public String endpoint() {
        return endpoint;
    }

    /** The last committed position, with lanes the lowest lane's (-1 before it was loaded). */
    public long position() {
        return position;
    }

    /** The producer's head as of the last reply (-1 before the first reply). */
    public long head() {
        return head;
    }

    /** The last failure, or null if the last attempt succeeded. */
    public String lastError() {
        return lastError;
    }

    /** Why the producer is silent (null once it answered). */
    public String silenceCause() {
        return silenceCause;
    }

    /** The lane count the stream applies in: 1 unless {@code concurrency > 1} (or old lanes are being finished). */
    public int lanes() {
        return lanes;
    }

    /** With lanes: messages pulled and not yet applied (0 otherwise). */
    public int buffered() {
        return buffered;
    }

    /** With lanes: true while the buffer is full, so that the stream pulls nothing until a lane catches up. */
    public boolean bufferFull() {
        return bufferFull;
    }

    /** True while a BLOCKING dead letter stops the stream. */
    public boolean blocked() {
        return blocked;
    }

    /** The refusal no retry cures, or null. */
    public ErrorCode refusal() {
        return refusal;
    }

    /** True once the producer answered a pull. */
    public boolean replied() {
        return replied;
    }

    /** Wall-clock millis of the last reply (0 before the first). */
    public long lastReplyAt() {
        return lastReplyAt;
    }

    /** Ticker millis of the last reply. */
    public long lastReplyMonotonic() {
        return lastReplyMonotonic;
    }

    /** Messages the producer has that the stream has not applied (-1 before the first reply). */
    public long lagMessages() {
        long h = head;
        return h < 0 ? -1 : Math.max(0, h - position);
    }

    /**
     * Age of the oldest message not applied yet by {@code nowMillis} (wall clock): 0 when caught up. Measured from the
     * last applied message's production time, or, with lanes, from the oldest pulled and not yet applied.
     */
    public long lagMillis(long nowMillis) {
        long h = head;
        if (h < 0 || position >= h) {
            return 0;
        }
        long pending = oldestPendingProducedAt;
        return Math.max(0, nowMillis - (pending != 0 ? pending : lastAppliedProducedAt));
    }
}
