package io.strongzero.it.faults;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.StrongZeroConsumer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The consumer test app of the fault tests, run in its own JVM by the driver. Its handler records every
 * {@link FaultItem} in {@code fault_received} (no unique key, so a duplicate effect would show), in the
 * consumer's transaction; the table's identity column numbers the rows in the order they were applied.
 *
 * <p>Arguments ({@code --key=value}): {@code jdbc}, {@code user}, {@code endpoint}, {@code tx-size} (20).
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
    /** Messages handled in the current transaction; handlers and commit run on one thread at a time. */
    private static volatile int handledInTransaction;
    private static volatile Connection currentTransaction;

    private FaultConsumerApp() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Apps.args(args);
        int txSize = Integer.parseInt(a.getOrDefault("tx-size", "20"));
        HikariDataSource pool = Apps.pool(Apps.require(a, "jdbc"), a.get("user"), "faults-consumer", 6);
        HookedDataSource ds = new HookedDataSource(pool, new HookedDataSource.Hook() {
            @Override
            public void beforeCommit() {
                if (handledInTransaction > 0 && ARMED.compareAndSet(Arm.AT_COMMIT, Arm.NONE)) {
                    Apps.marker("AT-COMMIT handled=" + handledInTransaction);
                    Apps.holdUntilKilled();
                }
            }

            @Override
            public void afterCommit() {
                int handled = handledInTransaction;
                handledInTransaction = 0;
                currentTransaction = null;
                if (handled > 0 && ARMED.compareAndSet(Arm.AFTER_COMMIT, Arm.NONE)) {
                    Apps.marker("AFTER-COMMIT handled=" + handled);
                    Apps.holdUntilKilled();
                }
            }

            @Override
            public void afterRollback() {
                handledInTransaction = 0;
                currentTransaction = null;
            }
        });
        StrongZeroConsumer consumer = StrongZeroConsumer.builder().name(Apps.CONSUMER).dataSource(ds)
                .producer(Apps.PRODUCER, Apps.require(a, "endpoint"))
                .longPollWait(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(1))
                .heartbeat(Duration.ofMillis(500)).handshakeTimeout(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .transactionSize(txSize).maxBatchMessages(Math.max(txSize, 200))
                .handler(Apps.TYPE, FaultItem.class, (m, ctx) -> {
                    Connection tx = ctx.connection();
                    if (tx != currentTransaction) {
                        currentTransaction = tx;
                        handledInTransaction = 0;
                    }
                    if (handledInTransaction > 0 && ARMED.compareAndSet(Arm.IN_BATCH, Arm.NONE)) {
                        Apps.marker("IN-BATCH handled=" + handledInTransaction + " position=" + m.position());
                        Apps.holdUntilKilled();
                    }
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
                    handledInTransaction++;
                })
                .build();
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
        Apps.marker("READY");
        consumer.run();
    }
}
