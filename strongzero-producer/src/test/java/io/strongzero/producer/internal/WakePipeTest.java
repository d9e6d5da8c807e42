package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    /**
     * A waker announces 200,000 values while a frontend-like thread drains whenever the pipe is readable and then reads
     * the value; after the last announcement the pipe must become readable again, never stay silent with a wake-up
     * swallowed by a drain (the frontend's wait here is a minute, so a lost wake-up fails the test by its timeout).
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWakeUpDuringADrainIsNeverLost() throws Exception {
        int last = 200_000;
        AtomicInteger announced = new AtomicInteger();
        try (WakePipe pipe = new WakePipe(); Selector selector = Selector.open()) {
            pipe.source().register(selector, SelectionKey.OP_READ);
            Thread waker = new Thread(() -> {
                for (int i = 1; i <= last; i++) {
                    announced.set(i);
                    pipe.wake();
                }
            }, "strongzero-test-waker");
            waker.start();
            int seen = 0;
            while (seen < last) {
                selector.select(60_000);
                selector.selectedKeys().clear();
                pipe.drain();
                seen = announced.get();
            }
            waker.join(10_000);
            assertEquals(last, seen);
        }
    }

    @Test
    void wakingAClosedPipeIsHarmless() throws Exception {
        WakePipe pipe = new WakePipe();
        pipe.close();
        assertDoesNotThrow(pipe::wake);
    }
}
