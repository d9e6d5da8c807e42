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
     * Empties the pipe, so the next {@link #wake()} writes again. Frontend thread only.
     *
     * @throws IOException if the pipe is closed
     */
    public void drain() throws IOException {
        pending.set(false);
        while (pipe.source().read(drain.clear()) > 0) {
            // drain
        }
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
