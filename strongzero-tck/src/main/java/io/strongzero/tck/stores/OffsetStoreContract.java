package io.strongzero.tck.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The offset store's statements on a real database: the row is created once at 0 whoever inserts it first, and
 * the offset moves only from the position the caller expects (compare-and-set).
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

    /** Every row as consumer|producer|pos|message_id|updated_at (the id in its text form), in key order. */
    private List<String> rows() throws SQLException {
        return db.rows("SELECT consumer_name, producer_name, pos, message_id, updated_at FROM sz_offset "
                + "ORDER BY consumer_name, producer_name");
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
        assertEquals(List.of("billing|orders|5|" + m(5) + "|2000"), rows());
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
        assertEquals(List.of("billing|orders|7|" + m(7) + "|1500"), rows());
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
        assertEquals(List.of("billing|orders|0|null|1000"), rows());
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
        assertEquals(List.of("billing|orders|4|" + m(4) + "|4000", "billing|users|0|null|1000"), rows(),
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
