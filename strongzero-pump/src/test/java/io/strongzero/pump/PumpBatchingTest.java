package io.strongzero.pump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Batching: a backlog larger than the batch size is stamped in several transactions of at most the batch size,
 * in Flake id order, one after the other. Each stamping transaction is observed through the public listeners:
 * {@link StrongZeroMetrics#sequenced} (one call per transaction) and {@link TailListener} (one run per
 * transaction). The pumps poll every 30 s, so the backlog is stamped by the one pass a wake-up starts.
 */
class PumpBatchingTest extends JournalPerTest {

    /** The rows of each stamping transaction, as the pump reports them to its metrics. */
    private static final class BatchSizes implements StrongZeroMetrics {
        final List<Integer> rows = new CopyOnWriteArrayList<>();

        @Override
        public void sequenced(String producer, int n, long nanos) {
            rows.add(n);
        }
    }

    @Test
    void aBacklogLargerThanTheBatchSizeIsStampedInSeveralTransactionsOfAtMostTheBatchSizeInIdOrder() throws Exception {
        List<FlakeId> ids = journal.insertCommitted(35);
        BatchSizes batches = new BatchSizes();
        HeadRecorder heads = new HeadRecorder();
        try (StrongZeroPump pump = journal.pump().batchSize(10).pollInterval(NEVER).metrics(batches).build().start()) {
            pump.addListener(heads);
            pump.wakeUp();
            assertEquals(35, heads.awaitAtLeast(35));
            assertEquals(List.of(10, 10, 10, 5), batches.rows, "four transactions, none larger than the batch size");
            List<Long> expected = new ArrayList<>();
            for (long p = 1; p <= 35; p++) {
                expected.add(p);
            }
            assertEquals(expected, journal.positionsOf(ids), "dense positions in Flake id order across the batches");
            assertEquals(35, pump.stampedCount());
            assertEquals(35, journal.sequencerHead());
            List<Long> reported = heads.heads();
            for (int i = 1; i < reported.size(); i++) {
                assertTrue(reported.get(i) > reported.get(i - 1), "heads reported only as they advance: " + reported);
            }
        }
    }

    @Test
    void aBatchSizeOfOneStampsEachRowInItsOwnTransaction() throws Exception {
        List<FlakeId> ids = journal.insertCommitted(4);
        BatchSizes batches = new BatchSizes();
        HeadRecorder heads = new HeadRecorder();
        try (StrongZeroPump pump = journal.pump().batchSize(1).pollInterval(NEVER).metrics(batches).build().start()) {
            pump.addListener(heads);
            pump.wakeUp();
            assertEquals(4, heads.awaitAtLeast(4));
            assertEquals(List.of(1, 1, 1, 1), batches.rows);
            assertEquals(List.of(1L, 2L, 3L, 4L), journal.positionsOf(ids));
        }
    }

    @Test
    void tailListenersReceiveEachStampingTransactionAsAnAscendingRunOfPositionsWithTheRowsContent() throws Exception {
        List<FlakeId> ids = journal.insertCommitted(25);
        BlockingQueue<List<Envelope>> runs = new LinkedBlockingQueue<>();
        try (StrongZeroPump pump = journal.pump().batchSize(10).pollInterval(NEVER).build().start()) {
            pump.addTailListener(runs::add);
            pump.wakeUp();
            List<Envelope> all = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            while (all.size() < 25) {
                List<Envelope> run = runs.poll(10, TimeUnit.SECONDS);
                assertNotNull(run, "stamped runs so far: " + sizes);
                sizes.add(run.size());
                assertThrows(UnsupportedOperationException.class, () -> run.add(run.get(0)), "the run is read-only");
                all.addAll(run);
            }
            assertEquals(List.of(10, 10, 5), sizes, "one run per stamping transaction, each at most the batch size");
            for (int i = 0; i < 25; i++) {
                Envelope e = all.get(i);
                FlakeId id = ids.get(i);
                assertEquals(i + 1, e.position(), "positions ascend without a gap across the runs");
                assertEquals(id, e.id(), "in Flake id order");
                assertEquals(TestJournal.TYPE, e.type());
                assertEquals(TestJournal.CONTENT_TYPE, e.contentType());
                assertArrayEquals(TestJournal.payload(id), e.payload());
                assertEquals(TestJournal.producedAt(id), e.producedAt());
            }
            assertEquals(List.of(1L, 2L, 3L), journal.positionsOf(ids.subList(0, 3)));
            assertEquals(25, journal.sequencerHead());
        }
    }

    @Test
    void aRemovedTailListenerIsNoLongerCalled() throws Exception {
        BlockingQueue<List<Envelope>> removed = new LinkedBlockingQueue<>();
        BlockingQueue<List<Envelope>> kept = new LinkedBlockingQueue<>();
        TailListener toRemove = removed::add;
        try (StrongZeroPump pump = journal.pump().pollInterval(NEVER).build().start()) {
            pump.addTailListener(toRemove);
            pump.addTailListener(kept::add);
            journal.insertCommitted(1);
            pump.wakeUp();
            assertNotNull(kept.poll(10, TimeUnit.SECONDS));
            assertEquals(1, removed.size());

            pump.removeTailListener(toRemove);
            journal.insertCommitted(1);
            pump.wakeUp();
            List<Envelope> second = kept.poll(10, TimeUnit.SECONDS);
            assertNotNull(second);
            assertEquals(2, second.get(0).position());
        }
        // close() joined the sequencer thread: every call it was going to make has been made
        assertEquals(1, removed.size(), "the removed listener was not called for the second run");
    }
}
