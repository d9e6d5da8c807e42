package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.FailureRecord;
import io.strongzero.consumer.IdempotencyGuard;
import io.strongzero.consumer.PositionStore;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchApplierTest {

    private static final String C = "members";
    private static final String P = "users";
    private final JdbcDataSource db = new JdbcDataSource();
    private final PositionStore positions = PositionStore.jdbc(Dialect.H2, "sz_");
    private final DeadLetterStore letters = new DeadLetterStore("sz_");
    private final Map<String, HandlerInvoker.Registration<?>> handlers = new LinkedHashMap<>();
    private final AtomicInteger transactions = new AtomicInteger();
    /** The default JDBC transactions, counted. */
    private final ConsumerTransactions counted = new ConsumerTransactions() {
        @Override
        public <T> T inTransaction(javax.sql.DataSource ds, Work<T> work) throws Exception {
            transactions.incrementAndGet();
            return ConsumerTransactions.jdbc().inTransaction(ds, work);
        }
    };

    @BeforeEach
    void database() throws SQLException {
        db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Schema.create(db, Dialect.H2, Schema.Side.CONSUMER, "sz_");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE effects (text VARCHAR(100))");
            positions.loadOrCreate(c, C, P, 0);
        }
        HandlerInvoker.register(handlers, "insert", String.class, (m, ctx) -> {
            try (PreparedStatement ps = ctx.connection().prepareStatement("INSERT INTO effects VALUES (?)")) {
                ps.setString(1, m.payload());
                ps.executeUpdate();
            }
            if (m.payload().equals("fail")) {
                throw new IllegalStateException("handler failed after writing");
            }
        });
        HandlerInvoker.register(handlers, "manual", String.class, (m, ctx) -> {
            if (!m.payload().equals("forget")) {
                try (Connection own = db.getConnection()) {
                    Transactions.useTransaction(own, tx -> ctx.consumed(tx));
                }
            }
        });
    }

    private BatchApplier applier(TransactionMode mode, ConsumerTransactions tx) {
        ConsumerStores stores = new ConsumerStores(C, db, "sz_", tx, positions, letters, Clock.systemUTC());
        HandlerInvoker invoker = new HandlerInvoker(C, handlers, Map.of(PayloadCodec.JSON, PayloadCodec.json()),
                UnknownTypePolicy.SKIP, StrongZeroMetrics.NONE, Ticker.system());
        return new BatchApplier(stores, invoker, new IdempotencyGuard(db, C, "sz_", Clock.systemUTC()), mode,
                StrongZeroMetrics.NONE, Ticker.system());
    }

    private long effects() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM effects")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long position() throws SQLException {
        try (Connection c = db.getConnection()) {
            return positions.load(c, C, P);
        }
    }

    @Test
    void autoCommitsTheHandlersEffectsWithTheNewPositionInOneTransaction() throws SQLException {
        List<Envelope> chunk = Messages.range(1, 3, "insert");
        chunk = List.of(chunk.get(0), chunk.get(1), Messages.json(3, "unknown", "skipped"));
        BatchApplier.Committed c = assertInstanceOf(BatchApplier.Committed.class,
                applier(TransactionMode.AUTO, counted).apply(P, chunk, 1, Mark.single(0), BatchApplier.Progress.NONE));
        assertEquals(3, c.position());
        assertEquals(2, c.applied());
        assertEquals(1, c.skipped());
        assertEquals(Messages.PRODUCED_AT + 3, c.lastProducedAt());
        assertEquals(2, effects());
        assertEquals(3, position());
        assertEquals(1, transactions.get());
    }

    @Test
    void aFailingHandlerRollsBackTheWholeChunkAndNamesItsMessage() throws SQLException {
        List<Envelope> chunk = List.of(Messages.json(1, "insert", "a"), Messages.json(2, "insert", "fail"));
        BatchApplier.Failed f = assertInstanceOf(BatchApplier.Failed.class,
                applier(TransactionMode.AUTO, counted).apply(P, chunk, 1, Mark.single(0), BatchApplier.Progress.NONE));
        assertSame(chunk.get(1), f.message());
        assertTrue(!f.databaseUnavailable());
        assertEquals(0, effects());
        assertEquals(0, position());
    }

    @Test
    void aPositionMovedByAnotherInstanceIsAConflictAndNothingCommits() throws SQLException {
        BatchApplier.Conflict c = assertInstanceOf(BatchApplier.Conflict.class, applier(TransactionMode.AUTO, counted)
                .apply(P, Messages.range(6, 7, "insert"), 1, Mark.single(5), BatchApplier.Progress.NONE));
        assertTrue(c.message().contains("is no longer at 5"), c.message());
        assertEquals(0, effects());
    }

    @Test
    void aTransactionThatCannotBeginIsTheDatabasesFaultNotTheMessages() {
        ConsumerTransactions down = new ConsumerTransactions() {
            @Override
            public <T> T inTransaction(javax.sql.DataSource ds, Work<T> work) {
                throw new Unavailable("down", new SQLException("connection refused"));
            }
        };
        List<Envelope> chunk = Messages.range(1, 2, "insert");
        BatchApplier.Failed f = assertInstanceOf(BatchApplier.Failed.class,
                applier(TransactionMode.AUTO, down).apply(P, chunk, 1, Mark.single(0), BatchApplier.Progress.NONE));
        assertTrue(f.databaseUnavailable());
        assertSame(chunk.get(0), f.message());
        assertEquals("connection refused", f.cause().getMessage());
    }

    @Test
    void progressSeesTheTransactionsConnectionAndEachMessage() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger messages = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        BatchApplier.Progress progress = new BatchApplier.Progress() {
            @Override
            public void transactionStarted(Connection c) {
                started.incrementAndGet();
            }

            @Override
            public void messageStarted() {
                messages.incrementAndGet();
            }

            @Override
            public void transactionEnded() {
                ended.incrementAndGet();
            }
        };
        applier(TransactionMode.AUTO, counted).apply(P, Messages.range(1, 3, "insert"), 1, Mark.single(0), progress);
        assertEquals(List.of(1, 3, 1), List.of(started.get(), messages.get(), ended.get()));
    }

    @Test
    void manualHandlersRecordThePositionThemselvesAndMustDoSo() throws SQLException {
        BatchApplier manual = applier(TransactionMode.MANUAL, counted);
        BatchApplier.Committed c = assertInstanceOf(BatchApplier.Committed.class,
                manual.apply(P, List.of(Messages.json(1, "manual", "ok")), 1, Mark.single(0), BatchApplier.Progress.NONE));
        assertEquals(1, c.applied());
        assertEquals(1, position());
        assertEquals(0, transactions.get());
        BatchApplier.Failed f = assertInstanceOf(BatchApplier.Failed.class,
                manual.apply(P, List.of(Messages.json(2, "manual", "forget")), 1, Mark.single(1), BatchApplier.Progress.NONE));
        assertTrue(f.cause().getMessage().contains("without calling context.consumed(connection)"));
        assertInstanceOf(BatchApplier.Conflict.class,
                manual.apply(P, List.of(Messages.json(2, "manual", "ok")), 1, Mark.single(0), BatchApplier.Progress.NONE));
        assertInstanceOf(BatchApplier.Committed.class,
                manual.apply(P, List.of(Messages.json(2, "unknown", "skipped")), 1, Mark.single(1), BatchApplier.Progress.NONE));
        assertEquals(2, position());
    }

    @Test
    void aParkedDeadLetterMovesThePositionPastItAndABlockingOneDoesNot() throws SQLException {
        BatchApplier applier = applier(TransactionMode.AUTO, counted);
        List<FailureRecord> history = List.of(FailureRecord.of(1, Instant.EPOCH, new IllegalStateException("x")));
        Envelope blocking = Messages.json(1, "insert", "b");
        assertInstanceOf(BatchApplier.Recorded.class,
                applier.recordDeadLetter(P, blocking, DeadLetter.Status.BLOCKING, history, Mark.single(0)));
        assertEquals(0, position());
        // parked later, the same message keeps its earlier failures first
        BatchApplier.Recorded parked = assertInstanceOf(BatchApplier.Recorded.class,
                applier.recordDeadLetter(P, blocking, DeadLetter.Status.PARKED, history, Mark.single(0)));
        assertEquals(List.of(1, 2), parked.history().stream().map(FailureRecord::attempt).toList());
        assertEquals(1, position());
        assertInstanceOf(BatchApplier.Conflict.class, applier.recordDeadLetter(P, Messages.json(2, "insert", "c"),
                DeadLetter.Status.PARKED, history, Mark.single(0)));
    }

    @Test
    void aReplayAppliesTheDeadLetterAndRemovesItInOneTransaction() throws SQLException {
        BatchApplier applier = applier(TransactionMode.AUTO, counted);
        Envelope e = Messages.json(1, "insert", "replayed");
        List<FailureRecord> history = List.of(FailureRecord.of(1, Instant.EPOCH, new IllegalStateException("x")));
        applier.recordDeadLetter(P, e, DeadLetter.Status.BLOCKING, history, Mark.single(0));
        assertInstanceOf(BatchApplier.Committed.class, applier.replay(P, e, 2, DeadLetter.Status.BLOCKING, true));
        assertEquals(1, effects());
        assertEquals(1, position());
        try (Connection c = db.getConnection()) {
            assertNull(letters.get(c, C, P, e.id()));
        }
        Envelope failing = Messages.json(2, "insert", "fail");
        applier.recordDeadLetter(P, failing, DeadLetter.Status.PARKED, history, Mark.single(1));
        assertInstanceOf(BatchApplier.Failed.class, applier.replay(P, failing, 2, DeadLetter.Status.PARKED, false));
        assertEquals(1, effects());
    }
}
