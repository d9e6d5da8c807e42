package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 12, item 11: a burst of refused requests is summarized on a timer, not only with a later refusal. */
class HeldBackLogTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<String> lines = new ArrayList<>();
    private final HeldBackLog log = new HeldBackLog(10_000, clock::get, lines::add,
            (held, kinds, total) -> "refused " + held + " more (" + kinds + "; " + total + " so far)");

    /** What a caller does: the detailed line only when acquire allows it. */
    private void refuse(String kind) {
        if (log.acquire(kind)) {
            lines.add("detail " + kind + " (" + log.total() + " so far)");
        }
    }

    @Test
    void aBurstLeavesADetailedLineAndATimedSummaryWithTheCountAndTheKindsWithoutAnotherRefusal() {
        for (int i = 0; i < 84_000; i++) {
            refuse(i % 4 == 0 ? "UNKNOWN_COMMAND" : "MALFORMED_REQUEST");
            clock.addAndGet(i % 1000 == 0 ? 1 : 0);   // the burst lasts well under 10 s
        }
        assertEquals(List.of("detail UNKNOWN_COMMAND (1 so far)"), lines);

        log.tick();
        assertEquals(1, lines.size(), "nothing more within the interval");
        clock.addAndGet(10_000);
        log.tick();
        assertEquals(2, lines.size(), "the interval passed: the held-back refusals are summarized without a new one");
        assertEquals("refused 83999 more (MALFORMED_REQUEST 63000, UNKNOWN_COMMAND 20999; 84000 so far)", lines.get(1));
        clock.addAndGet(60_000);
        log.tick();
        log.flush();
        assertEquals(2, lines.size(), "nothing held back: no empty summaries");
        assertEquals(84_000, log.total());
    }

    @Test
    void closeSummarizesWhatIsHeldBackAndTheNextRefusalAfterTheIntervalIsLoggedInDetailAgain() {
        refuse("WRONG_PRODUCER");
        refuse("WRONG_PRODUCER");
        refuse("NOT_AUTHORIZED");
        log.flush();
        assertEquals(List.of("detail WRONG_PRODUCER (1 so far)", "refused 2 more (NOT_AUTHORIZED 1, WRONG_PRODUCER 1; "
                + "3 so far)"), lines);

        clock.addAndGet(9_999);
        assertFalse(log.acquire("MALFORMED_REQUEST"), "the summary at close counts as a line: held back");
        clock.addAndGet(1);
        assertTrue(log.acquire("MALFORMED_REQUEST"), "the summary of the one held back comes first ...");
        assertEquals("refused 1 more (MALFORMED_REQUEST 1; 5 so far)", lines.get(2));
    }
}
