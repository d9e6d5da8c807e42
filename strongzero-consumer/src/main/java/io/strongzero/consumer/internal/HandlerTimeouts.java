package io.strongzero.consumer.internal;

import io.strongzero.consumer.HandlerTimeoutException;
import io.strongzero.core.Envelope;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Threads;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stream's transactions on a handler thread ({@code strongzero-consumer-<name>-<producer>-handler}) so that
 * a handler that overruns its time per message can be given up on: its connection is aborted (so its transaction
 * can never commit), its thread interrupted and abandoned, and the attempt fails with a
 * {@link HandlerTimeoutException}. Time is read from the {@link Ticker}; each message's budget starts at
 * {@link #messageStarted()}. One per stream, used by the stream's thread.
 */
final class HandlerTimeouts implements BatchApplier.Progress {

    private static final Logger log = LoggerFactory.getLogger(HandlerTimeouts.class);

    private final String consumer;
    private final String producer;
    private final String threadSuffix;
    private final Duration timeout;
    private final Ticker ticker;
    private ExecutorService handlerThread;
    private volatile long messageStartNanos;
    private volatile Connection activeConnection;

    HandlerTimeouts(String consumer, String producer, Duration timeout, Ticker ticker) {
        this(consumer, producer, "handler", timeout, ticker);
    }

    /** With the handler thread named {@code strongzero-consumer-<consumer>-<producer>-<threadSuffix>}. */
    HandlerTimeouts(String consumer, String producer, String threadSuffix, Duration timeout, Ticker ticker) {
        this.consumer = consumer;
        this.producer = producer;
        this.threadSuffix = threadSuffix;
        this.timeout = timeout;
        this.ticker = ticker;
    }

    /**
     * Runs {@code apply} (a transaction that starts with message {@code first}, the stream standing at
     * {@code position}) on the handler thread and waits for it, at most the timeout per message; runs
     * {@code meanwhile} on the calling thread once the handler thread has the transaction.
     */
    BatchApplier.Result run(Supplier<BatchApplier.Result> apply, Envelope first, long position, Runnable meanwhile) {
        if (handlerThread == null) {
            handlerThread = Executors.newSingleThreadExecutor(Threads.factory("consumer", consumer + "-" + producer + "-" + threadSuffix));
        }
        messageStartNanos = ticker.nanos();
        Future<BatchApplier.Result> f = handlerThread.submit(apply::get);
        meanwhile.run();
        long timeoutNanos = timeout.toNanos();
        while (true) {
            long left = messageStartNanos + timeoutNanos - ticker.nanos();
            try {
                return f.get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException t) {
                if (messageStartNanos + timeoutNanos - ticker.nanos() > 0) {
                    continue; // the next message started meanwhile: its own time budget applies
                }
                abandon(f);
                return new BatchApplier.Failed(first, new HandlerTimeoutException("a handler ran longer than "
                        + timeout.toMillis() + " ms (message in producer " + producer + " after position " + position
                        + "); its transaction was aborted"), false);
            } catch (ExecutionException x) {
                return new BatchApplier.Failed(first, x.getCause(), false);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                abandon(f);
                return new BatchApplier.Failed(first, x, false);
            }
        }
    }

    @Override
    public void transactionStarted(Connection c) {
        activeConnection = c;
    }

    @Override
    public void messageStarted() {
        messageStartNanos = ticker.nanos();
    }

    @Override
    public void transactionEnded() {
        activeConnection = null;
    }

    /** Stops the handler thread (the stream ends). */
    void close() {
        if (handlerThread != null) {
            handlerThread.shutdownNow();
        }
    }

    /**
     * Gives up on a handler that overran: aborts its connection (so its transaction can never commit),
     * interrupts it and moves on with a fresh handler thread. A thread that ignores interrupts and
     * never touches the database again is left behind (daemon, logged).
     */
    private void abandon(Future<?> f) {
        Connection c = activeConnection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException x) {
                log.debug("strongzero-consumer[{}]: aborting the overrunning handler's connection failed", consumer, x);
            }
        }
        f.cancel(true);
        handlerThread.shutdownNow();
        handlerThread = null;
        log.warn("strongzero-consumer[{}]: abandoned a handler of producer {} that overran {} ms; its transaction "
                + "was aborted", consumer, producer, timeout.toMillis());
    }
}
