package io.strongzero.pump.internal;

import io.strongzero.core.internal.Backoff;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.SequencerStore;
import io.strongzero.core.internal.Threads;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pump's listener for head notifications (PostgreSQL): one connection of the pump's data source, in auto-commit
 * mode, {@code LISTEN}s on the journal's channel ({@link SequencerStore#notificationChannel()}) on its own thread
 * ({@code strongzero-pump-<name>-notifications}). Every stamping transaction of every instance notifies that channel
 * on commit with {@code <table id>:<new head>}; a head above the pump's, from its own sequencer table, is handed on
 * as it is (it was committed before the notification was sent), without a query. Notifications of another table
 * (another schema's journal of the same prefix and name shares the channel) are ignored; a payload that is not
 * understood makes the listener read the head. After (re)connecting it reads the head and the table's id once, so
 * nothing committed while it was away waits for the poll. A failed connection is given back and another taken with backoff (100 ms doubling
 * to 10 s, logged on the first failure and every 50th). Without pgjdbc, or on a connection that is not pgjdbc's, it
 * logs once at INFO and ends: the pump polls. Notifications are a latency hint: nothing depends on them. Lifecycle:
 * {@link #start} once, {@link #stop}. Thread-safe. Internal API.
 */
public final class HeadNotifications {

    /** Where the notifications come from: one listening connection. Confined to the listener thread. */
    interface Source {
        /** The database session's process id, for operators ({@code pg_stat_activity.pid}). */
        long backendPid();

        /** Waits up to {@code millis} and returns the payloads of the notifications received (none: empty). */
        List<String> await(int millis) throws SQLException;
    }

    /** The pump's logger, as the other pump threads'. */
    private static final Logger log = LoggerFactory.getLogger("io.strongzero.pump.StrongZeroPump");
    /** The longest wait for notifications: how soon the thread sees {@link #stop}. */
    private static final int WAIT_MILLIS = 250;
    /** After this long without a head read, the listener reads it anyway: it proves the connection still works. */
    private static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String name;
    private final DataSource dataSource;
    private final SequencerStore sequencer;
    private final LongSupplier knownHead;
    private final LongConsumer headRead;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10),
            () -> ThreadLocalRandom.current().nextDouble());
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean listening;
    private volatile String state = "not started";
    private volatile long backendPid = -1;
    private Thread thread;

    /**
     * @param sequencer the pump's sequencer statements; must have a {@link SequencerStore#listenStatement()}
     * @param knownHead the pump's head (a notification at or below it is the pump's own, or old: ignored)
     * @param headRead  takes the head read from the sequencer row after a notification raised it (on this thread)
     */
    public HeadNotifications(String name, DataSource dataSource, SequencerStore sequencer, LongSupplier knownHead,
                             LongConsumer headRead) {
        if (sequencer.listenStatement() == null) {
            throw new IllegalArgumentException("the sequencer of " + name + " sends no notifications to listen for");
        }
        this.name = name;
        this.dataSource = dataSource;
        this.sequencer = sequencer;
        this.knownHead = knownHead;
        this.headRead = headRead;
    }

    /** Starts the listener thread; it takes its connection from the data source. */
    public void start() {
        running = true;
        state = "connecting";
        thread = Threads.newThread("pump", name + "-notifications", this::run);
        thread.start();
    }

    /** True while the listener's connection listens on the channel. */
    public boolean isListening() {
        return listening;
    }

    /**
     * What the listener does, for health: {@code listening on <channel>}, {@code connecting},
     * {@code reconnecting after <n> failures: <error>}, {@code unavailable: <why>} or {@code stopped}.
     */
    public String state() {
        return state;
    }

    /** The listening session's database process id, or -1 while none listens. */
    public long backendPid() {
        return listening ? backendPid : -1;
    }

    /** Stops the thread and gives its connection back, waiting up to {@code millis}; true if it ended. */
    public boolean stop(long millis) {
        running = false;
        stopping.countDown();
        return Threads.join(thread, millis);
    }

    private void run() {
        Backoff.Attempts failures = backoff.attempts();
        while (running) {
            Connection c = null;
            Transactions.Settings settings = null;
            long retryIn = 0;
            try {
                c = dataSource.getConnection();
                Source source = source(c);
                if (source == null) {
                    return;
                }
                settings = Transactions.Settings.set(c, true, Transactions.KEEP_ISOLATION); // notifications come between transactions
                try (Statement s = c.createStatement()) {
                    s.execute(sequencer.listenStatement());
                }
                backendPid = source.backendPid();
                SequencerStore.TableHead table = sequencer.headWithTableId(c);
                headRead.accept(table.head()); // what was stamped while nothing listened
                listening = true;
                state = "listening on " + sequencer.notificationChannel();
                if (failures.failures() > 0) {
                    log.info("strongzero-pump[{}]: head notifications listen again after {} failed attempts", name,
                            failures.failures());
                }
                failures.reset();
                listen(c, source, table.tableId());
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!running) {
                    break;
                }
                retryIn = failures.next();
                String error = Secrets.redact(e.toString());
                state = "reconnecting after " + failures.failures() + " failures: " + error;
                if (failures.failures() == 1 || failures.failures() % 50 == 0) {
                    log.warn("strongzero-pump[{}]: head notifications failed ({} attempts so far), the pump polls while"
                            + " the listener reconnects with backoff: {}", name, failures.failures(), error);
                }
            } catch (LinkageError e) {
                unavailable("the PostgreSQL JDBC driver (pgjdbc) cannot be loaded by the pump (" + e + ")");
                return;
            } finally {
                listening = false;
                release(c, settings);   // given back before waiting to retry
            }
            awaitStop(retryIn);
        }
        state = "stopped";
    }

    /** Waits for notifications until stopped and hands on the heads they raise. */
    private void listen(Connection c, Source source, String tableId) throws SQLException {
        long lastRead = System.nanoTime();
        while (running) {
            long highest = highestHead(source.await(WAIT_MILLIS), tableId);
            if (highest == UNKNOWN || System.nanoTime() - lastRead > CHECK_NANOS) {
                headRead.accept(sequencer.head(c)); // also proves the connection still works
                lastRead = System.nanoTime();
            } else if (highest > knownHead.getAsLong()) {
                headRead.accept(highest);
                lastRead = System.nanoTime();
            }
        }
    }

    /** What {@link #highestHead} returns when a payload is not understood: read the head. */
    static final long UNKNOWN = Long.MAX_VALUE;

    /**
     * The highest head the payloads {@code <table id>:<head>} of table {@code tableId} carry; -1 if none is of that
     * table (another schema's journal shares the channel), {@link #UNKNOWN} if one is not understood.
     */
    static long highestHead(List<String> payloads, String tableId) {
        long highest = -1;
        for (String p : payloads) {
            int colon = p == null ? -1 : p.lastIndexOf(':');
            if (colon < 0) {
                return UNKNOWN;
            }
            if (p.regionMatches(0, tableId, 0, colon) && colon == tableId.length()) {
                try {
                    highest = Math.max(highest, Long.parseLong(p.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    return UNKNOWN;
                }
            }
        }
        return highest;
    }

    /** The notification source of {@code c}, or null (logged once, the thread ends) if it has none. */
    private Source source(Connection c) throws SQLException {
        Source source = PgNotifications.of(c);
        if (source == null) {
            unavailable("the data source's connections are not (and do not unwrap to) pgjdbc's PGConnection");
        }
        return source;
    }

    private void unavailable(String why) {
        state = "unavailable: " + why;
        log.info("strongzero-pump[{}]: head notifications are unavailable: {}; the pump learns of positions other"
                + " instances stamp at its poll interval", name, why);
    }

    /**
     * Ends the listening and gives the connection back; never throws. The {@code UNLISTEN} goes through the pool's
     * connection even after a failure: on a broken connection it fails there, so the pool discards it.
     */
    private void release(Connection c, Transactions.Settings settings) {
        if (c == null) {
            return;
        }
        try {
            if (settings != null) {
                try (Statement s = c.createStatement()) {
                    s.execute(sequencer.unlistenStatement());
                }
                settings.restore(c);
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("strongzero-pump[{}]: ending the head notifications' LISTEN failed", name, e);
        } finally {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                log.debug("strongzero-pump[{}]: closing the head notifications' connection failed", name, e);
            }
        }
    }

    private void awaitStop(long millis) {
        try {
            stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
