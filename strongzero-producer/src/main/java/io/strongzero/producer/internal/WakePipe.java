package io.strongzero.producer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How other threads wake the frontend out of its poll (a new head, a reply queued): a non-blocking pipe whose
 * read end the frontend polls beside its sockets. Wake-ups coalesce: one byte is written until the frontend
 * drains. Thread-safe. Internal API.
 */
public final class WakePipe implements AutoCloseable {

    private final Pipe pipe;
    private final ByteBuffer drain = ByteBuffer.allocate(64);
    private final AtomicBoolean pending = new AtomicBoolean();

    /** Opens the pipe. */
    public WakePipe() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    /** The end to poll for input. */
    public SelectableChannel source() {
        return pipe.source();
    }

    /** Wakes the frontend; cheap, never blocks, never throws (a closed pipe means shutdown). */
    public void wake() {
        if (pending.compareAndSet(false, true)) {
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                // the pipe is closed: we are shutting down
            }
        }
    }

    /**
     * Empties the pipe, so the next {@link #wake()} writes again. Frontend thread only; the frontend looks at
     * everything a wake-up announces (head, queued replies) after this returns.
     *
     * <p>Reads first, then allows the next write: reset first, and a wake-up between the reset and the read would
     * write a byte this drain swallows, leaving "pending" set with an empty pipe, so that no wake-up reached the
     * frontend again until a request or its poll timeout woke it (seen: every message waited up to 250 ms). Reset
     * last, a wake-up in between finds "pending" still set and writes nothing, which is safe: what it announces is
     * already there when the frontend looks after the drain.
     *
     * @throws IOException if the pipe is closed
     */
    public void drain() throws IOException {
        while (pipe.source().read(drain.clear()) > 0) {
            // drain
        }
        pending.set(false);
    }

    /** Closes both ends. */
    @Override
    public void close() throws IOException {
        try {
            pipe.sink().close();
        } finally {
            pipe.source().close();
        }
    }
}
