package io.strongzero.tck.stores;

import static io.strongzero.tck.stores.StoreDatabase.id;
import static io.strongzero.tck.stores.StoreDatabase.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Headers;
import io.strongzero.core.Schema;
import io.strongzero.core.internal.JournalStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The statements of {@link JournalStore} on a real database with the shipped DDL: the sender's insert, the waiting
 * rows the sequencer stamps, the producer's read of an unbroken run, and the operator API's counts and deletes.
 *
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class JournalStoreContract extends StoreContract<JournalStore> {


    protected JournalStoreContract() {
        super(Schema.Side.PRODUCER, "journalstore", false, JournalStore::new);
    }


    private static List<String> ids(List<Envelope> rows) {
        return rows.stream().map(e -> e.id().toString()).toList();
    }

    private static List<Long> positions(List<Envelope> rows) {
        return rows.stream().map(Envelope::position).toList();
    }

    @Test
    void insertWritesAWaitingRowWithTheGivenContentInTheCallersTransaction() throws SQLException {
        FlakeId id = id(1);
        byte[] bytes = payload("hello", 300);
        try (Connection c = db.transaction()) {
            store.insert(c, id, "user.created", "application/x-msgpack", bytes, 1234);
            c.rollback();
        }
        assertEquals(Map.of(), db.positions(), "rolled back with the caller's transaction");
        try (Connection c = db.transaction()) {
            store.insert(c, id, "user.created", "application/x-msgpack", bytes, 1234);
            c.commit();
        }
        assertEquals(Map.of(id.toString(), 0L), db.positions(), "committed, without a position");
        try (Connection c = db.connection()) {
            List<Envelope> rows = store.waitingRows(c, 10, Long.MAX_VALUE);
            assertEquals(1, rows.size());
            Envelope e = rows.get(0);
            assertEquals(id, e.id());
            assertEquals("user.created", e.type());
            assertEquals("application/x-msgpack", e.contentType());
            assertArrayEquals(bytes, e.payload());
            assertEquals(1234, e.producedAt());
            assertEquals(0, e.position(), "not stamped yet");
        }
    }

    @Test
    void keyAndHeadersAreStoredAndReadBackByWaitingRowsAndReadAndAbsentOnesAreNull() throws SQLException {
        Headers headers = Headers.of("trace-id", "t-1", "tenant", "acme \u00e9");
        try (Connection c = db.transaction()) {
            store.insert(c, id(1), "t", "json", payload("a", 10), 1, "order-\u00fc", headers);
            store.insert(c, id(2), "t", "json", payload("b", 10), 2);
            store.insert(c, id(3), "t", "json", payload("c", 10), 3, null, Headers.of("only", ""));
            c.commit();
        }
        try (Connection c = db.connection()) {
            List<Envelope> waiting = store.waitingRows(c, 10, Long.MAX_VALUE);
            assertEquals(List.of(id(1), id(2), id(3)), waiting.stream().map(Envelope::id).toList());
            assertEquals("order-\u00fc", waiting.get(0).key());
            assertEquals(headers, waiting.get(0).headers());
            assertNull(waiting.get(1).key());
            assertEquals(Headers.NONE, waiting.get(1).headers());
            assertNull(waiting.get(2).key());
            assertEquals(Headers.of("only", ""), waiting.get(2).headers());
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE " + store.table() + " SET pos = produced_at");
                c.commit();
                assertNullsWhereAbsent(c, store.table());
            }
            List<Envelope> run = store.read(c, 0, 10, 1 << 20);
            assertEquals(waiting.stream().map(e -> e.atPosition(e.producedAt())).toList(), run,
                    "read carries the key and headers as waitingRows does");
        }
    }

    /** Rows written without a key or headers have NULL in those columns (not an empty string or encoding). */
    private static void assertNullsWhereAbsent(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                "SELECT produced_at, msg_key, headers FROM " + table + " ORDER BY produced_at")) {
            List<String> seen = new java.util.ArrayList<>();
            while (rs.next()) {
                seen.add(rs.getLong(1) + ":" + (rs.getString(2) == null ? "NULL" : "key") + ":"
                        + (rs.getBytes(3) == null ? "NULL" : "headers"));
            }
            assertEquals(List.of("1:key:headers", "2:NULL:NULL", "3:NULL:headers"), seen);
        }
    }

    @Test
    void waitingIdsComeBackInFlakeIdOrderLimitedAndWithoutPositionedRows() throws SQLException {
        for (int n : new int[] {3, 1, 5, 2, 4, 6}) {   // committed out of id order
            db.waitingRow(id(n));
        }
        db.update("UPDATE sz_journal SET pos = 1 WHERE id = ?", id(2));
        try (Connection c = db.connection()) {
            assertEquals(List.of(id(1), id(3), id(4)), store.waitingIds(c, 3), "the oldest three waiting, in id order");
            assertEquals(List.of(id(1), id(3), id(4), id(5), id(6)), store.waitingIds(c, 100));
        }
    }

    @Test
    void theDatabaseOrdersTheIdColumnInFlakeIdOrderEvenWhereBytesHaveTheHighBitSet() throws SQLException {
        List<FlakeId> ids = StoreDatabase.highBitIds();   // committed in a shuffled order
        for (FlakeId id : ids) {
            db.waitingRow(id);
        }
        List<FlakeId> sorted = ids.stream().sorted().toList();
        assertEquals(sorted, db.ids("SELECT id FROM sz_journal ORDER BY id"),
                "ORDER BY id is unsigned byte order, which is FlakeId order");
        for (FlakeId pivot : List.of(sorted.get(sorted.size() / 3), sorted.get(sorted.size() / 2))) {
            assertEquals(sorted.subList(sorted.indexOf(pivot) + 1, sorted.size()),
                    db.ids("SELECT id FROM sz_journal WHERE id > ? ORDER BY id", pivot), "id > " + pivot);
        }
    }

    @Test
    void waitingIdsAndWaitingRowsComeBackInFlakeIdOrderEvenWhereBytesHaveTheHighBitSet() throws SQLException {
        List<FlakeId> ids = StoreDatabase.highBitIds();   // committed in a shuffled order
        for (FlakeId id : ids) {
            db.waitingRow(id);
        }
        List<FlakeId> sorted = ids.stream().sorted().toList();
        try (Connection c = db.connection()) {
            assertEquals(sorted, store.waitingIds(c, 1000), "every waiting id, in FlakeId order");
            assertEquals(sorted.subList(0, 10), store.waitingIds(c, 10), "the first ten in FlakeId order, not any ten");
            assertEquals(sorted.stream().map(FlakeId::toString).toList(), ids(store.waitingRows(c, 1000, Long.MAX_VALUE)));
            assertEquals(sorted.subList(0, 10).stream().map(FlakeId::toString).toList(),
                    ids(store.waitingRows(c, 10, Long.MAX_VALUE)));
        }
    }

    @Test
    void waitingRowsComeBackInFlakeIdOrderAndStopAfterTheByteBoundButNeverBeforeTheFirstRow() throws SQLException {
        for (int n : new int[] {4, 2, 3, 1}) {
            db.journalRow(id(n), 0, n, payload("row" + n, 1000));
        }
        try (Connection c = db.connection()) {
            List<Envelope> all = store.waitingRows(c, 100, Long.MAX_VALUE);
            assertEquals(List.of(id(1).toString(), id(2).toString(), id(3).toString(), id(4).toString()), ids(all));
            assertArrayEquals(payload("row2", 1000), all.get(1).payload());
            assertEquals(2, all.get(1).producedAt());

            assertEquals(List.of(id(1).toString(), id(2).toString()), ids(store.waitingRows(c, 2, Long.MAX_VALUE)),
                    "limited by count");
            long two = all.get(0).wireSize() + all.get(1).wireSize();
            assertEquals(List.of(id(1).toString(), id(2).toString()), ids(store.waitingRows(c, 100, two)),
                    "two rows fit the byte bound exactly");
            assertEquals(List.of(id(1).toString()), ids(store.waitingRows(c, 100, two - 1)));
            assertEquals(List.of(id(1).toString()), ids(store.waitingRows(c, 100, 1)),
                    "a row larger than the bound still comes alone");
        }
    }

    @Test
    void anyWaitingAndCountWaitingSeeOnlyCommittedRowsWithoutAPosition() throws SQLException {
        try (Connection c = db.connection()) {
            assertFalse(store.anyWaiting(c));
            assertEquals(0, store.countWaiting(c));
        }
        try (Connection open = db.transaction()) {
            store.insert(open, id(9), "t", "application/octet-stream", payload("x", 4), 1);
            try (Connection c = db.connection()) {
                assertFalse(store.anyWaiting(c), "an uncommitted row does not count");
            }
            open.rollback();
        }
        db.waitingRow(id(1));
        db.waitingRow(id(2));
        db.journalRow(id(3), 1, 1, payload("p", 4));
        try (Connection c = db.connection()) {
            assertTrue(store.anyWaiting(c));
            assertEquals(2, store.countWaiting(c));
            assertEquals(3, store.countRows(c));
        }
        db.update("UPDATE sz_journal SET pos = 2 WHERE id = ?", id(1));
        db.update("UPDATE sz_journal SET pos = 3 WHERE id = ?", id(2));
        try (Connection c = db.connection()) {
            assertFalse(store.anyWaiting(c));
            assertEquals(0, store.countWaiting(c));
            assertEquals(3, store.countRows(c));
        }
    }

    @Test
    void readReturnsTheUnbrokenRunAfterAPositionAndStopsAtAGap() throws SQLException {
        long[] positions = {1, 2, 3, 5, 6};
        for (int i = 0; i < positions.length; i++) {
            db.journalRow(id(10 - i), positions[i], 100 + i, payload("m" + positions[i], 50));   // ids not in position order
        }
        db.waitingRow(id(50));
        try (Connection c = db.connection()) {
            List<Envelope> run = store.read(c, 0, 100, 1 << 20);
            assertEquals(List.of(1L, 2L, 3L), positions(run), "stops before the gap at 4");
            assertEquals(id(10), run.get(0).id());
            assertEquals("t.row", run.get(0).type());
            assertArrayEquals(payload("m2", 50), run.get(1).payload());
            assertEquals(101, run.get(1).producedAt());
            assertEquals(List.of(), store.read(c, 3, 100, 1 << 20), "position 4 is missing: nothing after 3");
            assertEquals(List.of(5L, 6L), positions(store.read(c, 4, 100, 1 << 20)));
            assertEquals(List.of(), store.read(c, 6, 100, 1 << 20), "the waiting row is never read");
        }
    }

    @Test
    void readRespectsTheMessageAndByteLimitsButAlwaysReturnsOneMessage() throws SQLException {
        for (int p = 1; p <= 5; p++) {
            db.journalRow(id(p), p, p, payload("m" + p, 1000));
        }
        try (Connection c = db.connection()) {
            assertEquals(List.of(1L, 2L), positions(store.read(c, 0, 2, 1 << 20)), "at most two messages");
            List<Envelope> all = store.read(c, 0, 100, 1 << 20);
            assertEquals(5, all.size());
            int two = all.get(1).wireSize() + all.get(2).wireSize();
            assertEquals(List.of(2L, 3L), positions(store.read(c, 1, 100, two)), "exactly two fit");
            assertEquals(List.of(2L), positions(store.read(c, 1, 100, two - 1)));
            assertEquals(List.of(2L), positions(store.read(c, 1, 100, 1)), "one message even if it is larger than the bound");
        }
    }

    @Test
    void minPositionIsTheOldestKeptPositionAndZeroWhenNoRowHasOne() throws SQLException {
        try (Connection c = db.connection()) {
            assertEquals(0, store.minPosition(c));
            db.waitingRow(id(1));
            assertEquals(0, store.minPosition(c), "a waiting row has no position");
            db.journalRow(id(2), 7, 1, payload("a", 4));
            db.journalRow(id(3), 8, 1, payload("b", 4));
            assertEquals(7, store.minPosition(c));
        }
    }

    @Test
    void deleteRangeDeletesOnlyTheRangeAndNeverAWaitingRow() throws SQLException {
        for (int p = 1; p <= 6; p++) {
            db.journalRow(id(p), p, p, payload("m", 4));
        }
        db.waitingRow(id(99));
        try (Connection c = db.connection()) {
            assertEquals(3, store.deleteRange(c, 2, 4));
            assertEquals(0, store.deleteRange(c, 2, 4), "already gone");
            assertEquals(4, store.countRows(c));
        }
        Map<String, Long> left = db.positions();
        assertEquals(Map.of(id(1).toString(), 1L, id(5).toString(), 5L, id(6).toString(), 6L, id(99).toString(), 0L), left);
    }

    @Test
    void producedAtAndFirstPositionProducedSinceReadTheSendersClock() throws SQLException {
        db.journalRow(id(1), 1, 100, payload("a", 4));
        db.journalRow(id(2), 2, 200, payload("b", 4));
        db.journalRow(id(3), 3, 300, payload("c", 4));
        db.journalRow(id(4), 0, 400, payload("d", 4));   // waiting: has no position to report
        try (Connection c = db.connection()) {
            assertEquals(OptionalLong.of(200), store.producedAt(c, 2));
            assertEquals(OptionalLong.empty(), store.producedAt(c, 4));
            assertEquals(OptionalLong.of(1), store.firstPositionProducedSince(c, 100));
            assertEquals(OptionalLong.of(2), store.firstPositionProducedSince(c, 101));
            assertEquals(OptionalLong.of(3), store.firstPositionProducedSince(c, 300));
            assertEquals(OptionalLong.empty(), store.firstPositionProducedSince(c, 301),
                    "every positioned row is older; the younger waiting row does not count");
        }
    }

    @Test
    void theShippedSchemaHasTheIndexTheWaitingRowStatementsName() throws SQLException {
        try (Connection c = db.connection()) {
            store.verifyIndexes(c);   // throws with the DDL to run when it is missing
        }
        assertEquals("sz_journal", store.table());
    }

    @Test
    void theWriterInsertsTheSameRowAsTheStore() throws SQLException {
        JournalStore.Writer writer = new JournalStore.Writer(PREFIX);
        assertEquals(store.table(), writer.table());
        try (Connection c = db.connection()) {
            writer.insert(c, id(1), "a.b", "text/plain", payload("w", 10), 5);
            List<Envelope> rows = store.waitingRows(c, 10, Long.MAX_VALUE);
            assertEquals(List.of(id(1).toString()), ids(rows));
            assertEquals("text/plain", rows.get(0).contentType());
        }
    }
}
