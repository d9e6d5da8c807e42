package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.FailureRecord;
import io.strongzero.consumer.IdempotencyGuard;
import io.strongzero.consumer.PositionStore;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Backoff;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class DeadLetterParkingTest {

    private final JdbcDataSource db = new JdbcDataSource();
    private final ConsumerConfig config = ConsumerConfig.builder().name("members")
            .producer("users", "tcp://127.0.0.1:7300").build();
    private final ConsumerCounters counters = new ConsumerCounters();
    private final List<DeadLetter> told = new ArrayList<>();
    private final List<Long> waits = new ArrayList<>();
    private final List<String> conflicts = new ArrayList<>();
    private final StreamState state = new StreamState("users", "tcp://127.0.0.1:7300");
    private final Envelope message = Messages.json(1, "t", "x");
    private final List<FailureRecord> history = List.of(FailureRecord.of(1, Instant.EPOCH, new IllegalStateException("a")),
            FailureRecord.of(2, Instant.EPOCH, new IllegalStateException("b")));
    /** Refuses this many transactions as unavailable, then runs them with JDBC. */
    private final AtomicInteger outages = new AtomicInteger();

    DeadLetterParkingTest() throws SQLException {
        db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Schema.create(db, Dialect.H2, Schema.Side.CONSUMER, "sz_");
        try (Connection c = db.getConnection()) {
            PositionStore.jdbc(Dialect.H2, "sz_").loadOrCreate(c, "members", "users", 0);
        }
        state.position = 0;
    }

    /** Parks as the stream does: with the mark of the stream's position. */
    private boolean parkAtStream(Envelope e, RetryExecutor.Exhausted exhausted) {
        return parking().park(e, exhausted, Mark.single(state.position()), conflicts::add);
    }

    /** The committed position in the offset table. */
    private long committed() throws SQLException {
        try (Connection c = db.getConnection()) {
            return PositionStore.jdbc(Dialect.H2, "sz_").load(c, "members", "users");
        }
    }

    private DeadLetterParking parking() {
        ConsumerTransactions flaky = new ConsumerTransactions() {
            @Override
            public <T> T inTransaction(DataSource ds, Work<T> work) throws Exception {
                if (outages.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new Unavailable("down", new SQLException("down"));
                }
                return ConsumerTransactions.jdbc().inTransaction(ds, work);
            }
        };
        ConsumerStores stores = new ConsumerStores("members", db, "sz_", flaky, PositionStore.jdbc(Dialect.H2, "sz_"),
                new DeadLetterStore("sz_"), Clock.systemUTC());
        HandlerInvoker invoker = new HandlerInvoker("members", Map.of(), Map.of(), UnknownTypePolicy.SKIP,
                StrongZeroMetrics.NONE, Ticker.system());
        BatchApplier applier = new BatchApplier(stores, invoker, new IdempotencyGuard(db, "members", "sz_", Clock.systemUTC()),
                TransactionMode.AUTO, StrongZeroMetrics.NONE, Ticker.system());
        StreamWorker.Shared shared = new StreamWorker.Shared(config, stores, applier, counters, Ticker.system(),
                () -> 0.5, StrongZeroMetrics.NONE, told::add, () -> true, (p, id) -> false);
        return new DeadLetterParking(shared, "users", state, waits::add,
                Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1)).attempts());
    }

    private static RetryExecutor.Exhausted exhausted(RetryPolicy.OnExhausted then, List<FailureRecord> history) {
        return new RetryExecutor.Exhausted(RetryPolicy.builder().onExhausted(then).build(), history, true);
    }

    @Test
    void aParkedMessageMovesThePositionPastItAndTellsTheListener() throws SQLException {
        assertTrue(parkAtStream(message, exhausted(RetryPolicy.OnExhausted.DEAD_LETTER, history)));
        assertEquals(1, committed());
        assertEquals(1, counters.parked());
        assertEquals(DeadLetter.Status.PARKED, told.get(0).status());
        assertEquals(2, told.get(0).attempts());
        assertFalse(state.blocked());
    }

    @Test
    void aBlockingMessageStopsTheStreamWhereItIs() throws SQLException {
        assertFalse(parkAtStream(message, exhausted(RetryPolicy.OnExhausted.BLOCK, history)));
        assertTrue(state.blocked());
        assertEquals(0, committed());
        assertEquals(DeadLetter.Status.BLOCKING, told.get(0).status());
    }

    @Test
    void aDatabaseFailureIsRetriedWithTheStreamsBackoff() throws SQLException {
        outages.set(2);
        assertTrue(parkAtStream(message, exhausted(RetryPolicy.OnExhausted.DEAD_LETTER, history)));
        assertEquals(List.of(10L, 20L), waits);
        assertEquals(2, counters.failures());
        assertEquals(1, committed());
    }

    @Test
    void aPositionThatMovedIsAConflict() {
        state.position = 5;
        assertFalse(parkAtStream(Messages.json(6, "t", "x"), exhausted(RetryPolicy.OnExhausted.DEAD_LETTER, history)));
        assertEquals(1, conflicts.size());
        assertTrue(conflicts.get(0).contains("is no longer at 5"), conflicts.get(0));
        assertTrue(told.isEmpty());
    }
}
