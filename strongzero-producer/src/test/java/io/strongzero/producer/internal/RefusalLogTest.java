package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 12, item 11: a burst of refused requests is summarized on a timer, not only with a later refusal. */
class RefusalLogTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<String> lines = new ArrayList<>();
    private final RefusalLog log = new RefusalLog("users", 10_000, clock::get, lines::add);

    @Test
    void aBurstLeavesADetailedLineAndATimedSummaryWithTheCountAndTheKindsWithoutAnotherRefusal() {
        for (int i = 0; i < 84_000; i++) {
            log.refused(i % 4 == 0 ? ErrorCode.UNKNOWN_COMMAND : ErrorCode.MALFORMED_REQUEST, "tcp://10.0.0.9:5555",
                    "a request is [empty delimiter][header][body]");
            clock.addAndGet(i % 1000 == 0 ? 1 : 0);   // the burst lasts well under 10 s
        }
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("strongzero-producer[users]: refused a request from tcp://10.0.0.9:5555 "
                + "(1 refused so far"), lines.get(0));

        log.tick();
        assertEquals(1, lines.size(), "nothing more within the interval");
        clock.addAndGet(10_000);
        log.tick();
        assertEquals(2, lines.size(), "the interval passed: the held-back refusals are summarized without a new one");
        assertEquals("strongzero-producer[users]: refused 83999 more requests not logged one by one "
                + "(MALFORMED_REQUEST 63000, UNKNOWN_COMMAND 20999; 84000 refused so far)", lines.get(1));
        clock.addAndGet(60_000);
        log.tick();
        log.flush();
        assertEquals(2, lines.size(), "nothing held back: no empty summaries");
        assertEquals(84_000, log.total());
    }

    @Test
    void closeSummarizesWhatIsHeldBackAndTheNextRefusalAfterTheIntervalIsLoggedInDetailAgain() {
        log.refused(ErrorCode.WRONG_PRODUCER, "a peer", "this endpoint serves producer 'users', not 'orders'");
        log.refused(ErrorCode.WRONG_PRODUCER, "a peer", "again");
        log.refused(ErrorCode.NOT_AUTHORIZED, "a peer with key K", "may pull only as consumer members");
        log.flush();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("strongzero-producer[users]: refused 2 more requests not logged one by one "
                + "(WRONG_PRODUCER 1, NOT_AUTHORIZED 1; 3 refused so far)", lines.get(1));

        clock.addAndGet(10_000);
        log.refused(ErrorCode.MALFORMED_REQUEST, "a peer", "bad");
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).contains("refused a request from a peer (4 refused so far"), lines.get(2));
    }
}
