package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroSerializationException;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.producer.AfterCommitRegistry;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@link StrongZeroSender} guarantees about the caller's transaction, run once per database.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class SenderContract extends PipelineSuite {

    private static final Duration DELIVERY = Duration.ofSeconds(20);


    @BeforeEach
    void createBusinessTable() {
        Pipeline.exec(p.producerDb, "CREATE TABLE business (id INT NOT NULL, note VARCHAR(100) NOT NULL)");
    }

    /** Jackson calls the getter and it throws: the payload cannot be encoded. */
    public static final class Unserializable {
        public String getName() {
            throw new IllegalStateException("this getter always fails");
        }
    }

    private static void insertBusiness(Connection c, int id, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO business (id, note) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, note);
            ps.executeUpdate();
        }
    }

    /** A connection with an open transaction that inserted the business row 1 with {@code note}. */
    private Connection transactionWithBusinessRow(String note) throws SQLException {
        Connection c = p.producerDb.dataSource().getConnection();
        try {
            c.setAutoCommit(false);
            insertBusiness(c, 1, note);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private int businessRows() {
        return Pipeline.count(p.producerDb, "SELECT COUNT(*) FROM business");
    }

    private int journalRows() {
        return Pipeline.count(p.producerDb, "SELECT COUNT(*) FROM sz_journal");
    }

    private void awaitReceived(String consumer, int n) {
        Await.until(DELIVERY, n + " messages applied by " + consumer, () -> p.receivedCount(consumer) >= n,
                () -> p.receivedIds(consumer));
    }

    @Test
    void rolledBackSendLeavesNoJournalRowAndIsNeverDelivered() throws SQLException {
        p.startProducer();
        p.startConsumer("members");
        String rolledBack;
        try (Connection c = transactionWithBusinessRow("rolled back")) {
            rolledBack = p.sender.send(c, Pipeline.TYPE, new Pipeline.User("ghost", -1)).toString();
            c.rollback();
        }
        String committed = p.sendCommitted("alive", 1);

        awaitReceived("members", 1);
        assertEquals(List.of(committed), p.receivedIds("members"), "only the committed message is delivered");
        assertFalse(p.receivedIds("members").contains(rolledBack));
        assertEquals(Set.of(committed), p.journalIds(), "the rolled-back message left no journal row");
        assertEquals(0, businessRows(), "the business row rolled back with it");
    }

    @Test
    void unserializablePayloadThrowsInsideTransactionWritesNothingAndTheTransactionCanStillCommit() throws SQLException {
        p.startProducer();
        p.startConsumer("members");
        String committed;
        try (Connection c = transactionWithBusinessRow("kept")) {
            StrongZeroSerializationException e = assertThrows(StrongZeroSerializationException.class,
                    () -> p.sender.send(c, Pipeline.TYPE, new Unserializable()));
            assertTrue(e.getMessage().contains(Unserializable.class.getName()),
                    "the message names the payload class: " + e.getMessage());
            assertFalse(c.getAutoCommit(), "the caller's transaction is still open");
            committed = p.sender.send(c, Pipeline.TYPE, new Pipeline.User("after failure", 2)).toString();
            c.commit();
        }
        p.sender.updated();

        awaitReceived("members", 1);
        assertEquals(List.of(committed), p.receivedIds("members"));
        assertEquals(1, journalRows(), "the failed send wrote no journal row");
        assertEquals(1, businessRows(), "the caller's other work committed");
    }

    @Test
    void unserializablePayloadLeavesTheTransactionAbleToRollBackCleanly() throws SQLException {
        p.startProducer();
        try (Connection c = transactionWithBusinessRow("discarded")) {
            p.sender.send(c, Pipeline.TYPE, new Pipeline.User("discarded too", 1));
            assertThrows(StrongZeroSerializationException.class,
                    () -> p.sender.send(c, Pipeline.TYPE, new Unserializable()));
            c.rollback();
            assertEquals(0, count(c, "SELECT COUNT(*) FROM business"), "rollback on the same connection works");
            c.setAutoCommit(true);
        }
        assertEquals(0, businessRows());
        assertEquals(0, journalRows());
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void sendViaDataSourceRefusesAnAutoCommitConnectionAndWritesNothing() {
        p.startProducer();
        StrongZeroException e = assertThrows(StrongZeroException.class,
                () -> p.sender.send(Pipeline.TYPE, new Pipeline.User("no transaction", 1)));
        assertTrue(e.getMessage().contains("no open transaction"), e.getMessage());
        assertTrue(e.getMessage().contains("auto-commit"), e.getMessage());
        assertTrue(e.getMessage().contains("requireTransaction(false)"), "names the way out: " + e.getMessage());
        assertTrue(p.sender.config().requireTransaction(), "refusing is the default");
        assertEquals(0, journalRows(), "nothing was written");
    }

    @Test
    void sendViaDataSourceWithRequireTransactionFalseCommitsTheMessageOnItsOwnAndIsDelivered() {
        p.startProducer();
        p.startConsumer("members");
        FlakeId id;
        try (StrongZeroSender sender = StrongZeroSender.builder().producer(p.producer)
                .dataSource(p.producerDb.dataSource()).requireTransaction(false).build()) {
            id = sender.send(Pipeline.TYPE, new Pipeline.User("no transaction", 1));
            assertEquals(Set.of(id.toString()), p.journalIds(), "committed, visible to other connections, as soon as "
                    + "send returns");
        }
        awaitReceived("members", 1);
        assertEquals(List.of(id.toString()), p.receivedIds("members"));
    }

    @Test
    void sendViaTransactionAwareDataSourceJoinsTheCurrentTransaction() throws SQLException {
        p.startProducer();
        p.startConsumer("members");
        PipelineSupport.TransactionBoundDataSource ds = new PipelineSupport.TransactionBoundDataSource(
                p.producerDb.dataSource());
        String rolledBack;
        String committed;
        try (StrongZeroSender sender = StrongZeroSender.builder().producer(p.producer).dataSource(ds).build();
             Connection c = p.producerDb.dataSource().getConnection()) {
            c.setAutoCommit(false);
            ds.bind(c);
            try {
                rolledBack = sender.send(Pipeline.TYPE, new Pipeline.User("rolled back", 1)).toString();
                c.rollback();
                committed = sender.send(Pipeline.TYPE, new Pipeline.User("committed", 2)).toString();
                insertBusiness(c, 2, "with the message");
                assertFalse(c.isClosed(), "send(type, payload) did not close the transaction's connection");
                c.commit();
            } finally {
                ds.unbind();
            }
            sender.updated();
        }
        awaitReceived("members", 1);
        assertEquals(List.of(committed), p.receivedIds("members"));
        assertFalse(p.journalIds().contains(rolledBack));
        assertEquals(1, businessRows());
    }

    @Test
    void sendOnAutoCommitConnectionCommitsByItselfAndIsDelivered() throws SQLException {
        p.startProducer();
        p.startConsumer("members");
        FlakeId id;
        try (Connection c = p.producerDb.dataSource().getConnection()) {
            assertTrue(c.getAutoCommit());
            id = p.sender.send(c, Pipeline.TYPE, new Pipeline.User("auto", 1));
            assertEquals(Set.of(id.toString()), p.journalIds(), "visible to other connections as soon as send returns");
        }
        awaitReceived("members", 1);
        assertEquals(List.of(id.toString()), p.receivedIds("members"));
    }

    @Test
    void inTransactionRollsBackBusinessRowAndMessageWhenTheWorkThrows() {
        p.startProducer();
        p.startConsumer("members");
        IllegalStateException boom = new IllegalStateException("business rule failed");
        String[] attempted = new String[1];
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> p.sender.inTransaction(c -> {
            insertBusiness(c, 1, "doomed");
            attempted[0] = p.sender.send(c, Pipeline.TYPE, new Pipeline.User("doomed", 1)).toString();
            throw boom;
        }));
        assertSame(boom, thrown, "an unchecked exception from the work is rethrown as is");
        assertNotNull(attempted[0]);

        String committed = p.sendCommitted("alive", 2);
        awaitReceived("members", 1);
        assertEquals(List.of(committed), p.receivedIds("members"));
        assertEquals(Set.of(committed), p.journalIds());
        assertEquals(0, businessRows());
    }

    @Test
    void inTransactionWrapsACheckedExceptionAndRollsBack() {
        p.startProducer();
        IOException io = new IOException("disk full");
        StrongZeroException e = assertThrows(StrongZeroException.class, () -> p.sender.inTransaction(c -> {
            insertBusiness(c, 1, "doomed");
            p.sender.send(c, Pipeline.TYPE, new Pipeline.User("doomed", 1));
            throw io;
        }));
        assertSame(io, e.getCause());
        assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
        assertEquals(0, journalRows());
        assertEquals(0, businessRows());
    }

    @Test
    void invalidTypesAndNullPayloadsAreRefusedNamingTheRuleAndWriteNothing() throws SQLException {
        p.startProducer();
        String longest = "t".repeat(255);
        try (Connection c = p.producerDb.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (String bad : new String[] {null, "", "t".repeat(256)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> p.sender.send(c, bad, new Pipeline.User("x", 1)), "type " + bad);
                assertTrue(e.getMessage().contains("type must be 1 to 255 characters"), e.getMessage());
            }
            for (String bad : new String[] {"user\ncreated", "user.created\u0000", "\tuser", "user\u007f", "user\u0085"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> p.sender.send(c, bad, new Pipeline.User("x", 1)), "type with a control character");
                assertTrue(e.getMessage().contains("type must not contain control characters"), e.getMessage());
            }
            IllegalArgumentException nullPayload = assertThrows(IllegalArgumentException.class,
                    () -> p.sender.send(c, Pipeline.TYPE, null));
            assertTrue(nullPayload.getMessage().contains("payload must not be null"), nullPayload.getMessage());

            FlakeId ok = p.sender.send(c, longest, new Pipeline.User("longest type", 1));
            c.commit();
            assertEquals(Set.of(ok.toString()), p.journalIds(), "only the valid send wrote a row");
        }
        List<String> types = new CopyOnWriteArrayList<>();
        Pipeline.query(p.producerDb, "SELECT msg_type FROM sz_journal", rs -> types.add(rs.getString(1)));
        assertEquals(List.of(longest), types, "a 255-character type is stored whole");
    }

    @Test
    void sendWithoutJournalTableThrowsStorageExceptionNamingTheTableAndTheDdl() throws SQLException {
        try (TestDatabase.Instance bare = database().create("bare");
             StrongZeroSender sender = StrongZeroSender.builder().build();
             Connection c = bare.dataSource().getConnection()) {
            StrongZeroStorageException e = assertThrows(StrongZeroStorageException.class,
                    () -> sender.send(c, Pipeline.TYPE, new Pipeline.User("nowhere", 1)));
            assertTrue(e.getMessage().contains("sz_journal"), e.getMessage());
            assertTrue(e.getMessage().contains("producer.sql"), e.getMessage());
            assertNotNull(e.sqlState(), "the driver's SQL state is kept");
            assertInstanceOf(SQLException.class, e.getCause());
        }
    }

    @Test
    void afterCommitRegistryReceivesTheWakeUpForANonAutoCommitSendAndItWakesThePump() throws SQLException {
        withRegistry((slowPump, sender, c, registered) -> {
            c.setAutoCommit(false);
            sender.send(c, Pipeline.TYPE, new Pipeline.User("registered", 1));
            assertEquals(1, registered.size(), "one wake-up action registered per send");
            c.commit();
            assertEquals(0, slowPump.head(), "with a 60 s poll interval nothing is sequenced until the wake-up runs");

            registered.get(0).run();
            Await.until(Duration.ofSeconds(10), "the registered action wakes the pump", () -> slowPump.head() == 1,
                    slowPump::head);
        });
    }

    @Test
    void autoCommitSendWakesThePumpAtOnceWithoutUsingTheRegistry() throws SQLException {
        withRegistry((slowPump, sender, c, registered) -> {
            sender.send(c, Pipeline.TYPE, new Pipeline.User("auto", 1));
            Await.until(Duration.ofSeconds(10), "the pump is woken by the auto-commit send", () -> slowPump.head() == 1,
                    slowPump::head);
            assertEquals(List.of(), registered, "nothing to defer when the message already committed");
        });
    }

    /** What a test does with a sender whose wake-ups go to a registry that only collects them. */
    private interface RegistryTest {
        void run(StrongZeroPump slowPump, StrongZeroSender sender, Connection c, List<Runnable> registered)
                throws SQLException;
    }

    /**
     * Runs {@code test} with a started pump that, unwoken, would not look at the journal for 60 s, a sender on it
     * whose after-commit registry only collects the wake-up actions, and a connection to the producer's database.
     */
    private void withRegistry(RegistryTest test) throws SQLException {
        List<Runnable> registered = new CopyOnWriteArrayList<>();
        AfterCommitRegistry registry = action -> registered.add(action);
        try (StrongZeroPump slowPump = StrongZeroPump.builder().name(Pipeline.PRODUCER)
                    .dataSource(p.producerDb.dataSource()).pollInterval(Duration.ofSeconds(60)).build().start();
             StrongZeroSender sender = StrongZeroSender.builder().pump(slowPump).afterCommit(registry).build();
             Connection c = p.producerDb.dataSource().getConnection()) {
            test.run(slowPump, sender, c, registered);
        }
    }
}
