package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import org.junit.jupiter.api.Test;

class WakePipeTest {

    private static int pending(WakePipe pipe) throws Exception {
        return ((ReadableByteChannel) pipe.source()).read(ByteBuffer.allocate(64));
    }

    @Test
    void wakeUpsCoalesceUntilTheFrontendDrains() throws Exception {
        try (WakePipe pipe = new WakePipe()) {
            pipe.wake();
            pipe.wake();
            pipe.wake();
            assertEquals(1, pending(pipe), "one byte for three wake-ups");
            pipe.drain();
            pipe.wake();
            assertEquals(1, pending(pipe), "a wake-up after the drain writes again");
        }
    }

    @Test
    void wakingAClosedPipeIsHarmless() throws Exception {
        WakePipe pipe = new WakePipe();
        pipe.close();
        assertDoesNotThrow(pipe::wake);
    }
}
