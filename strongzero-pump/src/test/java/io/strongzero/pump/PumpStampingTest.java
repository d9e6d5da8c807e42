package io.strongzero.pump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Stamping: committed journal rows get dense positions in Flake id order; rows that commit late get later
 * positions and are never skipped; uncommitted and rolled-back rows get none; several pumps share one sequence.
 * Most pumps here poll every 30 s, so only {@link StrongZeroPump#wakeUp()} makes them look: each pass is one
 * the test asked for.
 */
class PumpStampingTest extends JournalPerTest {

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
    }

    @Test
    void stampsCommittedRowsWithDensePositionsOneToNInFlakeIdOrder() throws Exception {
        List<FlakeId> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(journal.nextId());
        }
        List<FlakeId> insertOrder = new ArrayList<>(ids);
        Collections.reverse(insertOrder); // committed in the opposite of id order: positions follow the ids
        for (FlakeId id : insertOrder) {
            journal.insertCommitted(id);
        }
        HeadRecorder heads = new HeadRecorder();
        // no dialect set: the pump detects H2 from the data source
        try (StrongZeroPump pump = StrongZeroPump.builder().name("orders").dataSource(journal.dataSource())
                .pollInterval(Duration.ofMillis(20)).build()) {
            pump.addListener(heads);
            pump.start();
            assertEquals(Dialect.H2, pump.dialect());
            assertEquals(6, heads.awaitAtLeast(6));
            assertEquals(oneTo(6), journal.positionsOf(ids), "positions in Flake id order, from 1, without gaps");
            assertEquals(6, pump.head());
            assertEquals(6, pump.stampedCount());
            assertEquals(6, journal.sequencerHead(), "the sequencer row records the last position");
            JournalAdmin.Status status = new JournalAdmin(journal.dataSource(), "sz_", Clock.systemUTC()).status();
            assertEquals(6, status.head());
            assertEquals(0, status.unsequenced());
            assertEquals(6, status.rows());
        }
    }

    @Test
    void rowsCommittedAfterLaterNumberedRowsWereStampedGetTheNextPositionsAndAreNeverSkipped() throws Exception {
        HeadRecorder heads = new HeadRecorder();
        try (StrongZeroPump pump = journal.pump().pollInterval(NEVER).build().start();
             Connection late = journal.openTransaction()) {
            pump.addListener(heads);
            FlakeId early = journal.nextId();
            journal.insert(late, early); // the smallest id, still uncommitted
            List<FlakeId> committed = journal.insertCommitted(2);
            pump.wakeUp();
            assertEquals(2, heads.awaitAtLeast(2));
            assertEquals(List.of(1L, 2L), journal.positionsOf(committed));

            late.commit();
            pump.wakeUp();
            assertEquals(3, heads.awaitAtLeast(3));
            Map<FlakeId, Long> positions = journal.positions();
            assertEquals(3L, positions.get(early), "the row that committed late is stamped after the others");
            assertEquals(List.of(3L, 1L, 2L), new ArrayList<>(positions.values()),
                    "in Flake id order: the smallest id has the largest position, nothing skipped or given twice");
            assertEquals(3, journal.sequencerHead());
        }
    }

    @Test
    void anUncommittedRowGetsNoPositionWhileOpenAndARolledBackRowNeverLeavesAGap() throws Exception {
        HeadRecorder heads = new HeadRecorder();
        try (StrongZeroPump pump = journal.pump().pollInterval(NEVER).build().start();
             Connection open = journal.openTransaction()) {
            pump.addListener(heads);
            FlakeId uncommitted = journal.nextId();
            journal.insert(open, uncommitted);
            FlakeId a = journal.insertCommitted(1).get(0);
            pump.wakeUp();
            assertEquals(1, heads.awaitAtLeast(1));
            FlakeId b = journal.insertCommitted(1).get(0);
            pump.wakeUp();
            assertEquals(2, heads.awaitAtLeast(2), "a second pass while the transaction is still open");
            // the open transaction sees its own row: still without a position after two passes
            try (PreparedStatement ps = open.prepareStatement("SELECT pos FROM sz_journal WHERE id = ?")) {
                ps.setBytes(1, uncommitted.toBytes());
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    rs.getLong(1);
                    assertTrue(rs.wasNull(), "an uncommitted row has no position");
                }
            }
            open.rollback();
            FlakeId c = journal.insertCommitted(1).get(0);
            pump.wakeUp();
            assertEquals(3, heads.awaitAtLeast(3));
            assertEquals(List.of(1L, 2L, 3L), journal.positionsOf(List.of(a, b, c)),
                    "the rolled-back row took no position: the next committed row follows without a gap");
            assertFalse(journal.positions().containsKey(uncommitted));
            assertEquals(3, pump.stampedCount());
            assertEquals(List.of(1L, 2L, 3L), heads.heads());
        }
    }

    @Test
    void aPumpStartedOnAStampedJournalContinuesAfterTheHeadInTheSequencerRow() throws Exception {
        List<FlakeId> first = journal.insertCommitted(3);
        HeadRecorder firstHeads = new HeadRecorder();
        try (StrongZeroPump pump = journal.pump().pollInterval(NEVER).build().start()) {
            assertEquals(0, pump.head(), "a new journal's head is 0");
            pump.addListener(firstHeads);
            pump.wakeUp();
            firstHeads.awaitAtLeast(3);
        }
        List<FlakeId> second = journal.insertCommitted(2);
        HeadRecorder heads = new HeadRecorder();
        try (StrongZeroPump pump = journal.pump().pollInterval(NEVER).build().start()) {
            assertEquals(3, pump.head(), "start reads the head from the sequencer row");
            pump.addListener(heads);
            pump.wakeUp();
            assertEquals(5, heads.awaitAtLeast(5));
            assertEquals(2, pump.stampedCount());
        }
        assertEquals(List.of(1L, 2L, 3L), journal.positionsOf(first));
        assertEquals(List.of(4L, 5L), journal.positionsOf(second));
        assertEquals(5, journal.sequencerHead());
    }

    @Test
    void aSecondPumpContinuesTheSequenceTheFirstStampedAndReportsTheHeadItStamped() throws Exception {
        HeadRecorder headsA = new HeadRecorder();
        HeadRecorder headsB = new HeadRecorder();
        try (StrongZeroPump a = journal.pump().owner("instance-a").pollInterval(NEVER).build().start();
             StrongZeroPump b = journal.pump().owner("instance-b").pollInterval(NEVER).build().start()) {
            a.addListener(headsA);
            b.addListener(headsB);
            FlakeId first = journal.insertCommitted(1).get(0);
            a.wakeUp();
            assertEquals(1, headsA.awaitAtLeast(1));
            b.wakeUp();
            assertEquals(1, headsB.awaitAtLeast(1), "a pump that finds nothing to stamp learns the head another stamped");
            assertEquals(0, b.stampedCount());

            FlakeId second = journal.insertCommitted(1).get(0);
            b.wakeUp();
            assertEquals(2, headsB.awaitAtLeast(2));
            a.wakeUp();
            assertEquals(2, headsA.awaitAtLeast(2));

            assertEquals(List.of(1L, 2L), journal.positionsOf(List.of(first, second)));
            assertEquals(1, a.stampedCount());
            assertEquals(1, b.stampedCount());
            assertEquals("instance-b", new JournalAdmin(journal.dataSource(), "sz_", Clock.systemUTC()).status()
                    .sequencerOwner(), "the sequencer row names the instance that stamped last");
        }
    }

    @Test
    void twoPumpsStampingOneJournalConcurrentlyNeverGiveOnePositionTwiceAndLeaveNoGap() throws Exception {
        int writers = 4;
        int rowsPerWriter = 100;
        int total = writers * rowsPerWriter;
        HeadRecorder headsA = new HeadRecorder();
        HeadRecorder headsB = new HeadRecorder();
        Set<FlakeId> written = Collections.synchronizedSet(new HashSet<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (StrongZeroPump a = journal.pump().owner("instance-a").pollInterval(Duration.ofMillis(5)).build().start();
             StrongZeroPump b = journal.pump().owner("instance-b").pollInterval(Duration.ofMillis(5)).build().start()) {
            a.addListener(headsA);
            b.addListener(headsB);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                StrongZeroPump waker = w % 2 == 0 ? a : b;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < rowsPerWriter; i++) {
                        FlakeId id = journal.nextId();
                        journal.insertCommitted(id);
                        written.add(id);
                        waker.wakeUp();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertEquals(total, headsA.awaitAtLeast(total));
            assertEquals(total, headsB.awaitAtLeast(total));
            Map<FlakeId, Long> positions = journal.positions();
            assertEquals(written, positions.keySet());
            List<Long> sorted = new ArrayList<>(positions.values());
            assertFalse(sorted.contains(null), "every committed row has a position");
            Collections.sort(sorted);
            assertEquals(oneTo(total), sorted, "positions 1.." + total + ", each given once");
            assertEquals(total, a.stampedCount() + b.stampedCount(),
                    "each row stamped by exactly one pump: " + a.stampedCount() + " + " + b.stampedCount());
            assertEquals(total, journal.sequencerHead());
            assertNull(a.lastError());
            assertNull(b.lastError());
        } finally {
            pool.shutdownNow();
        }
    }
}
