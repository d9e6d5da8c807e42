package io.strongzero.it.faults;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.Message;
import io.strongzero.consumer.StrongZeroConsumer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The consumer test app of the fault tests, run in its own JVM by the driver. Its handler records every
 * {@link FaultItem} in {@code fault_received} (no unique key, so a duplicate effect would show), in the
 * consumer's transaction; the table's identity column numbers the rows in the order they were applied.
 *
 * <p>Arguments ({@code --key=value}): {@code jdbc}, {@code user}, {@code endpoint}, {@code tx-size} (20). For the
 * parallel-apply scenario ({@link LaneKillRun}): {@code streams} ({@code name=endpoint,...} instead of {@code endpoint}),
 * {@code concurrency} (its presence also switches the effects to {@link LaneKillRun#EFFECTS}, with the stream, the
 * message's key and the concurrency) and {@code max-delay-ms} (each handler call first sleeps 0 to that many ms).
 * Commands on stdin arm a stop at an exact moment, reported by a marker, where the driver kills the JVM:
 * <ul>
 *   <li>{@code arm in-batch}: in a handler call that is not the first of its transaction, so earlier
 *       messages of the batch are applied but not committed ({@code @IN-BATCH});</li>
 *   <li>{@code arm at-commit}: after the handlers and the offset update, just before {@code commit()}
 *       ({@code @AT-COMMIT});</li>
 *   <li>{@code arm after-commit}: just after {@code commit()} returned, before the consumer goes on
 *       ({@code @AFTER-COMMIT}).</li>
 * </ul>
 */
public final class FaultConsumerApp {

    enum Arm {
        NONE, IN_BATCH, AT_COMMIT, AFTER_COMMIT
    }

    private static final AtomicReference<Arm> ARMED = new AtomicReference<>(Arm.NONE);
    /**
     * Messages handled in the current transaction, and its connection, per thread: the handlers and the commit of a
     * transaction run on one thread (the stream's, or with lanes the lane's).
     */
    private static final ThreadLocal<int[]> HANDLED_IN_TRANSACTION = ThreadLocal.withInitial(() -> new int[1]);
    private static final ThreadLocal<Connection> CURRENT_TRANSACTION = new ThreadLocal<>();

    private FaultConsumerApp() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Apps.args(args);
        int txSize = Integer.parseInt(a.getOrDefault("tx-size", "20"));
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "1"));
        boolean lanes = a.containsKey("concurrency");
        int maxDelayMillis = Integer.parseInt(a.getOrDefault("max-delay-ms", "0"));
        Map<String, String> streams = new LinkedHashMap<>();
        if (a.containsKey("streams")) {
            for (String stream : a.get("streams").split(",")) {
                int eq = stream.indexOf('=');
                streams.put(stream.substring(0, eq), stream.substring(eq + 1));
            }
        } else {
            streams.put(Apps.PRODUCER, Apps.require(a, "endpoint"));
        }
        HikariDataSource pool = Apps.pool(Apps.require(a, "jdbc"), a.get("user"), "faults-consumer",
                Math.max(6, streams.size() * (concurrency + 1) + 2));
        HookedDataSource ds = new HookedDataSource(pool, new HookedDataSource.Hook() {
            @Override
            public void beforeCommit() {
                int handled = HANDLED_IN_TRANSACTION.get()[0];
                if (handled > 0 && ARMED.compareAndSet(Arm.AT_COMMIT, Arm.NONE)) {
                    Apps.marker("AT-COMMIT handled=" + handled);
                    Apps.holdUntilKilled();
                }
            }

            @Override
            public void afterCommit() {
                int handled = HANDLED_IN_TRANSACTION.get()[0];
                HANDLED_IN_TRANSACTION.get()[0] = 0;
                CURRENT_TRANSACTION.remove();
                if (handled > 0 && ARMED.compareAndSet(Arm.AFTER_COMMIT, Arm.NONE)) {
                    Apps.marker("AFTER-COMMIT handled=" + handled);
                    Apps.holdUntilKilled();
                }
            }

            @Override
            public void afterRollback() {
                HANDLED_IN_TRANSACTION.get()[0] = 0;
                CURRENT_TRANSACTION.remove();
            }
        });
        StrongZeroConsumer.Builder builder = StrongZeroConsumer.builder().name(Apps.CONSUMER).dataSource(ds)
                .longPollWait(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(1))
                .heartbeat(Duration.ofMillis(500)).handshakeTimeout(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .transactionSize(txSize).maxBatchMessages(Math.max(txSize, 200))
                .concurrency(concurrency)
                .handler(Apps.TYPE, FaultItem.class, (m, ctx) -> {
                    Connection tx = ctx.connection();
                    int[] handled = HANDLED_IN_TRANSACTION.get();
                    if (tx != CURRENT_TRANSACTION.get()) {
                        CURRENT_TRANSACTION.set(tx);
                        handled[0] = 0;
                    }
                    if (handled[0] > 0 && ARMED.compareAndSet(Arm.IN_BATCH, Arm.NONE)) {
                        Apps.marker("IN-BATCH handled=" + handled[0] + " position=" + m.position());
                        Apps.holdUntilKilled();
                    }
                    if (maxDelayMillis > 0) {
                        Thread.sleep(ThreadLocalRandom.current().nextInt(maxDelayMillis + 1));
                    }
                    if (lanes) {
                        recordLaneEffect(tx, m, concurrency);
                    } else {
                        record(tx, m);
                    }
                    handled[0]++;
                });
        streams.forEach(builder::producer);
        StrongZeroConsumer consumer = builder.build();
        Apps.commandLoop("consumer", line -> {
            switch (line) {
                case "arm in-batch" -> ARMED.set(Arm.IN_BATCH);
                case "arm at-commit" -> ARMED.set(Arm.AT_COMMIT);
                case "arm after-commit" -> ARMED.set(Arm.AFTER_COMMIT);
                default -> {
                    System.out.println("unknown command: " + line);
                    return;
                }
            }
            Apps.marker("ARMED " + line.substring(4));
        });
        consumer.start();
        Apps.marker("READY concurrency=" + concurrency + " streams=" + streams.keySet());
        consumer.run();
    }

    private static void record(Connection tx, Message<FaultItem> m) throws SQLException {
        FaultItem item = m.payload();
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO fault_received "
                + "(msg_id, pos, item_key, seq, content) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, m.id().toString());
            ps.setLong(2, m.position());
            ps.setString(3, item.key());
            ps.setLong(4, item.seq());
            ps.setString(5, item.content());
            ps.executeUpdate();
        }
    }

    /** The parallel-apply scenario's effect: which stream, message, position, key and sequence, under how many lanes. */
    private static void recordLaneEffect(Connection tx, Message<FaultItem> m, int concurrency) throws SQLException {
        FaultItem item = m.payload();
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + LaneKillRun.EFFECTS
                + " (producer, msg_id, pos, msg_key, item_key, seq, lanes) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.producer());
            ps.setString(2, m.id().toString());
            ps.setLong(3, m.position());
            ps.setString(4, m.key().orElse(""));
            ps.setString(5, item.key());
            ps.setLong(6, item.seq());
            ps.setInt(7, concurrency);
            ps.executeUpdate();
        }
    }
}
