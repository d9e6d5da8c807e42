package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AwaitTest {

    @Test
    void returnsOnceTheConditionHoldsAfterPollingItRepeatedly() {
        AtomicInteger polls = new AtomicInteger();
        Await.until(Duration.ofSeconds(10), "the fifth poll", () -> polls.incrementAndGet() >= 5);
        assertEquals(5, polls.get());
    }

    @Test
    void timesOutNamingWhatWasAwaitedAndTheLastObservedValue() {
        AtomicInteger polls = new AtomicInteger();
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofMillis(50), "a miracle",
                () -> polls.incrementAndGet() < 0, () -> "polls=" + polls.get()));
        assertTrue(e.getMessage().startsWith("timed out after 50 ms waiting for a miracle; last observed: polls="),
                e.getMessage());
        assertTrue(polls.get() >= 2, "polled until the timeout: " + polls.get());
    }

    @Test
    void timesOutWithoutAnObservedValueWhenNoneIsGiven() {
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofMillis(20), "nothing", () -> false));
        assertEquals("timed out after 20 ms waiting for nothing", e.getMessage());
    }

    @Test
    void anInterruptEndsTheWaitWithAnAssertionErrorAndKeepsTheInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofSeconds(10), "never", () -> false));
            assertEquals("interrupted while waiting for never", e.getMessage());
            assertTrue(e.getCause() instanceof InterruptedException, String.valueOf(e.getCause()));
            assertTrue(Thread.currentThread().isInterrupted(), "interrupt flag set again");
        } finally {
            Thread.interrupted();
        }
    }
}
