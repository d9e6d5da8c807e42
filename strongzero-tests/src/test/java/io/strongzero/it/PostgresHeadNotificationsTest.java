package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.Schema;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.SequencerStore;
import io.strongzero.pump.HeadListener;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.Await;
import io.strongzero.testing.ForwardingDataSource;
import io.strongzero.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * On PostgreSQL every stamping transaction notifies the journal's channel on commit, and every pump listens on it: an
 * instance that was not woken learns of positions another instance stamped at once, not at its next poll. The
 * instances under test poll every 60 s, so within the tests' waits only a notification can tell them.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PostgresHeadNotificationsTest {

    private static final Duration LONG_POLL = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final TestDatabase.Instance db = TestDatabase.POSTGRESQL.create("notify");
    private final FlakeIdGenerator ids = FlakeIdGenerator.create(5);
    /** A name of its own per test: PostgreSQL's channels are database-wide, the schemas of other tests share them. */
    private final String name = "notify-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        db.close();
    }

    private StrongZeroPump pump(DataSource ds, Duration pollInterval, boolean headNotifications) {
        StrongZeroPump p = StrongZeroPump.builder().name(name).dataSource(ds).createSchemaIfMissing(true)
                .pollInterval(pollInterval).headNotifications(headNotifications).build().start();
        toClose.add(p);
        return p;
    }

    private void commitRows(int n) throws SQLException {
        JournalStore.Writer writer = new JournalStore.Writer("sz_");
        try (Connection c = db.dataSource().getConnection()) {
            for (int i = 0; i < n; i++) {
                writer.insert(c, ids.next(), "t", "json", new byte[] {(byte) i}, 1);
            }
        }
    }

    /** Commits {@code n} rows and wakes only {@code b}; returns b's head once it stamped them. */
    private long stampOn(StrongZeroPump b, int n) throws SQLException {
        long target = b.head() + n;
        commitRows(n);
        b.wakeUp();
        Await.until(WAIT, "B stamped up to " + target, () -> b.head() >= target, b::health);
        return b.head();
    }

    private static Object notificationsDetail(StrongZeroPump p) {
        return p.health().details().get("headNotifications");
    }

    private static void awaitListening(StrongZeroPump p) {
        Await.until(WAIT, "the pump listens for head notifications",
                () -> String.valueOf(notificationsDetail(p)).startsWith("listening on "), p::health);
    }

    /** The highest head a pump's listener was told. */
    private static final class Heads implements HeadListener {
        final AtomicLong highest = new AtomicLong();

        @Override
        public void onHeadAdvanced(long head) {
            highest.accumulateAndGet(head, Math::max);
        }
    }

    @Test
    void anInstanceThatWasNotWokenLearnsOfAnotherInstancesStampingFromItsNotification() throws SQLException {
        StatementRecorder recorded = new StatementRecorder(db.dataSource());
        StrongZeroPump a = pump(recorded, LONG_POLL, true);
        Heads heardByA = new Heads();
        a.addListener(heardByA);
        StrongZeroPump b = pump(db.dataSource(), LONG_POLL, true);
        awaitListening(a);
        assertEquals("listening on sz_journal:" + name, notificationsDetail(a));
        assertTrue(recorded.statements.contains("LISTEN \"sz_journal:" + name + "\""), recorded.statements::toString);

        long bHead = stampOn(b, 3);
        assertEquals(3, bHead);
        Await.until(WAIT, "A's head and A's head listener at B's head " + bHead + ", well before A's 60 s poll",
                () -> a.head() == bHead && heardByA.highest.get() == bHead, a::health);
        assertEquals(0, a.stampedCount(), "A stamped nothing: it learnt B's head");

        long next = stampOn(b, 2);
        Await.until(WAIT, "A at B's next head " + next, () -> a.head() == next && heardByA.highest.get() == next, a::health);
    }

    @Test
    void aRolledBackStampingNotifiesNoOneAndACommittedOneNotifiesWithItsHead() throws SQLException {
        Schema.create(db.dataSource(), Dialect.POSTGRESQL, Schema.Side.PRODUCER, "sz_");
        SequencerStore sequencer = new SequencerStore(Dialect.POSTGRESQL, "sz_", name);
        JournalStore journal = new JournalStore(Dialect.POSTGRESQL, "sz_");
        try (Connection listener = db.dataSource().getConnection(); Connection stamper = db.dataSource().getConnection()) {
            listener.setAutoCommit(true);
            try (Statement s = listener.createStatement()) {
                s.execute(sequencer.listenStatement());
            }
            PGConnection pg = listener.unwrap(PGConnection.class);
            stamper.setAutoCommit(true);
            sequencer.ensureRow(stamper, 1);
            commitRows(2);

            stamper.setAutoCommit(false);
            long last = sequencer.lock(stamper);
            sequencer.stamp(stamper, journal.waitingIds(stamper, 10), last + 1, "rolled-back", 2);
            stamper.rollback();
            PGNotification[] none = pg.getNotifications(1_000);
            assertEquals(0, none == null ? 0 : none.length, "no notification for a rolled-back stamping");

            last = sequencer.lock(stamper);
            assertEquals(0, last, "the rolled-back stamping left the head alone");
            sequencer.stamp(stamper, journal.waitingIds(stamper, 10), last + 1, "committed", 3);
            stamper.commit();
            List<PGNotification> received = new ArrayList<>();
            long end = System.nanoTime() + WAIT.toNanos();
            while (received.isEmpty() && System.nanoTime() < end) {
                PGNotification[] got = pg.getNotifications(500);
                if (got != null) {
                    received.addAll(List.of(got));
                }
            }
            assertEquals(1, received.size(), "one notification for the committed stamping within " + WAIT);
            assertEquals("sz_journal:" + name, received.get(0).getName());
            long oid;
            try (Statement s = listener.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT 'sz_sequencer'::regclass::oid")) {
                rs.next();
                oid = rs.getLong(1);
            }
            assertEquals(oid + ":2", received.get(0).getParameter(), "the payload: the sequencer table's oid, the new head");
            assertEquals(new SequencerStore.TableHead(2, Long.toString(oid)), sequencer.headWithTableId(listener));
            assertEquals(sequencer.notificationChannel(), received.get(0).getName());
            try (Statement s = listener.createStatement()) {
                s.execute(sequencer.unlistenStatement());
            }
        }
    }

    @Test
    void withHeadNotificationsOffNoConnectionListensAndThePollStillTellsTheInstance() throws SQLException {
        StatementRecorder recorded = new StatementRecorder(db.dataSource());
        StrongZeroPump a = pump(recorded, Duration.ofSeconds(1), false);
        StrongZeroPump b = pump(db.dataSource(), LONG_POLL, true);
        assertEquals("off (headNotifications false)", notificationsDetail(a));
        assertFalse(a.config().headNotifications());

        long bHead = stampOn(b, 2);
        Await.until(WAIT, "A at B's head " + bHead + " by its 1 s poll, the backstop", () -> a.head() == bHead, a::health);
        assertTrue(recorded.statements.stream().noneMatch(s -> s.startsWith("LISTEN")),
                () -> "A sent no LISTEN; statements: " + recorded.statements);
        assertEquals("off (headNotifications false)", notificationsDetail(a));
    }

    @Test
    void theListenerComesBackAfterItsSessionIsKilledAndTheInstanceLearnsAgain() throws SQLException {
        StrongZeroPump a = pump(db.dataSource(), LONG_POLL, true);
        StrongZeroPump b = pump(db.dataSource(), LONG_POLL, true);
        awaitListening(a);
        long pid = ((Number) a.health().details().get("headNotificationsBackendPid")).longValue();
        long first = stampOn(b, 1);
        Await.until(WAIT, "A at B's head " + first + " before the kill", () -> a.head() == first, a::health);

        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertTrue(s.executeQuery("SELECT pg_terminate_backend(" + pid + ")").next());
        }
        Await.until(WAIT, "A listens again on a new session", () -> {
            Object newPid = a.health().details().get("headNotificationsBackendPid");
            return newPid instanceof Number n && n.longValue() != pid;
        }, a::health);
        awaitListening(a);
        assertNotEquals(pid, ((Number) a.health().details().get("headNotificationsBackendPid")).longValue());

        long second = stampOn(b, 2);
        Await.until(WAIT, "A at B's head " + second + " after the listener came back, well before A's 60 s poll",
                () -> a.head() == second, a::health);
        assertEquals(0, a.stampedCount());
    }

    /** A data source whose connections record the SQL executed through their plain statements. */
    private static final class StatementRecorder extends ForwardingDataSource {
        final Queue<String> statements = new ConcurrentLinkedQueue<>();

        StatementRecorder(DataSource delegate) {
            super(delegate);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = delegate().getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        Object result = invoke(real, method, args);
                        if (method.getName().equals("createStatement") && result instanceof Statement s) {
                            return recording(s);
                        }
                        return result;
                    });
        }

        private Statement recording(Statement real) {
            return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                    (proxy, method, args) -> {
                        if (method.getName().startsWith("execute") && args != null && args.length > 0
                                && args[0] instanceof String sql) {
                            statements.add(sql);
                        }
                        return invoke(real, method, args);
                    });
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
