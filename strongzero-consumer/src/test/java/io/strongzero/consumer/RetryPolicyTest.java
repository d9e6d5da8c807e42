package io.strongzero.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroSerializationException;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void delaysDoubleFromTheBaseUpToTheCap() {
        RetryPolicy p = RetryPolicy.builder().backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).jitter(0).build();
        assertEquals(100, p.delayMillis(1, 0.9));
        assertEquals(200, p.delayMillis(2, 0.9));
        assertEquals(400, p.delayMillis(3, 0.9));
        assertEquals(800, p.delayMillis(4, 0.9));
        assertEquals(1000, p.delayMillis(5, 0.9));
        assertEquals(1000, p.delayMillis(1000, 0.9), "no overflow for huge attempt numbers");
    }

    @Test
    void jitterShortensEachDelayByAtMostItsFraction() {
        RetryPolicy p = RetryPolicy.builder().backoff(Duration.ofMillis(100), Duration.ofSeconds(30)).jitter(0.5).build();
        Random r = new Random(42);
        for (int attempt = 1; attempt <= 20; attempt++) {
            for (int i = 0; i < 100; i++) {
                long d = p.delayMillis(attempt, r.nextDouble());
                assertTrue(d >= p.minDelayMillis(attempt) && d <= p.maxDelayMillis(attempt),
                        "attempt " + attempt + ": " + d + " outside [" + p.minDelayMillis(attempt) + ", "
                                + p.maxDelayMillis(attempt) + "]");
            }
        }
        assertEquals(50, p.minDelayMillis(1));
        assertEquals(100, p.maxDelayMillis(1));
    }

    @Test
    void jitterIsProportionalSoTheDefaultKeepsHalfOfEachStepAndOneDrawsFromTheWholeStep() {
        // Issue 12 item 9: the documented scheme is delay in [step * (1 - jitter), step], not "full jitter".
        RetryPolicy equal = RetryPolicy.builder().backoff(Duration.ofMillis(400), Duration.ofSeconds(30)).build();
        assertEquals(0.5, equal.jitter(), "the default is equal jitter");
        assertEquals(201, equal.delayMillis(1, 0.999_999), "the largest draw still keeps half of the step");
        assertEquals(200, equal.minDelayMillis(1));
        assertEquals(300, equal.delayMillis(1, 0.5));
        assertEquals(400, equal.delayMillis(1, 0.0));
        RetryPolicy full = equal.toBuilder().jitter(1).build();
        assertEquals(1, full.delayMillis(1, 0.999_999), "full jitter may shorten a step to its 1 ms floor");
        assertEquals(1, full.minDelayMillis(1));
        assertEquals(200, full.delayMillis(1, 0.5));
    }

    @Test
    void nonRetryableFailuresAreRecognizedAnywhereInTheCauseChain() {
        RetryPolicy p = RetryPolicy.builder().nonRetryable(IllegalArgumentException.class).build();
        assertFalse(p.isRetryable(new NonRetryableException("invalid")));
        assertFalse(p.isRetryable(new RuntimeException(new StrongZeroSerializationException("bad", new IOException()))));
        assertFalse(p.isRetryable(new RuntimeException(new NumberFormatException("x"))), "subtypes count");
        assertTrue(p.isRetryable(new IllegalStateException("quota")));
    }

    @Test
    void builderRefusesInvalidValuesNamingTheSetting() {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                () -> RetryPolicy.builder().maxAttempts(0));
        assertTrue(e.getMessage().contains("maxAttempts") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(StrongZeroConfigException.class, () -> RetryPolicy.builder().jitter(1.5));
        assertThrows(StrongZeroConfigException.class, () -> RetryPolicy.builder().jitter(Double.NaN));
        assertThrows(StrongZeroConfigException.class,
                () -> RetryPolicy.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    @Test
    void toBuilderKeepsEveryValue() {
        RetryPolicy p = RetryPolicy.builder().maxAttempts(7).backoff(Duration.ofMillis(5), Duration.ofMillis(70))
                .jitter(0.2).onExhausted(RetryPolicy.OnExhausted.BLOCK).nonRetryable(IOException.class).build();
        RetryPolicy q = p.toBuilder().build();
        assertEquals(p.toString(), q.toString());
        assertFalse(q.isRetryable(new IOException()));
    }
}
