package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ThreadsTest {

    @Test
    void factoryNamesNumberedDaemonThreadsAfterComponentAndName() {
        ThreadFactory factory = Threads.factory("pump", "orders");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });
        assertEquals("strongzero-pump-orders-1", first.getName());
        assertEquals("strongzero-pump-orders-2", second.getName());
        assertTrue(first.isDaemon() && second.isDaemon());
        assertEquals("strongzero-pump-orders-1", Threads.factory("pump", "orders").newThread(() -> { }).getName());
    }

    @Test
    void newThreadNamesADaemonThreadAfterComponentAndName() {
        Thread t = Threads.newThread("consumer", "billing", () -> { });
        assertEquals("strongzero-consumer-billing", t.getName());
        assertTrue(t.isDaemon());
        assertFalse(t.isAlive());
    }

    @Test
    @Timeout(30)
    void joinReturnsTrueOnceTheThreadEnded() {
        Thread t = Threads.newThread("test", "short", () -> { });
        t.start();
        assertTrue(Threads.join(t, TimeUnit.SECONDS.toMillis(20)));
        assertTrue(Threads.join(null, 1));
    }

    @Test
    @Timeout(30)
    void joinReturnsFalseForAThreadStillRunningAfterTheTimeLimit() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread t = Threads.newThread("test", "blocked", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        try {
            assertFalse(Threads.join(t, 20));
        } finally {
            release.countDown();
            t.join(TimeUnit.SECONDS.toMillis(20));
        }
    }

    @Test
    @Timeout(30)
    void joinRestoresTheInterruptFlagWhenInterrupted() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread t = Threads.newThread("test", "blocked", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        try {
            Thread.currentThread().interrupt();
            assertFalse(Threads.join(t, TimeUnit.SECONDS.toMillis(20)));
            assertTrue(Thread.interrupted(), "the interrupt flag was not restored");
        } finally {
            Thread.interrupted();
            release.countDown();
            t.join(TimeUnit.SECONDS.toMillis(20));
        }
    }
}
