package io.strongzero.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DurationsTest {

    @Test
    void parsesShortFormsCombinationsAndIso8601() {
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofHours(12), Durations.parse("12h"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofSeconds(45), Durations.parse("45s"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMillis(2_500), Durations.parse("2s500ms"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertEquals(Duration.ZERO, Durations.parse("0s"));
        assertEquals(Duration.ofHours(1), Durations.parse("PT1H"));
        assertEquals(Duration.ofDays(2), Durations.parse("p2d"));
    }

    @Test
    void refusesAnythingElseSayingWhichFormsWork() {
        for (String bad : new String[] {"", "5", "5x", "h", "1h 30m", "-1h", "1.5h", "PT-1H", "P", "10y"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertEquals(true, e.getMessage().contains(bad.isEmpty() ? "''" : bad), e.getMessage());
        }
    }

    @Test
    void printsShortHumanForms() {
        assertEquals("850 ms", Durations.human(850));
        assertEquals("12 s", Durations.human(12_000));
        assertEquals("5 min 3 s", Durations.human(303_000));
        assertEquals("2 h", Durations.human(7_200_000));
        assertEquals("2 h 10 min", Durations.human(7_800_000));
        assertEquals("3 d 4 h", Durations.human(3 * 86_400_000L + 4 * 3_600_000L));
    }
}
