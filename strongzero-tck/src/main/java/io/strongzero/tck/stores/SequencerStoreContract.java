package io.strongzero.tck.stores;

import static io.strongzero.tck.stores.StoreDatabase.id;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.SequencerStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The statements of {@link SequencerStore} on a real database with the shipped DDL: the sequencer row, its lock
 * that serializes stamping, and the stamping of journal rows with dense positions.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SequencerStoreContract extends StoreContract<SequencerStore> {

    private JournalStore journal;
    private ExecutorService executor;

    protected SequencerStoreContract() {
        super(Schema.Side.PRODUCER, "sequencerstore", false, SequencerStore::new);
    }

    @BeforeEach
    void createJournalStoreAndExecutor() {
        journal = new JournalStore(db.dialect(), PREFIX);
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "strongzero-test-second-pump"));
    }

    @AfterEach
    void stopExecutor() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private long sequencerRows() throws SQLException {
        return db.queryLong("SELECT COUNT(*) FROM sz_sequencer");
    }

    @Test
    void withoutTheRowHeadIsZeroOwnerIsEmptyAndLockFailsNamingTheRow() throws SQLException {
        try (Connection c = db.transaction()) {
            assertEquals(0, store.head(c));
            assertEquals(new SequencerStore.Owner(null, 0), store.owner(c));
            SQLException e = assertThrows(SQLException.class, () -> store.lock(c));
            assertTrue(e.getMessage().contains("the sequencer row 'journal' of sz_sequencer is missing"), e.getMessage());
            c.rollback();
        }
    }

    @Test
    void ensureRowCreatesTheRowAtPositionZeroOnceAndIsIdempotent() throws SQLException {
        try (Connection c = db.connection()) {
            store.ensureRow(c, 1000);
            store.ensureRow(c, 2000);
            assertEquals(1, sequencerRows());
            assertEquals(0, store.head(c));
            assertEquals(new SequencerStore.Owner(null, 1000), store.owner(c), "the first call created it");
        }
        assertEquals("sz_sequencer", store.table());
    }

    @Test
    void ensureRowToleratesTheRowAnotherPumpInsertedAfterItLooked() throws SQLException {
        try (Connection late = db.connection()) {
            late.setAutoCommit(false);
            late.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            assertEquals(0, sequencerRows(late), "the late pump's snapshot: no row");
            try (Connection first = db.connection()) {
                store.ensureRow(first, 1000);   // another pump, committed
            }
            assertEquals(0, sequencerRows(late), "still no row in the late pump's snapshot, so it will insert");
            store.ensureRow(late, 2000);   // its insert meets the duplicate key: fine
            late.rollback();
        }
        assertEquals(1, sequencerRows());
        try (Connection c = db.connection()) {
            assertEquals(new SequencerStore.Owner(null, 1000), store.owner(c), "the first pump's row stands");
        }
    }

    private static long sequencerRows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sz_sequencer")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Commits a waiting journal row for each of {@code ns} (in that order) and the sequencer row, created at 1. */
    private void waitingRowsAndTheSequencerRow(int... ns) throws SQLException {
        for (int n : ns) {
            db.waitingRow(id(n));
        }
        sequencerRow();
    }

    /** Commits waiting rows with ids whose bytes have the high bit set, in a shuffled order, and the sequencer row. */
    private List<FlakeId> highBitWaitingRowsAndTheSequencerRow() throws SQLException {
        List<FlakeId> ids = StoreDatabase.highBitIds();
        for (FlakeId id : ids) {
            db.waitingRow(id);
        }
        sequencerRow();
        return ids;
    }

    /** Creates the sequencer row at time 1. */
    private void sequencerRow() throws SQLException {
        try (Connection c = db.connection()) {
            store.ensureRow(c, 1);
        }
    }

    /** Locks, runs {@link SequencerStore#stampNext} with content and commits; returns the stamped rows. */
    private List<Envelope> stampNext(int batch, long maxBytes, String owner, long now) throws SQLException {
        List<Envelope> rows = new ArrayList<>();
        try (Connection c = db.transaction()) {
            long last = store.lock(c);
            assertEquals(store.stampNext(c, last, batch, maxBytes, owner, now, rows), rows.size(), "the count is the rows given");
            c.commit();
        }
        return rows;
    }

    @Test
    void stampNextGivesDensePositionsInIdOrderRecordsTheHeadAndReturnsTheRows() throws SQLException {
        db.journalRow(id(3), 0, 30, StoreDatabase.payload("three", 5));
        db.journalRow(id(1), 0, 10, StoreDatabase.payload("one", 7));
        db.journalRow(id(2), 0, 20, StoreDatabase.payload("two", 9));
        sequencerRow();
        List<Envelope> rows = stampNext(100, Long.MAX_VALUE, "pump-a", 1234);
        assertEquals(List.of(1L, 2L, 3L), rows.stream().map(Envelope::position).toList());
        assertEquals(List.of(id(1), id(2), id(3)), rows.stream().map(Envelope::id).toList());
        assertArrayEquals(StoreDatabase.payload("two", 9), rows.get(1).payload());
        assertEquals("t.row", rows.get(1).type());
        assertEquals(20, rows.get(1).producedAt());
        assertEquals(Map.of(id(1).toString(), 1L, id(2).toString(), 2L, id(3).toString(), 3L), db.positions());
        try (Connection c = db.connection()) {
            assertEquals(3, store.head(c));
            assertEquals(new SequencerStore.Owner("pump-a", 1234), store.owner(c));
        }
    }

    @Test
    void stampNextWithNothingWaitingStampsNothingAndLeavesTheSequencerRowAsItWas() throws SQLException {
        waitingRowsAndTheSequencerRow(1);
        assertEquals(1, stampNext(100, Long.MAX_VALUE, "pump-a", 1234).size());
        assertEquals(List.of(), stampNext(100, Long.MAX_VALUE, "pump-b", 5678));
        try (Connection c = db.connection()) {
            assertEquals(1, store.head(c));
            assertEquals(new SequencerStore.Owner("pump-a", 1234), store.owner(c), "not rewritten by an empty pass");
        }
    }

    @Test
    void stampNextTakesRowsWhileThePayloadsBeforeThemStayUnderTheBoundAndAlwaysTheFirst() throws SQLException {
        for (int n = 1; n <= 5; n++) {
            db.journalRow(id(n), 0, n, StoreDatabase.payload("p" + n, 100));
        }
        sequencerRow();
        assertEquals(List.of(id(1)), stampNext(100, 1, "pump", 1).stream().map(Envelope::id).toList(),
                "the first row even when it alone is over the bound");
        // each row is 168 bytes on the wire (Envelope.wireSize: 100 of payload, type, content type, fixed fields)
        List<Envelope> next = stampNext(100, 400, "pump", 2);
        assertEquals(List.of(id(2), id(3)), next.stream().map(Envelope::id).toList(), "336 bytes fit under 400, 504 do not");
        assertEquals(List.of(2L, 3L), next.stream().map(Envelope::position).toList());
        assertEquals(List.of(4L, 5L), stampNext(100, 400, "pump", 3).stream().map(Envelope::position).toList());
    }

    @Test
    void stampNextWithoutContentCountsTheRowsKeepsToTheBatchSizeAndFollowsFlakeIdOrder() throws SQLException {
        List<FlakeId> ids = highBitWaitingRowsAndTheSequencerRow();
        int batch = ids.size() - 1;
        try (Connection c = db.transaction()) {
            assertEquals(batch, store.stampNext(c, store.lock(c), batch, 0, "pump", 1, null));
            c.commit();
        }
        try (Connection c = db.transaction()) {
            assertEquals(1, store.stampNext(c, store.lock(c), batch, 0, "pump", 2, null));
            c.commit();
        }
        assertEquals(ids.stream().sorted().toList(), db.ids("SELECT id FROM sz_journal ORDER BY pos"),
                "positions follow FlakeId order, not a signed byte order");
        try (Connection c = db.connection()) {
            assertEquals(ids.size(), store.head(c));
        }
    }

    @Test
    void stampGivesDensePositionsInIdOrderAndRecordsTheLastOneTheOwnerAndTheTime() throws SQLException {
        waitingRowsAndTheSequencerRow(3, 1, 2);
        try (Connection c = db.transaction()) {
            long last = store.lock(c);
            assertEquals(0, last);
            store.stamp(c, journal.waitingIds(c, 100), last + 1, "pump-a", 1234);
            c.commit();
        }
        assertEquals(Map.of(id(1).toString(), 1L, id(2).toString(), 2L, id(3).toString(), 3L), db.positions());
        db.waitingRow(id(5));
        db.waitingRow(id(4));
        try (Connection c = db.transaction()) {
            long last = store.lock(c);
            assertEquals(3, last);
            store.stamp(c, journal.waitingIds(c, 100), last + 1, "pump-b", 5678);
            c.commit();
        }
        assertEquals(4L, db.positions().get(id(4).toString()));
        assertEquals(5L, db.positions().get(id(5).toString()));
        try (Connection c = db.connection()) {
            assertEquals(5, store.head(c));
            assertEquals(new SequencerStore.Owner("pump-b", 5678), store.owner(c));
        }
    }

    @Test
    void stampGivesPositionsInFlakeIdOrderToIdsWhoseBytesHaveTheHighBitSet() throws SQLException {
        List<FlakeId> ids = highBitWaitingRowsAndTheSequencerRow();
        try (Connection c = db.transaction()) {
            long last = store.lock(c);
            store.stamp(c, journal.waitingIds(c, 1000), last + 1, "pump-a", 1234);
            c.commit();
        }
        List<FlakeId> sorted = ids.stream().sorted().toList();
        assertEquals(sorted, db.ids("SELECT id FROM sz_journal ORDER BY pos"),
                "positions follow FlakeId order, not a signed byte order");
        assertEquals((long) ids.size(), db.queryLong("SELECT MAX(pos) FROM sz_journal"));
    }

    @Test
    void stampRefusesARowThatAlreadyHasAPositionAndTheRollbackLeavesEverythingAsItWas() throws SQLException {
        waitingRowsAndTheSequencerRow(1, 2);
        db.update("UPDATE sz_journal SET pos = 1 WHERE id = ?", id(1));   // another tool wrote pos
        try (Connection c = db.transaction()) {
            long last = store.lock(c);
            List<FlakeId> stale = List.of(id(1), id(2));
            StrongZeroException e = assertThrows(StrongZeroException.class, () -> store.stamp(c, stale, last + 1, "pump", 9));
            assertTrue(e.getMessage().contains("1 of 2 journal rows of sz_journal were stamped concurrently"), e.getMessage());
            c.rollback();
        }
        assertEquals(Map.of(id(1).toString(), 1L, id(2).toString(), 0L), db.positions());
        try (Connection c = db.connection()) {
            assertEquals(0, store.head(c));
            assertEquals(new SequencerStore.Owner(null, 1), store.owner(c));
        }
    }

    @Test
    void lockBlocksASecondLockerUntilTheFirstCommitsAndThenShowsItTheNewHead() throws Exception {
        waitingRowsAndTheSequencerRow(1, 2);
        try (Connection first = db.transaction(); Connection second = db.transaction()) {
            assertEquals(0, store.lock(first));
            Future<Long> secondLock = executor.submit(() -> store.lock(second));
            assertThrows(TimeoutException.class, () -> secondLock.get(500, TimeUnit.MILLISECONDS),
                    "the second locker waits while the first holds the row");
            store.stamp(first, journal.waitingIds(first, 100), 1, "pump-a", 2);
            first.commit();
            assertEquals(2, secondLock.get(20, TimeUnit.SECONDS), "after the commit it locks and sees the new head");
            assertFalse(journal.anyWaiting(second));
            second.commit();
        }
    }
}
