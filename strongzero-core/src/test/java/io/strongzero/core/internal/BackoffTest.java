package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delayIsHalfTheExponentialValueWhenTheRandomSourceReturnsZero() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), () -> 0.0);
        assertEquals(50, backoff.delayMillis(0));
        assertEquals(100, backoff.delayMillis(1));
        assertEquals(200, backoff.delayMillis(2));
        assertEquals(6_400, backoff.delayMillis(7));
        assertEquals(15_000, backoff.delayMillis(9)); // 51,200 capped at 30,000
    }

    @Test
    void delayIsTheFullExponentialValueWhenTheRandomSourceReturnsOne() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), () -> 1.0);
        assertEquals(100, backoff.delayMillis(0));
        assertEquals(200, backoff.delayMillis(1));
        assertEquals(12_800, backoff.delayMillis(7));
        assertEquals(25_600, backoff.delayMillis(8));
        assertEquals(30_000, backoff.delayMillis(9));
        assertEquals(30_000, backoff.delayMillis(29));
        assertEquals(30_000, backoff.delayMillis(30));
        assertEquals(30_000, backoff.delayMillis(Integer.MAX_VALUE));
    }

    @Test
    void delayScalesLinearlyWithTheRandomValue() {
        Backoff backoff = new Backoff(Duration.ofMillis(1_000), Duration.ofMinutes(1), () -> 0.5);
        assertEquals(750, backoff.delayMillis(0));
        assertEquals(3_000, backoff.delayMillis(2));
        assertEquals(45_000, backoff.delayMillis(10));
    }

    @Test
    void delaysStayWithinHalfAndFullExponentialValueAndUnderTheCap() {
        SplittableRandom random = new SplittableRandom(3);
        long base = 25;
        long cap = 10_000;
        Backoff backoff = new Backoff(Duration.ofMillis(base), Duration.ofMillis(cap), random::nextDouble);
        for (int attempt = 0; attempt < 64; attempt++) {
            long exp = attempt >= 30 ? cap : Math.min(cap, base << attempt);
            for (int i = 0; i < 1_000; i++) {
                long delay = backoff.delayMillis(attempt);
                assertTrue(delay >= exp / 2 && delay <= exp,
                        "attempt " + attempt + ": " + delay + " not in [" + exp / 2 + ", " + exp + "]");
                assertTrue(delay <= cap);
            }
        }
    }

    @Test
    void delaysNeverDecreaseWithTheAttemptForAFixedRandomValue() {
        Backoff backoff = new Backoff(Duration.ofMillis(3), Duration.ofSeconds(5), () -> 0.37);
        long previous = 0;
        for (int attempt = 0; attempt < 100; attempt++) {
            long delay = backoff.delayMillis(attempt);
            assertTrue(delay >= previous, "attempt " + attempt + ": " + delay + " < " + previous);
            previous = delay;
        }
        assertTrue(previous <= 5_000);
    }

    @Test
    void delayIsAtLeastOneMillisecond() {
        Backoff backoff = new Backoff(Duration.ZERO, Duration.ZERO, () -> 0.0);
        assertEquals(1, backoff.delayMillis(0));
        assertEquals(1, backoff.delayMillis(5));
        assertEquals(1, backoff.delayMillis(40));
    }

    @Test
    void aCapBelowTheBaseIsRaisedToTheBase() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofMillis(10), () -> 1.0);
        assertEquals(500, backoff.delayMillis(0));
        assertEquals(500, backoff.delayMillis(3));
    }

    @Test
    void aHugeBaseIsCappedInsteadOfOverflowingToTheOneMillisecondFloor() {
        long base = Duration.ofDays(365).toMillis();
        long cap = Duration.ofDays(3650).toMillis();
        Backoff backoff = new Backoff(Duration.ofMillis(base), Duration.ofMillis(cap), () -> 1.0);
        for (int attempt = 0; attempt < 64; attempt++) {
            long expected = attempt < 4 ? base << attempt : cap; // 365 d * 2^4 > 3650 d
            assertEquals(expected, backoff.delayMillis(attempt), "attempt " + attempt);
        }
    }

    @Test
    void exponentialValueDoublesUpToTheCapEvenPastAttempt30() {
        long cap = 1L << 52; // delays are computed in double: stay where every long is exact
        Backoff backoff = new Backoff(Duration.ofMillis(3), Duration.ofMillis(cap), () -> 1.0);
        for (int attempt = 0; attempt < 70; attempt++) {
            long expected = attempt < 62 && (3L << attempt) <= cap && (3L << attempt) > 0 ? 3L << attempt : cap;
            assertEquals(expected, backoff.delayMillis(attempt), "attempt " + attempt);
        }
    }

    @Test
    void aNegativeAttemptIsRefused() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backoff.delayMillis(-1));
        assertTrue(e.getMessage().contains("attempt must not be negative but was -1"), e.getMessage());
    }

    @Test
    void anExactBackoffDoublesFromItsBaseUpToItsCapWithoutRandomness() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(5));
        assertEquals(200, backoff.delayMillis(0));
        assertEquals(400, backoff.delayMillis(1));
        assertEquals(3_200, backoff.delayMillis(4));
        assertEquals(5_000, backoff.delayMillis(5));
        assertEquals(5_000, backoff.delayMillis(62));
        assertEquals(backoff.stepMillis(3), backoff.minDelayMillis(3));
    }

    @Test
    void jitterTakesAtMostItsFractionOffEachStep() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(1_000), Duration.ofSeconds(60)).withJitter(0.25, () -> 1.0);
        assertEquals(750, backoff.delayMillis(0));
        assertEquals(750, backoff.minDelayMillis(0));
        assertEquals(1_000, backoff.delayMillis(0, 0.0));
        assertEquals(1_800, backoff.delayMillis(1, 0.4));
        assertThrows(IllegalArgumentException.class, () -> backoff.withJitter(1.5, () -> 0));
    }

    @Test
    void attemptsCountFailuresAndStartOverAfterAReset() {
        Backoff.Attempts attempts = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(100)).attempts();
        assertEquals(0, attempts.failures());
        assertEquals(10, attempts.peekStepMillis());
        assertEquals(10, attempts.next());
        assertEquals(20, attempts.next());
        assertEquals(40, attempts.next());
        assertEquals(80, attempts.peekStepMillis());
        assertEquals(3, attempts.failures());
        assertEquals(80, attempts.next());
        assertEquals(100, attempts.next());
        assertEquals(100, attempts.next());
        attempts.reset();
        assertEquals(0, attempts.failures());
        assertEquals(10, attempts.next());
    }
}
