package io.strongzero.tck.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.internal.LanePositions;
import io.strongzero.consumer.internal.OffsetStore;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The offset store's statements on a real database: the single row (lane 0 of 1) is created once at 0 whoever
 * inserts it first, and the offset moves only from the position the caller expects (compare-and-set); a pair's lanes
 * are read as one consistent generation, replaced only from the generation the caller expects, and each lane moves
 * only from its expected position under its lane count; the pair's position is its lowest lane's.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class OffsetStoreContract extends StoreContract<OffsetStore> {



    protected OffsetStoreContract() {
        super(Schema.Side.CONSUMER, "offset_store", false, OffsetStore::new);
    }

    /** The message id of position {@code n}: bytes of 0x80 and above in its node and sequence. */
    private static FlakeId m(int n) {
        return FlakeId.of(1_700_000_000_000L + n, 0xF0F0_8080_FFFFL, 0xFF00 | n);
    }

    /**
     * Every row as consumer|producer|lane|lanes|pos|message_id|updated_at (the id in its text form), in key order.
     */
    private List<String> rows() throws SQLException {
        return db.rows("SELECT consumer_name, producer_name, lane, lanes, pos, message_id, updated_at FROM sz_offset "
                + "ORDER BY consumer_name, producer_name, lane");
    }

    @Test
    void loadOrCreateCreatesTheRowAtZeroOnceAndThenReturnsTheCommittedPosition() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            assertNull(store.load(c, "billing", "orders"), "no row before the first loadOrCreate");
            assertEquals(0, store.loadOrCreate(c, "billing", "orders", 1_000));
            assertEquals(0, store.load(c, "billing", "orders"));
            assertTrue(store.advance(c, "billing", "orders", 0, 5, m(5), 2_000));
            assertEquals(5, store.loadOrCreate(c, "billing", "orders", 3_000), "an existing row is read, not reset");
            assertNull(store.load(c, "billing", "users"), "another producer has its own row");
            assertNull(store.load(c, "shipping", "orders"), "another consumer has its own row");
        }
        assertEquals(List.of("billing|orders|0|1|5|" + m(5) + "|2000"), rows());
    }

    @Test
    void loadOrCreateReadsTheRowAnotherInstanceInsertedBetweenItsReadAndItsInsert() throws SQLException {
        // Deterministic race: the other instance inserts (and moves) the row after our read found none and just
        // before our insert, which then fails on the duplicate key and reads the other's row.
        AtomicBoolean raced = new AtomicBoolean();
        try (Connection c = db.dataSource().getConnection()) {
            Connection racing = beforeInsert(c, () -> {
                try (Connection other = db.dataSource().getConnection()) {
                    assertEquals(0, store.loadOrCreate(other, "billing", "orders", 1_000));
                    assertTrue(store.advance(other, "billing", "orders", 0, 7, m(7), 1_500));
                }
                raced.set(true);
            });
            assertEquals(7, store.loadOrCreate(racing, "billing", "orders", 2_000));
        }
        assertTrue(raced.get(), "the other instance's insert ran between the read and the insert");
        assertEquals(List.of("billing|orders|0|1|7|" + m(7) + "|1500"), rows());
    }

    @Test
    void concurrentLoadOrCreateCallsAllSeeOneRowAtZero() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    try (Connection c = db.dataSource().getConnection()) {
                        assertTrue(start.await(10, TimeUnit.SECONDS));
                        return store.loadOrCreate(c, "billing", "orders", 1_000);
                    }
                }));
            }
            start.countDown();
            for (Future<Long> r : results) {
                assertEquals(0L, r.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("billing|orders|0|1|0|null|1000"), rows());
    }

    @Test
    void loadOrCreatePassesOnAFailureThatIsNotADuplicateKey() throws SQLException {
        String tooLong = "c".repeat(129);   // consumer_name is VARCHAR(128): a data error, not a duplicate key
        try (Connection c = db.dataSource().getConnection()) {
            SQLException e = assertThrows(SQLException.class, () -> store.loadOrCreate(c, tooLong, "orders", 1_000));
            assertFalse(e.getSQLState() != null && e.getSQLState().startsWith("23"), "not an integrity violation: " + e);
        }
        assertEquals(List.of(), rows());
    }

    @Test
    void advanceMovesTheOffsetOnlyFromTheExpectedPosition() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            store.loadOrCreate(c, "billing", "orders", 1_000);
            store.loadOrCreate(c, "billing", "users", 1_000);
            assertTrue(store.advance(c, "billing", "orders", 0, 3, m(3), 2_000));
            assertFalse(store.advance(c, "billing", "orders", 0, 9, m(9), 3_000), "refused: the row is at 3, not 0");
            assertFalse(store.advance(c, "billing", "orders", 4, 9, m(9), 3_000), "refused: the row is at 3, not 4");
            assertEquals(3, store.load(c, "billing", "orders"));
            assertTrue(store.advance(c, "billing", "orders", 3, 4, m(4), 4_000));
            assertFalse(store.advance(c, "nobody", "orders", 0, 1, m(1), 5_000), "no row, nothing to move");
        }
        assertEquals(List.of("billing|orders|0|1|4|" + m(4) + "|4000", "billing|users|0|1|0|null|1000"), rows(),
                "only the expected row moved, with its message id and time");
    }

    @Test
    void anAdvanceRolledBackLeavesTheOffsetWhereItWas() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            store.loadOrCreate(c, "billing", "orders", 1_000);
            c.setAutoCommit(false);
            try {
                assertTrue(store.advance(c, "billing", "orders", 0, 2, m(2), 2_000));
                c.rollback();
            } finally {
                c.setAutoCommit(true);
            }
            assertEquals(0, store.load(c, "billing", "orders"));
            assertTrue(store.advance(c, "billing", "orders", 0, 1, m(1), 3_000), "the expected position is still 0");
        }
    }

    // ---------------------------------------------------------------- lanes

    @Test
    void loadLanesIsNullWithoutRowsAndReadsTheSingleRowAndEveryLane() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            assertNull(store.loadLanes(c, "billing", "orders"));
            store.loadOrCreate(c, "billing", "orders", 1_000);
            assertTrue(store.advance(c, "billing", "orders", 0, 4, m(4), 2_000));
            assertEquals(new LanePositions(1, new long[] {4}), store.loadLanes(c, "billing", "orders"));
        }
        inTransaction(tx -> store.resetLanes(tx, "billing", "orders", new LanePositions(1, new long[] {4}), 3, 4, 3_000));
        try (Connection c = db.dataSource().getConnection()) {
            assertTrue(store.advanceLane(c, "billing", "orders", 3, 1, 4, 9, m(9), 4_000));
            assertTrue(store.advanceLane(c, "billing", "orders", 3, 2, 4, 6, m(6), 4_000));
            assertEquals(new LanePositions(3, new long[] {4, 9, 6}), store.loadLanes(c, "billing", "orders"));
            assertNull(store.loadLanes(c, "billing", "users"), "another producer has its own rows");
            assertNull(store.loadLanes(c, "shipping", "orders"), "another consumer has its own rows");
        }
    }

    @Test
    void resetLanesFromNoRowsCreatesEveryLaneAtThePositionOnlyIfThereAreStillNone() throws SQLException {
        assertTrue(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", null, 4, 12, 1_000)));
        assertEquals(List.of("billing|orders|0|4|12|null|1000", "billing|orders|1|4|12|null|1000",
                "billing|orders|2|4|12|null|1000", "billing|orders|3|4|12|null|1000"), rows());
        assertFalse(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", null, 2, 0, 2_000)),
                "refused: the pair has rows now");
        assertEquals(4, rows().size(), "unchanged");
    }

    @Test
    void resetLanesFromOneLaneToEightThenToThreeReplacesTheGenerationOnlyFromTheExpectedPositions()
            throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            store.loadOrCreate(c, "billing", "orders", 1_000);
            assertTrue(store.advance(c, "billing", "orders", 0, 5, m(5), 2_000));
        }
        assertFalse(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", new LanePositions(1, new long[] {4}),
                8, 5, 3_000)), "refused: the single lane is at 5, not 4");
        assertFalse(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", null, 8, 5, 3_000)),
                "refused: there are rows");
        assertEquals(List.of("billing|orders|0|1|5|" + m(5) + "|2000"), rows(), "unchanged");

        assertTrue(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", new LanePositions(1, new long[] {5}),
                8, 5, 3_000)));
        List<String> eight = new ArrayList<>();
        for (int lane = 0; lane < 8; lane++) {
            eight.add("billing|orders|" + lane + "|8|5|null|3000");
        }
        assertEquals(eight, rows());

        try (Connection c = db.dataSource().getConnection()) {
            assertTrue(store.advanceLane(c, "billing", "orders", 8, 3, 5, 9, m(9), 4_000));
        }
        assertFalse(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", LanePositions.uniform(8, 5), 3, 5,
                5_000)), "refused: lane 3 moved to 9");
        eight.set(3, "billing|orders|3|8|9|" + m(9) + "|4000");
        assertEquals(eight, rows(), "unchanged");

        LanePositions moved = new LanePositions(8, new long[] {5, 5, 5, 9, 5, 5, 5, 5});
        assertTrue(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", moved, 3, 5, 6_000)));
        assertEquals(List.of("billing|orders|0|3|5|null|6000", "billing|orders|1|3|5|null|6000",
                "billing|orders|2|3|5|null|6000"), rows());
    }

    @Test
    void resetLanesFromNoRowsReturnsFalseWhenAnotherInstanceInsertsTheRowsFirst() throws SQLException {
        // Deterministic race: the other instance creates its generation after our locking read found no rows and
        // just before our insert, which then meets the other's keys.
        AtomicBoolean raced = new AtomicBoolean();
        try (Connection c = db.transaction()) {
            Connection racing = beforeInsert(c, () -> {
                assertTrue(inTransaction(other -> store.resetLanes(other, "billing", "orders", null, 2, 7, 1_000)));
                raced.set(true);
            });
            try {
                assertFalse(store.resetLanes(racing, "billing", "orders", null, 4, 0, 2_000));
            } finally {
                c.rollback();
            }
        }
        assertTrue(raced.get(), "the other instance's insert ran between the read and the insert");
        assertEquals(List.of("billing|orders|0|2|7|null|1000", "billing|orders|1|2|7|null|1000"), rows(),
                "the other instance's generation");
    }

    @Test
    void advanceLaneMovesOneLaneOnlyUnderItsLaneCountFromItsExpectedPosition() throws SQLException {
        assertTrue(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", null, 4, 10, 1_000)));
        try (Connection c = db.dataSource().getConnection()) {
            assertTrue(store.advanceLane(c, "billing", "orders", 4, 2, 10, 15, m(15), 2_000));
            assertFalse(store.advanceLane(c, "billing", "orders", 8, 1, 10, 16, m(16), 3_000),
                    "refused: the pair is recorded under 4 lanes, not 8");
            assertFalse(store.advanceLane(c, "billing", "orders", 4, 2, 10, 16, m(16), 3_000),
                    "refused: lane 2 is at 15, not 10");
            assertFalse(store.advanceLane(c, "billing", "orders", 4, 4, 10, 16, m(16), 3_000), "no lane 4 of 4");
            assertFalse(store.advanceLane(c, "billing", "users", 4, 0, 10, 16, m(16), 3_000), "no rows, nothing to move");
            assertTrue(store.advanceLane(c, "billing", "orders", 4, 0, 10, 17, null, 4_000),
                    "a lane that passed only other lanes' messages moves without a message id");
        }
        assertEquals(List.of("billing|orders|0|4|17|null|4000", "billing|orders|1|4|10|null|1000",
                "billing|orders|2|4|15|" + m(15) + "|2000", "billing|orders|3|4|10|null|1000"), rows());
    }

    @Test
    void anAdvanceLaneRolledBackLeavesTheLaneWhereItWas() throws SQLException {
        assertTrue(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", null, 2, 3, 1_000)));
        assertFalse(inTransaction(tx -> {
            assertTrue(store.advanceLane(tx, "billing", "orders", 2, 1, 3, 8, m(8), 2_000));
            return false;
        }));
        assertEquals(LanePositions.uniform(2, 3), loadLanes("billing", "orders"));
    }

    @Test
    void loadIsTheLowestLanePositionAndLoadOrCreateAddsNoRowBesideTheLanes() throws SQLException {
        assertTrue(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", null, 3, 20, 1_000)));
        try (Connection c = db.dataSource().getConnection()) {
            assertTrue(store.advanceLane(c, "billing", "orders", 3, 0, 20, 31, m(31), 2_000));
            assertTrue(store.advanceLane(c, "billing", "orders", 3, 2, 20, 25, m(25), 2_000));
            assertEquals(20, store.load(c, "billing", "orders"), "lane 1 is the lowest");
            assertTrue(store.advanceLane(c, "billing", "orders", 3, 1, 20, 28, null, 3_000));
            assertEquals(25, store.load(c, "billing", "orders"), "now lane 2 is");
            assertEquals(25, store.loadOrCreate(c, "billing", "orders", 4_000));
        }
        assertEquals(3, rows().size(), "no single-lane row added");
    }

    @Test
    void advanceRefusesWhileThePairIsRecordedUnderEightLanes() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            store.loadOrCreate(c, "billing", "orders", 1_000);
        }
        assertTrue(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", LanePositions.uniform(1, 0), 8, 0,
                2_000)));
        try (Connection c = db.dataSource().getConnection()) {
            assertFalse(store.advance(c, "billing", "orders", 0, 1, m(1), 3_000),
                    "refused: lane 0 is lane 0 of 8, not the single lane");
        }
        assertEquals(LanePositions.uniform(8, 0), loadLanes("billing", "orders"), "unchanged");
        assertTrue(inTransaction(tx -> store.resetLanes(tx, "billing", "orders", LanePositions.uniform(8, 0), 1, 0,
                4_000)));
        try (Connection c = db.dataSource().getConnection()) {
            assertTrue(store.advance(c, "billing", "orders", 0, 1, m(1), 5_000), "back to one lane: advance works again");
        }
    }

    @Test
    void loadLanesAndResetLanesRefuseInconsistentRowsNamingThePairAndTheRows() throws SQLException {
        String insert = "INSERT INTO sz_offset (consumer_name, producer_name, lane, lanes, pos, message_id, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, NULL, 1)";
        db.update(insert, "billing", "mixed", 0, 2, 5);      // two lane counts
        db.update(insert, "billing", "mixed", 1, 3, 6);
        db.update(insert, "billing", "gap", 0, 2, 5);        // lane 1 of 2 missing, lane 2 of 2 there
        db.update(insert, "billing", "gap", 2, 2, 6);
        db.update(insert, "billing", "short", 0, 3, 5);      // lanes 0 and 1 of 3 only
        db.update(insert, "billing", "short", 1, 3, 5);
        db.update(insert, "billing", "zero", 0, 0, 5);       // a lane count of 0
        List<String> before = rows();
        for (String[] pair : new String[][] {{"mixed", "lane 0 of 2 at 5, lane 1 of 3 at 6"},
            {"gap", "lane 0 of 2 at 5, lane 2 of 2 at 6"}, {"short", "lane 0 of 3 at 5, lane 1 of 3 at 5"},
            {"zero", "lane 0 of 0 at 5"}}) {
            try (Connection c = db.dataSource().getConnection()) {
                SQLException e = assertThrows(SQLException.class, () -> store.loadLanes(c, "billing", pair[0]));
                assertTrue(e.getMessage().contains("consumer billing and producer " + pair[0]), e.getMessage());
                assertTrue(e.getMessage().contains("found " + pair[1]), e.getMessage());
            }
            assertThrows(SQLException.class, () -> inTransaction(tx -> store.resetLanes(tx, "billing", pair[0],
                    LanePositions.uniform(2, 5), 2, 5, 2_000)));
        }
        assertEquals(before, rows(), "nothing changed");
    }

    @Test
    void lanePositionsValidatesCopiesAndComparesByValue() {
        long[] p = {4, 9, 6};
        LanePositions lanes = new LanePositions(3, p);
        p[0] = 100;
        assertEquals(4, lanes.position(0), "copied in");
        lanes.positions()[1] = 100;
        assertEquals(9, lanes.position(1), "copied out");
        assertEquals(4, lanes.lowest());
        assertEquals(9, lanes.highest());
        assertFalse(lanes.uniform());
        assertTrue(LanePositions.uniform(5, 7).uniform());
        assertEquals(new LanePositions(3, new long[] {4, 9, 6}), lanes);
        assertEquals(new LanePositions(3, new long[] {4, 9, 6}).hashCode(), lanes.hashCode());
        assertNotEquals(new LanePositions(3, new long[] {4, 6, 9}), lanes);
        assertEquals("LanePositions[lanes=3, positions=[4, 9, 6]]", lanes.toString());
        assertThrows(IllegalArgumentException.class, () -> new LanePositions(0, new long[0]));
        assertThrows(IllegalArgumentException.class, () -> new LanePositions(2, new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new LanePositions(1, null));
    }

    /** Work in a transaction: true to commit, false to roll back. */
    private interface Transaction {
        boolean run(Connection tx) throws SQLException;
    }

    /** Runs {@code work} in a READ COMMITTED transaction, commits if it returns true, else rolls back; its result. */
    private boolean inTransaction(Transaction work) throws SQLException {
        try (Connection tx = db.transaction()) {
            boolean commit = false;
            try {
                commit = work.run(tx);
            } finally {
                if (commit) {
                    tx.commit();
                } else {
                    tx.rollback();
                }
            }
            return commit;
        }
    }

    private LanePositions loadLanes(String consumer, String producer) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return store.loadLanes(c, consumer, producer);
        }
    }

    @Test
    void theTableNameFollowsThePrefix() {
        assertEquals("sz_offset", store.table());
        assertEquals("app_offset", OffsetStore.tableName("app_"));
    }

    /** Work that may fail, run by {@link #beforeInsert}. */
    private interface Hook {
        void run() throws SQLException;
    }

    /** {@code c}, running {@code hook} once just before the first INSERT statement is prepared on it. */
    private static Connection beforeInsert(Connection c, Hook hook) {
        AtomicBoolean done = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(OffsetStoreContract.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql
                            && sql.startsWith("INSERT") && done.compareAndSet(false, true)) {
                        hook.run();
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
