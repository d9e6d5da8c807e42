package io.strongzero.pump;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strongzero.core.internal.Backoff;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sequencer's wait after failed passes is the one it always was: pollInterval x 2^min(failures, 5), at most 5 s. */
class SequencerRetryBackoffTest {

    @Test
    void waitsPollIntervalTimesTwoToTheFailuresCappedAtFiveShiftsAndFiveSeconds() {
        for (long poll : new long[] {1, 10, 50, 200, 1_000, 2_000, 2_500, 3_000, 60_000}) {
            Backoff.Attempts attempts = StrongZeroPump.retryBackoff(Duration.ofMillis(poll)).attempts();
            for (int failures = 1; failures <= 12; failures++) {
                long before = Math.min(5_000, poll << Math.min(failures, 5));
                assertEquals(before, attempts.next(), "poll " + poll + " ms after " + failures + " failures");
            }
            attempts.reset();
            assertEquals(Math.min(5_000, poll << 1), attempts.next(), "a success starts over, poll " + poll);
        }
    }
}
