package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import io.strongzero.testing.ForwardingDataSource;
import io.strongzero.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The producer serves just-stamped messages from memory (its tail cache, fed by the pump), so a stamping whose
 * commit failed must never reach that memory: its positions may be given to other rows by the next stamping. These
 * tests make the commit of one stamping transaction fail, both when the transaction really rolled back and when it
 * committed but the driver reported a failure (outcome unknown to the pump), and check that the consumer gets, at
 * every position, exactly the row the journal holds there.
 */
public abstract class StampCommitFailureContract {

    private static final String CONSUMER = "after-commit-failure";

    protected abstract TestDatabase database();

    private Pipeline p;
    private CommitFailures failures;

    @BeforeEach
    void start() {
        p = new Pipeline(database());
        failures = new CommitFailures(p.producerDb.dataSource());
        p.startProducer(failures, b -> { }); // tail cache on (the default): just-stamped rows are served from memory
        p.startConsumer(CONSUMER);
        for (int i = 0; i < 3; i++) {
            p.sendCommitted("warm-up-" + i, i);
        }
        // the consumer is now at the head, parked in a long poll that the tail cache answers
        Await.until(Duration.ofSeconds(20), "the warm-up messages applied", () -> p.receivedCount(CONSUMER) == 3);
    }

    @AfterEach
    void stop() {
        p.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStampingThatRolledBackIsNeverServedAndItsPositionsGoToTheRowsTheJournalHoldsThere() {
        AtomicReference<String> early = new AtomicReference<>();
        // while the failed stamping is rolled back, a row with a lower Flake id (a sender whose clock is 5 minutes
        // behind) commits: the next stamping gives it the position the failed one had given to the later row
        failures.failNextStampingCommit(Outcome.ROLLED_BACK, () -> early.set(sendFromSkewedClock("early")));
        String late = p.sendCommitted("late", 4);

        Await.until(Duration.ofSeconds(30), "both applied", () -> p.receivedCount(CONSUMER) == 5,
                () -> p.receivedIds(CONSUMER));
        assertEquals(1, failures.injected(), "one stamping commit failed");
        assertEquals(List.of(early.get(), late), p.receivedIds(CONSUMER).subList(3, 5),
                "the lower id took position 4: the rolled-back stamping's position 4 for the later row was never served");
        assertServedWhatTheJournalHolds();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStampingWhoseCommitOutcomeIsUnknownIsServedFromTheDatabaseNotFromMemory() {
        AtomicReference<String> next = new AtomicReference<>();
        failures.failNextStampingCommit(Outcome.COMMITTED, () -> next.set(p.sendCommitted("next", 5)));
        String reported = p.sendCommitted("reported-failed", 4);

        Await.until(Duration.ofSeconds(30), "both applied", () -> p.receivedCount(CONSUMER) == 5,
                () -> p.receivedIds(CONSUMER));
        assertEquals(1, failures.injected(), "one stamping commit was reported failed");
        assertEquals(List.of(reported, next.get()), p.receivedIds(CONSUMER).subList(3, 5));
        assertServedWhatTheJournalHolds();
    }

    private String sendFromSkewedClock(String name) {
        StrongZeroSender skewed = StrongZeroSender.builder().producer(p.producer).dataSource(p.producerDb.dataSource())
                .idGenerator(FlakeIdGenerator.create(7, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)))).build();
        try (skewed) {
            return skewed.inTransaction(c -> skewed.send(c, Pipeline.TYPE, new Pipeline.User(name, 4)).toString());
        }
    }

    /** Every position the consumer applied holds, in the journal, the message the consumer got for it. */
    private void assertServedWhatTheJournalHolds() {
        Map<Long, String> journal = new TreeMap<>();
        Pipeline.query(p.producerDb, "SELECT pos, id FROM " + p.pump.config().tablePrefix() + "journal WHERE pos IS NOT NULL",
                rs -> journal.put(rs.getLong(1), idText(rs.getObject(2))));
        Map<Long, String> served = new TreeMap<>();
        List<Long> positions = p.receivedPositions(CONSUMER);
        List<String> ids = p.receivedIds(CONSUMER);
        for (int i = 0; i < positions.size(); i++) {
            served.put(positions.get(i), ids.get(i));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), new ArrayList<>(served.keySet()), "dense positions, each applied once");
        assertEquals(journal, served, "the consumer got, at every position, the row the journal holds there");
    }

    /** A journal id as the 32 hex characters the consumer records, whether the column is text or bytes. */
    private static String idText(Object value) {
        if (value instanceof byte[] bytes) {
            StringBuilder s = new StringBuilder(32);
            for (byte b : bytes) {
                s.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return s.toString();
        }
        return value.toString().trim();
    }

    enum Outcome { ROLLED_BACK, COMMITTED }

    /**
     * Hands out connections whose commit of a stamping transaction (one that prepared an UPDATE of the journal) can
     * be made to fail once: after rolling back or after committing, it runs a hook (while the pump waits in the
     * commit) and throws a connection-failure SQLException, as a server that went away mid-commit does.
     */
    static final class CommitFailures extends ForwardingDataSource {
        private final AtomicReference<Runnable> hook = new AtomicReference<>();
        private volatile Outcome outcome;
        private final AtomicInteger injected = new AtomicInteger();

        CommitFailures(DataSource target) {
            super(target);
        }

        void failNextStampingCommit(Outcome outcome, Runnable whileFailing) {
            this.outcome = outcome;
            hook.set(whileFailing);
        }

        int injected() {
            return injected.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection target = delegate().getConnection();
            boolean[] stamping = {false};
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("prepareStatement") && args != null && args[0] instanceof String sql) {
                            String upper = sql.toUpperCase(java.util.Locale.ROOT);
                            stamping[0] |= upper.startsWith("UPDATE") && upper.contains("JOURNAL");
                        }
                        if (name.equals("commit") && stamping[0]) {
                            stamping[0] = false;
                            Runnable whileFailing = hook.getAndSet(null);
                            if (whileFailing != null) {
                                if (outcome == Outcome.ROLLED_BACK) {
                                    target.rollback();
                                } else {
                                    target.commit();
                                }
                                whileFailing.run();
                                injected.incrementAndGet();
                                throw new SQLException("injected: the connection broke during the stamping commit", "08006");
                            }
                        }
                        if (name.equals("rollback")) {
                            stamping[0] = false;
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
