package io.strongzero.examples.saga;

import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.Message;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.FlakeId;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What the three saga services have in common: one database, the stream the service serves (a producer and
 * its sender) and the consumer of the streams it reacts to.
 *
 * <p>Lifecycle: the constructor creates the service's tables and starts serving its stream; the subclass's
 * {@code subscribe} starts consuming (through {@link #subscribed}); {@link #close()} stops both. Thread-safe.
 */
public abstract class SagaService implements AutoCloseable {

    /** Creates a service's own tables (idempotent: {@code CREATE TABLE IF NOT EXISTS}). */
    @FunctionalInterface
    protected interface Tables {
        void create(Connection c, Statement s) throws SQLException;
    }

    private final String name;
    /** This service's database: its state, its journal and its consumer's offsets. */
    protected final DataSource db;
    /** Publishes this service's events, in the caller's transaction. */
    protected final StrongZeroSender sender;
    private final StrongZeroProducer producer;
    private volatile StrongZeroConsumer consumer;

    /**
     * Creates the service's tables and the saga log, and serves the stream {@code name} on {@code bind} (for
     * example {@code tcp://127.0.0.1:*}) for the consumers {@code readers} (retention waits for them).
     */
    protected SagaService(String name, DataSource db, String bind, Tables tables, String... readers) {
        this.name = Objects.requireNonNull(name, "name");
        this.db = Objects.requireNonNull(db, "db");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            tables.create(c, s);
            SagaLog.createTable(c);
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": cannot create its tables: " + e.getMessage(), e);
        }
        producer = StrongZeroProducer.builder()
                .dataSource(db)
                .pump(PumpConfig.builder().name(name).createSchemaIfMissing(true)
                        .pollInterval(Saga.PUMP_POLL_INTERVAL).build())
                .bind(bind)
                .build()
                .start();
        for (String reader : readers) {
            producer.registerConsumer(reader);
        }
        sender = StrongZeroSender.builder().producer(producer).dataSource(db).build();
    }

    /** Keeps the consumer the subclass's {@code subscribe} started, to close it with the service. */
    protected final void subscribed(StrongZeroConsumer started) {
        consumer = Objects.requireNonNull(started, "started");
    }

    /**
     * Ends a step: publishes its event in the consumer's transaction, records the step in the saga log and wakes
     * this service's pump once the transaction committed ({@code KitchenService.createTicket} spells the three out).
     */
    protected final void publish(HandlerContext ctx, Message<?> trigger, long orderId, String outcome, String type,
            Object event) throws SQLException {
        FlakeId id = sender.send(ctx.connection(), type, event);
        SagaLog.record(ctx.connection(), trigger, orderId, outcome, type, id);
        ctx.afterCommit(sender::updated);
    }

    /** A service's table of saga rows, keyed by order: {@code what} names one of its rows in a step's outcome. */
    protected record StepTable(String what, String name, String keyColumn) {
    }

    /**
     * A step that settles a PENDING row: unless {@code trigger} was applied before, moves the row of {@code orderId}
     * in {@code table} to {@code state}, stores {@code reason} unless it is null and {@link #publish publishes}
     * {@code event} as {@code type}, with the outcome "<i>what orderId state</i>", in the consumer's transaction.
     *
     * @return false if the trigger was applied before (nothing was done)
     */
    protected final boolean settle(HandlerContext ctx, Message<?> trigger, StepTable table, long orderId, String state,
            String reason, String type, Object event) throws SQLException {
        Connection tx = ctx.connection();
        if (SagaLog.alreadyApplied(tx, trigger)) {
            return false;
        }
        Saga.transition(tx, table.name(), table.keyColumn(), orderId, "PENDING", state);
        if (reason != null) {
            Saga.update(tx, "UPDATE " + table.name() + " SET reason = ? WHERE " + table.keyColumn() + " = ?", reason,
                    orderId);
        }
        publish(ctx, trigger, orderId, table.what() + " " + orderId + " " + state, type, event);
        return true;
    }

    /** The first column of the first row of {@code sql} with the one parameter {@code key}, or null. */
    protected final String read(String what, String sql, long key) {
        try (Connection c = db.getConnection()) {
            return Saga.queryString(c, sql, key);
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** The endpoint this service's stream is served on. */
    public String endpoint() {
        return producer.endpoints().get(0);
    }

    /** This service's StrongZero consumer (null before {@code subscribe}). */
    public StrongZeroConsumer consumer() {
        return consumer;
    }

    /** This service's producer. */
    public StrongZeroProducer producer() {
        return producer;
    }

    /** This service's database. */
    public DataSource db() {
        return db;
    }

    /** Stops consuming first (the step in flight commits or rolls back), then stops serving. Idempotent. */
    @Override
    public void close() {
        StrongZeroConsumer c = consumer;
        if (c != null) {
            c.close();
        }
        sender.close();
        producer.close();
    }
}
