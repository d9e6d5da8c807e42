package io.strongzero.tck.stores;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.DeadLetter.Status;
import io.strongzero.consumer.FailureRecord;
import io.strongzero.consumer.internal.DeadLetterStore;
import io.strongzero.consumer.internal.OffsetStore;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Headers;
import io.strongzero.core.Schema;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dead-letter store's statements on a real database: insert and read back with the bounded error history,
 * list with its filters, order and row limit, the status transitions (each guarded by the expected status),
 * remove, the counts, and the names known from the offset and dead-letter tables.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class DeadLetterStoreContract extends StoreContract<DeadLetterStore> {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");


    protected DeadLetterStoreContract() {
        super(Schema.Side.CONSUMER, "dead_letter_store", true, (dialect, prefix) -> new DeadLetterStore(prefix));
    }


    @Test
    void anInsertedLetterReadsBackWithEveryField() throws SQLException {
        Envelope e = envelope(12, "user.created", "{\"name\":\"ada\"}");
        List<FailureRecord> errors = List.of(failure(1, 0, "first"), failure(2, 1_000, "second"));
        store.insert(c, "billing", "orders", e, Status.PARKED, errors);

        DeadLetter l = store.get(c, "billing", "orders", e.id());
        assertEquals("billing", l.consumer());
        assertEquals("orders", l.producer());
        assertEquals(e.id(), l.id());
        assertEquals(12, l.position());
        assertEquals("user.created", l.type());
        assertEquals("application/json", l.contentType());
        assertArrayEquals(e.payload(), l.payload());
        assertEquals(Instant.ofEpochMilli(e.producedAt()), l.producedAt());
        assertEquals(Status.PARKED, l.status());
        assertEquals(2, l.attempts(), "the attempt count is the last failure's attempt");
        assertEquals(T0, l.firstFailedAt());
        assertEquals(T0.plusMillis(1_000), l.lastFailedAt());
        assertEquals(errors, l.errors(), "the history survives the JSON column");
        assertNull(l.discardReason());
        assertNull(store.get(c, "billing", "users", e.id()), "another producer's letter is another row");
        assertNull(store.get(c, "shipping", "orders", e.id()), "another consumer's letter is another row");
    }

    @Test
    void aLetterKeepsItsKeyAndHeadersInOrderAndALetterWithoutThemReadsBackWithout() throws SQLException {
        Envelope plain = envelope(1, "user.created", "{}");
        Envelope e = envelope(2, "user.created", "{}");
        Headers headers = Headers.of("z-trace", "t-1", "a-tenant", "acme \u00e9").with("empty", "");
        Envelope keyed = new Envelope(e.position(), e.id(), e.type(), e.contentType(), e.payload(), e.producedAt(),
                "order-\u00fc-7", headers);
        store.insert(c, "billing", "orders", plain, Status.PARKED, List.of(failure(1, 0, "x")));
        store.insert(c, "billing", "orders", keyed, Status.BLOCKING, List.of(failure(1, 0, "y")));

        List<DeadLetter> letters = store.list(c, "billing", "orders", null, null, 10);
        assertEquals(2, letters.size());
        assertNull(letters.get(0).key());
        assertEquals(java.util.Map.of(), letters.get(0).headers());
        assertEquals("order-\u00fc-7", letters.get(1).key());
        assertEquals(headers.asMap(), letters.get(1).headers());
        assertEquals(List.of("z-trace", "a-tenant", "empty"), new ArrayList<>(letters.get(1).headers().keySet()),
                "in the sender's order");
    }

    @Test
    void aLongHistoryKeepsTheFirstFiveAndTheLastFifteenAttempts() throws SQLException {
        List<FailureRecord> errors = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            errors.add(failure(i, i * 10L, "attempt " + i));
        }
        Envelope e = envelope(1, "t", "x");
        store.insert(c, "billing", "orders", e, Status.PARKED, errors);
        DeadLetter l = store.get(c, "billing", "orders", e.id());
        List<Integer> kept = l.errors().stream().map(FailureRecord::attempt).toList();
        assertEquals(List.of(1, 2, 3, 4, 5, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30), kept);
        assertEquals(30, l.attempts());
    }

    @Test
    void listFiltersByProducerTypeAndStatusInProducerThenPositionOrder() throws SQLException {
        insert("billing", "users", 2, "a", Status.PARKED);
        insert("billing", "orders", 9, "b", Status.BLOCKING);
        insert("billing", "orders", 3, "a", Status.PARKED);
        insert("billing", "orders", 5, "b", Status.DISCARDED);
        insert("shipping", "orders", 1, "a", Status.PARKED);

        assertEquals(List.of("orders#3", "orders#5", "orders#9", "users#2"), keys(store.list(c, "billing", null, null, null, 100)));
        assertEquals(List.of("orders#3", "orders#5", "orders#9"), keys(store.list(c, "billing", "orders", null, null, 100)));
        assertEquals(List.of("orders#3", "users#2"), keys(store.list(c, "billing", null, "a", null, 100)));
        assertEquals(List.of("orders#3", "users#2"), keys(store.list(c, "billing", null, null, Status.PARKED, 100)));
        assertEquals(List.of("orders#5"), keys(store.list(c, "billing", "orders", "b", Status.DISCARDED, 100)));
        assertEquals(List.of(), keys(store.list(c, "billing", "users", "b", null, 100)));
        assertEquals(List.of("orders#1"), keys(store.list(c, "shipping", null, null, null, 100)));
        assertEquals(List.of(), keys(store.list(c, "nobody", null, null, null, 100)));
    }

    @Test
    void listReturnsAtMostTheLimitFromTheStartOfTheOrder() throws SQLException {
        for (int pos = 10; pos >= 1; pos--) {
            insert("billing", "orders", pos, "t", Status.PARKED);
        }
        assertEquals(List.of("orders#1", "orders#2", "orders#3"), keys(store.list(c, "billing", null, null, null, 3)));
        assertEquals(List.of("orders#1"), keys(store.list(c, "billing", "orders", "t", Status.PARKED, 1)));
        assertEquals(List.of(), keys(store.list(c, "billing", null, null, null, 0)), "a limit of 0 lists nothing");
        assertEquals(10, store.list(c, "billing", null, null, null, 10_000).size());
    }

    @Test
    void blockingFindsTheLetterThatStopsAProducersStream() throws SQLException {
        insert("billing", "orders", 3, "t", Status.PARKED);
        assertNull(store.blocking(c, "billing", "orders"));
        DeadLetter blocking = insert("billing", "orders", 4, "t", Status.BLOCKING);
        insert("billing", "users", 1, "t", Status.BLOCKING);
        assertEquals(blocking.id(), store.blocking(c, "billing", "orders").id());
        assertNull(store.blocking(c, "shipping", "orders"));
    }

    @Test
    void aReplayCanBeRequestedOnlyForAParkedOrBlockingLetter() throws SQLException {
        FlakeId parked = insert("billing", "orders", 1, "t", Status.PARKED).id();
        FlakeId blocking = insert("billing", "orders", 2, "t", Status.BLOCKING).id();
        FlakeId discarded = insert("billing", "orders", 3, "t", Status.DISCARDED).id();

        assertTrue(store.requestReplay(c, "billing", "orders", parked));
        assertTrue(store.requestReplay(c, "billing", "orders", blocking));
        assertFalse(store.requestReplay(c, "billing", "orders", parked), "already requested");
        assertFalse(store.requestReplay(c, "billing", "orders", discarded));
        assertFalse(store.requestReplay(c, "billing", "users", parked), "no such letter for that producer");
        assertEquals(List.of(Status.REPLAY_REQUESTED, Status.REPLAY_REQUESTED, Status.DISCARDED), statuses());
        store.setStatus(c, "billing", "orders", parked, Status.PARKED);
        assertEquals(List.of(Status.PARKED, Status.REPLAY_REQUESTED, Status.DISCARDED), statuses());
    }

    @Test
    void discardAndDeleteActOnlyOnALetterThatStillHasTheExpectedStatus() throws SQLException {
        FlakeId one = insert("billing", "orders", 1, "t", Status.BLOCKING).id();
        FlakeId two = insert("billing", "orders", 2, "t", Status.PARKED).id();

        assertFalse(store.discard(c, "billing", "orders", one, Status.PARKED, "wrong status"));
        assertTrue(store.discard(c, "billing", "orders", one, Status.BLOCKING, "superseded by a newer order"));
        DeadLetter discarded = store.get(c, "billing", "orders", one);
        assertEquals(Status.DISCARDED, discarded.status());
        assertEquals("superseded by a newer order", discarded.discardReason());
        assertFalse(store.discard(c, "billing", "orders", one, Status.BLOCKING, "again"), "replayed or discarded concurrently");

        assertFalse(store.delete(c, "billing", "orders", two, Status.BLOCKING));
        assertTrue(store.delete(c, "billing", "orders", two, Status.PARKED));
        assertNull(store.get(c, "billing", "orders", two));
        assertFalse(store.delete(c, "billing", "orders", two, Status.PARKED));
    }

    @Test
    void aFailedReplayAppendsItsFailureAndBumpsTheAttempts() throws SQLException {
        DeadLetter l = insert("billing", "orders", 1, "t", Status.PARKED);
        FailureRecord again = failure(3, 60_000, "still failing");
        store.recordFailure(c, l, again);
        DeadLetter after = store.get(c, "billing", "orders", l.id());
        assertEquals(3, after.attempts());
        assertEquals(again.at(), after.lastFailedAt());
        assertEquals(l.firstFailedAt(), after.firstFailedAt());
        assertEquals(List.of(1, 2, 3), after.errors().stream().map(FailureRecord::attempt).toList());
        assertEquals(Status.PARKED, after.status(), "the status is left as it was");
    }

    @Test
    void removeDeletesALetterWhateverItsStatusAndReturnsIt() throws SQLException {
        FlakeId id = insert("billing", "orders", 1, "t", Status.DISCARDED).id();
        DeadLetter removed = store.remove(c, "billing", "orders", id);
        assertEquals(Status.DISCARDED, removed.status());
        assertNull(store.get(c, "billing", "orders", id));
        assertNull(store.remove(c, "billing", "orders", id), "nothing left to remove");
    }

    @Test
    void countsAreByConsumerAndStatusAndOpenLeavesOutTheDiscarded() throws SQLException {
        insert("billing", "orders", 1, "t", Status.PARKED);
        insert("billing", "orders", 2, "t", Status.BLOCKING);
        insert("billing", "users", 1, "t", Status.REPLAY_REQUESTED);
        insert("billing", "users", 2, "t", Status.DISCARDED);
        insert("billing", "users", 3, "t", Status.PARKED);
        insert("shipping", "orders", 1, "t", Status.PARKED);

        assertEquals(5, store.count(c, "billing", null));
        assertEquals(2, store.count(c, "billing", Status.PARKED));
        assertEquals(1, store.count(c, "billing", Status.DISCARDED));
        assertEquals(4, store.countOpen(c, "billing"));
        assertEquals(1, store.countOpen(c, "shipping"));
        assertEquals(0, store.count(c, "nobody", null));
        assertEquals(0, store.countOpen(c, "nobody"));
    }

    @Test
    void knownNamesComeFromTheOffsetAndDeadLetterTablesEachOnceInNameOrder() throws SQLException {
        assertEquals(List.of(), store.knownConsumers(c));
        assertEquals(List.of(), store.knownProducers(c, "billing"));
        OffsetStore offsets = new OffsetStore(database().dialect(), PREFIX);
        offsets.loadOrCreate(c, "shipping", "orders", 1_000);
        offsets.loadOrCreate(c, "billing", "users", 1_000);
        insert("billing", "orders", 1, "t", Status.PARKED);
        insert("billing", "users", 1, "t", Status.PARKED);
        insert("audit", "payments", 1, "t", Status.DISCARDED);

        assertEquals(List.of("audit", "billing", "shipping"), store.knownConsumers(c));
        assertEquals(List.of("orders", "users"), store.knownProducers(c, "billing"));
        assertEquals(List.of("orders"), store.knownProducers(c, "shipping"));
        assertEquals(List.of("payments"), store.knownProducers(c, "audit"));
        assertEquals(List.of(), store.knownProducers(c, "nobody"));
    }

    @Test
    void theTableNameFollowsThePrefix() {
        assertEquals("sz_dead_letter", store.table());
        assertEquals("app_dead_letter", new DeadLetterStore("app_").table());
    }

    private DeadLetter insert(String consumer, String producer, long pos, String type, Status status) throws SQLException {
        Envelope e = envelope(pos, type, producer + pos);
        store.insert(c, consumer, producer, e, status, List.of(failure(1, 0, "boom"), failure(2, 500, "boom")));
        return store.get(c, consumer, producer, e.id());
    }

    private List<Status> statuses() throws SQLException {
        return store.list(c, "billing", null, null, null, 100).stream().map(DeadLetter::status).toList();
    }

    private static List<String> keys(List<DeadLetter> letters) {
        return letters.stream().map(l -> l.producer() + "#" + l.position()).toList();
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static Envelope envelope(long pos, String type, String payload) {
        FlakeId id = FlakeId.of(T0.toEpochMilli(), 7, SEQUENCE.incrementAndGet() & FlakeId.MAX_SEQUENCE);
        return new Envelope(pos, id, type, "application/json", payload.getBytes(StandardCharsets.UTF_8),
                T0.toEpochMilli() - 5_000);
    }

    private static FailureRecord failure(int attempt, long afterMillis, String message) {
        return new FailureRecord(attempt, T0.plusMillis(afterMillis), "java.lang.IllegalStateException", message,
                "java.lang.IllegalStateException: " + message + "\n\tat Handler.handle(Handler.java:1)");
    }
}
