package io.strongzero.tck.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strongzero.consumer.IdempotencyGuard;
import io.strongzero.consumer.internal.ProcessedKeyStore;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The processed-key store's statements on a real database: a claim is taken once (a second claim, even a
 * concurrent one, is detected as a duplicate key and reads the status), marked DONE, released, and cleaned up by
 * age for one consumer.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ProcessedKeyStoreContract extends StoreContract<ProcessedKeyStore> {

    // M1 sorts before M2, in FlakeId order and in the column's unsigned byte order (a signed order would swap them)
    private static final FlakeId M1 = FlakeId.parse("0000018f2a3b4c5d7f00000000070001");
    private static final FlakeId M2 = FlakeId.parse("0000018f2a3b4c5d8000000000070001");


    protected ProcessedKeyStoreContract() {
        super(Schema.Side.CONSUMER, "processed_store", true, ProcessedKeyStore::new);
    }

    /** Every row as consumer|effect|message|status|claimed_at, in key order. */
    private List<String> rows() throws SQLException {
        return db.rows("SELECT consumer_name, effect_name, message_id, status, claimed_at FROM sz_processed "
                + "ORDER BY consumer_name, effect_name, message_id");
    }

    @Test
    void theFirstClaimWinsAndASecondOneReadsTheClaimsStatus() throws SQLException {
        assertNull(store.claim(c, "billing", "email", M1, 1_000), "claimed now");
        assertEquals("CLAIMED", store.claim(c, "billing", "email", M1, 2_000), "a duplicate key: in doubt");
        store.markDone(c, "billing", "email", M1);
        assertEquals("DONE", store.claim(c, "billing", "email", M1, 3_000));
        assertEquals(List.of("billing|email|" + M1 + "|DONE|1000"), rows(), "the later claims changed nothing");
    }

    @Test
    void aClaimIsPerConsumerEffectAndMessage() throws SQLException {
        assertNull(store.claim(c, "billing", "email", M1, 1_000));
        assertNull(store.claim(c, "billing", "email", M2, 1_000));
        assertNull(store.claim(c, "billing", "sms", M1, 1_000));
        assertNull(store.claim(c, "shipping", "email", M1, 1_000));
        store.markDone(c, "billing", "sms", M1);
        assertEquals(List.of("billing|email|" + M1 + "|CLAIMED|1000", "billing|email|" + M2 + "|CLAIMED|1000",
                "billing|sms|" + M1 + "|DONE|1000", "shipping|email|" + M1 + "|CLAIMED|1000"), rows());
    }

    @Test
    void aReleasedClaimCanBeTakenAgain() throws SQLException {
        assertNull(store.claim(c, "billing", "email", M1, 1_000));
        store.release(c, "billing", "email", M1);
        assertEquals(List.of(), rows());
        assertNull(store.claim(c, "billing", "email", M1, 2_000), "claimed again after the release");
        assertEquals(List.of("billing|email|" + M1 + "|CLAIMED|2000"), rows());
    }

    @Test
    void concurrentClaimsOfOneKeyHaveExactlyOneWinner() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    try (Connection own = db.dataSource().getConnection()) {
                        if (!start.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("no start");
                        }
                        outcomes.add(String.valueOf(store.claim(own, "billing", "email", M1, 1_000)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> sorted = new ArrayList<>(outcomes);
        Collections.sort(sorted);
        List<String> expected = new ArrayList<>(Collections.nCopies(threads - 1, "CLAIMED"));
        expected.add("null");
        assertEquals(expected, sorted, "one claim (null) and " + (threads - 1) + " duplicates");
        assertEquals(1, rows().size());
    }

    @Test
    void aClaimPassesOnAFailureThatIsNotADuplicateKey() throws SQLException {
        String tooLong = "e".repeat(129);   // effect_name is VARCHAR(128): a data error, not a duplicate key
        SQLException e = assertThrows(SQLException.class, () -> store.claim(c, "billing", tooLong, M1, 1_000));
        assertFalse(e.getSQLState() != null && e.getSQLState().startsWith("23"), "not an integrity violation: " + e);
        assertEquals(List.of(), rows());
    }

    @Test
    void cleanupDeletesOnlyThisConsumersClaimsMadeBeforeTheCutoff() throws SQLException {
        store.claim(c, "billing", "email", M1, 1_000);
        store.claim(c, "billing", "email", M2, 2_000);
        store.markDone(c, "billing", "email", M1);
        store.claim(c, "shipping", "email", M1, 1_000);

        assertEquals(0, store.deleteClaimedBefore(c, "billing", 1_000), "the cutoff itself is kept");
        assertEquals(1, store.deleteClaimedBefore(c, "billing", 1_001), "DONE and CLAIMED alike");
        assertEquals(List.of("billing|email|" + M2 + "|CLAIMED|2000", "shipping|email|" + M1 + "|CLAIMED|1000"), rows());
        assertEquals(1, store.deleteClaimedBefore(c, "billing", 10_000));
        assertEquals(0, store.deleteClaimedBefore(c, "nobody", 10_000));
        assertEquals(List.of("shipping|email|" + M1 + "|CLAIMED|1000"), rows());
    }

    @Test
    void aGuardBuiltWithThePublicConstructorDetectsTheDialectAndRunsAnEffectOnce() throws Exception {
        IdempotencyGuard guard = new IdempotencyGuard(db.dataSource(), "billing", PREFIX, Clock.systemUTC());
        FlakeId id = M1;
        AtomicInteger runs = new AtomicInteger();
        assertEquals(IdempotencyGuard.Outcome.EXECUTED, guard.once(id, "email", runs::incrementAndGet));
        assertEquals(IdempotencyGuard.Outcome.ALREADY_DONE, guard.once(id, "email", runs::incrementAndGet),
                "the second claim hit the duplicate key and read DONE");
        assertNull(store.claim(c, "billing", "sms", M1, 1_000));   // claimed, then the process died before DONE
        assertEquals(IdempotencyGuard.Outcome.IN_DOUBT, guard.once(id, "sms", runs::incrementAndGet));
        assertEquals(1, runs.get());
    }

    @Test
    void theTableNameFollowsThePrefix() {
        assertEquals("sz_processed", store.table());
        assertEquals("app_processed", ProcessedKeyStore.tableName("app_"));
    }
}
