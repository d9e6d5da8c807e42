package io.strongzero.tck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Records what slf4j-simple logs while open: it writes to the {@code System.err} of the moment, so this
 * tees {@code System.err} into a buffer (the output still reaches the original stream). Close it to restore.
 *
 * <p>Sees only what is written to {@code System.err}: with slf4j-simple (its default), not with a binding that
 * writes elsewhere. Thread-safe; one capture at a time per JVM (each replaces {@code System.err} until it is closed).
 */
public final class LogCapture implements AutoCloseable {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream original;

    private LogCapture() {
        original = System.err;
        System.setErr(new PrintStream(new Tee(original, log), true, StandardCharsets.UTF_8));
    }

    /** @return a capture that records from now until {@link #close()} */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** @return everything logged so far */
    public String text() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * The logged lines that contain every one of {@code parts}.
     *
     * @param parts the texts a line must contain
     * @return the matching lines, in order
     */
    public List<String> lines(String... parts) {
        return text().lines().filter(l -> Arrays.stream(parts).allMatch(l::contains)).toList();
    }

    /** Puts back the {@code System.err} of the moment the capture started. */
    @Override
    public void close() {
        System.setErr(original);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) {
            synchronized (b) {
                b.write(x);
            }
            try {
                a.write(x);
            } catch (IOException e) {
                // the original stream is best effort
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            synchronized (b) {
                b.write(buf, off, len);
            }
            try {
                a.write(buf, off, len);
            } catch (IOException e) {
                // the original stream is best effort
            }
        }
    }
}
