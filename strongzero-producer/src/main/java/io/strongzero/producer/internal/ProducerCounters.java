package io.strongzero.producer.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a producer counts, shared by its parts and read by its facade and health: messages served, requests
 * refused, BUSY replies, failed handshakes, frontend restarts, and the pulls and bytes in flight (the budgets).
 * Thread-safe. Internal API.
 */
public final class ProducerCounters {
    /** Messages sent to consumers (redacted entries not counted). */
    public final AtomicLong served = new AtomicLong();
    /** Messages answered from the in-memory tail. */
    public final AtomicLong servedFromMemory = new AtomicLong();
    /** Requests refused as malformed or not authorized. */
    public final AtomicLong malformed = new AtomicLong();
    /** BUSY replies. */
    public final AtomicLong busy = new AtomicLong();
    /** Failed CURVE handshakes. */
    public final AtomicLong handshakeFailures = new AtomicLong();
    /** Times the frontend failed unexpectedly and was started again. */
    public final AtomicLong frontendRestarts = new AtomicLong();
    /** Pulls being read or sent. */
    public final AtomicInteger inflightPulls = new AtomicInteger();
    /** Reply bytes read but not yet sent. */
    public final AtomicLong inflightBytes = new AtomicLong();
}
