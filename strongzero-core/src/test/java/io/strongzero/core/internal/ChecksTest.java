package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strongzero.core.StrongZeroConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChecksTest {

    private static String refused(Runnable check) {
        return assertThrows(StrongZeroConfigException.class, check::run).getMessage();
    }

    @Test
    void aRefusalNamesTheOptionTheRuleAndTheValue() {
        assertEquals("batchSize must be between 1 and 10000 but was 0", refused(() -> Checks.between("batchSize", 0, 1, 10_000)));
        assertEquals("readers must be at least 1 but was -2", refused(() -> Checks.atLeast("readers", -2, 1)));
        assertEquals("jitter must be between 0.0 and 1.0 but was 1.5", refused(() -> Checks.between("jitter", 1.5, 0.0, 1.0)));
        assertEquals("heartbeat must be positive but was PT0S", refused(() -> Checks.positive("heartbeat", Duration.ZERO)));
        assertEquals("grace must not be negative but was PT-1S",
                refused(() -> Checks.notNegative("grace", Duration.ofSeconds(-1))));
        assertEquals("size must be even but was 3", refused(() -> Checks.require(false, "size", 3, "be even")));
        assertEquals("codec must not be null", refused(() -> Checks.notNull("codec", null)));
    }

    @Test
    void anAcceptedValueIsReturnedUnchanged() {
        assertEquals(7, Checks.between("n", 7, 1, 10));
        assertEquals(7L, Checks.atLeast("n", 7L, 7L));
        Duration d = Duration.ofMillis(5);
        assertSame(d, Checks.positive("d", d));
        assertSame(d, Checks.notNegative("d", d));
        assertEquals("tcp://127.0.0.1:7300", Checks.endpoint("bind", "tcp://127.0.0.1:7300"));
    }

    @Test
    void aBackoffNeedsOneMillisecondAtMostItsCapAndACapOfADayAtMost() {
        Checks.backoff("backoff", Duration.ofMillis(1), Duration.ofMillis(1));
        Checks.backoff("backoff", Duration.ofMillis(100), Duration.ofHours(24));
        assertEquals("backoff must be 1 ms <= base <= cap <= 24 h but was base PT0S, cap PT1S",
                refused(() -> Checks.backoff("backoff", Duration.ZERO, Duration.ofSeconds(1))));
        assertEquals("retry must be 1 ms <= base <= cap <= 24 h but was base PT2S, cap PT1S",
                refused(() -> Checks.backoff("retry", Duration.ofSeconds(2), Duration.ofSeconds(1))));
        assertEquals("retry must be 1 ms <= base <= cap <= 24 h but was base PT1S, cap PT24H0.001S",
                refused(() -> Checks.backoff("retry", Duration.ofSeconds(1), Duration.ofHours(24).plusMillis(1))));
        assertEquals("retry must be 1 ms <= base <= cap <= 24 h but was base null, cap PT1S",
                refused(() -> Checks.backoff("retry", null, Duration.ofSeconds(1))));
    }

    @Test
    void aCombinedCheckThrowsItsMessageAndMakesALazyMessageOnlyWhenItFails() {
        assertEquals("pump cannot be combined with dataSource",
                refused(() -> Checks.valid(false, "pump cannot be combined with dataSource")));
        Checks.valid(true, () -> {
            throw new AssertionError("the message of a passing check must not be made");
        });
        assertEquals("made on failure", refused(() -> Checks.valid(false, () -> "made on failure")));
    }
}
