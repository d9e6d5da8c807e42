package io.strongzero.it;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Records what slf4j-simple writes (to the {@code System.err} of the moment) while still writing it there.
 * Open in {@code @BeforeEach}, close in {@code @AfterEach}.
 */
final class LogCapture implements AutoCloseable {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream original = System.err;

    LogCapture() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] buf, int off, int len) {
                synchronized (log) {
                    log.write(buf, off, len);
                }
                try {
                    original.write(buf, off, len);
                } catch (RuntimeException e) {
                    // the original stream is best effort
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    /** Everything logged since this capture started. */
    String text() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    /** How many logged lines contain {@code fragment}. */
    long lines(String fragment) {
        return text().lines().filter(l -> l.contains(fragment)).count();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
