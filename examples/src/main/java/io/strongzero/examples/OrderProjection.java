package io.strongzero.examples;

import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.DeadLetters;
import io.strongzero.consumer.FailureRecord;
import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.IdempotencyGuard;
import io.strongzero.consumer.Message;
import io.strongzero.consumer.MessageHandler;
import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.FlakeId;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * An example consumer that shows the failure handling: retry policies, a type that blocks instead of being
 * parked, a validation failure that is never retried, a side effect outside the database guarded by
 * {@link HandlerContext#once}, and the dead-letter operations. It keeps a table of orders from an
 * {@code orders} stream and e-mails a confirmation for each. See {@code docs/consumer.md}.
 *
 * <p>Thread-safe; {@link #start()} and {@link #close()} control the consumer.
 */
public final class OrderProjection implements AutoCloseable {

    /** The payload of {@code order.placed}. */
    public record Order(long id, String customer, long cents) {
    }

    /** The payload of {@code payment.captured}. */
    public record Payment(long orderId, long cents) {
    }

    /** A payload that breaks a business rule: retrying cannot help. */
    public static final class ValidationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ValidationException(String message) {
            super(message);
        }
    }

    /** Sends e-mails; outside the consumer's database, so not rolled back with it. */
    @FunctionalInterface
    public interface Mail {
        /** {@code idempotencyKey} lets the mail service drop a repeat of the same request. */
        void sendConfirmation(Order order, String idempotencyKey) throws Exception;
    }

    /** Tells people about dead letters. Must be fast and must not throw. */
    @FunctionalInterface
    public interface Alerts {
        void deadLetter(DeadLetter letter);
    }

    private final Mail mail;
    private final StrongZeroConsumer consumer;

    public OrderProjection(DataSource db, String endpoint, Mail mail, Alerts alerts) {
        this.mail = mail;
        DemoTables.create(db, "order_view", "id BIGINT PRIMARY KEY, customer VARCHAR(100) NOT NULL, "
                + "cents BIGINT NOT NULL, paid_cents BIGINT NOT NULL");
        // tag::retries[]
        StrongZeroConsumer consumer = StrongZeroConsumer.builder()
                .name("order-projection")
                .dataSource(db)
                .createSchemaIfMissing(true)
                .producer("orders", endpoint)
                .handler("order.placed", Order.class, this::orderPlaced)
                .handler("payment.captured", Payment.class, this::paymentCaptured)
                .retryPolicy(RetryPolicy.builder()                       // for every type
                        .maxAttempts(8)                                  // attempts in total, including the first
                        .backoff(Duration.ofMillis(200), Duration.ofSeconds(30))
                        .jitter(0.5)                                     // each delay shortened by up to 50 %, at random
                        .nonRetryable(ValidationException.class)         // never retried
                        .build())
                .retryPolicy("payment.captured", RetryPolicy.builder()   // override for one type: strict order,
                        .onExhausted(RetryPolicy.OnExhausted.BLOCK)      // stop the stream instead of parking
                        .build())
                .deadLetterListener(alerts::deadLetter)                  // after a message is parked or blocks
                .build();
        // end::retries[]
        this.consumer = consumer;
    }

    /**
     * The same projection applying up to 16 orders at once, each order's messages in order (the senders give the
     * order id as the key). See docs/consumer.md, "Parallel apply".
     */
    static StrongZeroConsumer.Builder inParallel(DataSource pool, String endpoint, MessageHandler<Order> placed) {
        // tag::parallel[]
        return StrongZeroConsumer.builder()
                .name("order-projection")
                .dataSource(pool)                                // a pool of at least 16 + 1 connections
                .producer("orders", endpoint)
                .concurrency(16)                                 // 1 (the default) to 256 lanes
                .handler("order.placed", Order.class, placed);   // sent with send(type, orderId, payload)
        // end::parallel[]
    }

    // tag::once[]
    private void orderPlaced(Message<Order> message, HandlerContext ctx) throws Exception {
        Order order = message.payload();
        if (order.cents() <= 0) {
            throw new ValidationException("order " + order.id() + " has no amount");   // parked at once
        }
        insertOrder(ctx.connection(), order);            // commits with the offset: exactly once
        IdempotencyGuard.Outcome sent = ctx.once("confirmation-email",                // at most once
                () -> mail.sendConfirmation(order, message.id().toString()));         // the id as idempotency key
        if (sent == IdempotencyGuard.Outcome.IN_DOUBT) {
            // an earlier delivery claimed the e-mail and died before marking it done: it may have been sent
            System.err.println("confirmation for order " + order.id() + " may not have been sent");
        }
    }
    // end::once[]

    private void paymentCaptured(Message<Payment> message, HandlerContext ctx) throws SQLException {
        Payment payment = message.payload();
        try (PreparedStatement ps = ctx.connection().prepareStatement(
                "UPDATE order_view SET paid_cents = paid_cents + ? WHERE id = ?")) {
            ps.setLong(1, payment.cents());
            ps.setLong(2, payment.orderId());
            if (ps.executeUpdate() != 1) {
                throw new NonRetryableException("payment for unknown order " + payment.orderId());
            }
        }
    }

    private static void insertOrder(Connection c, Order order) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO order_view (id, customer, cents, paid_cents) VALUES (?, ?, ?, 0)")) {
            ps.setLong(1, order.id());
            ps.setString(2, order.customer());
            ps.setLong(3, order.cents());
            ps.executeUpdate();
        }
    }

    /**
     * What an operator does with the parked messages of the {@code orders} stream: look at them, replay one
     * once the cause is fixed (or discard it with a reason), replay the rest.
     */
    public static long handleDeadLetters(StrongZeroConsumer consumer, FlakeId id, PrintStream out) {
        // tag::dead-letters[]
        DeadLetters dlq = consumer.deadLetters();
        for (DeadLetter letter : dlq.list("orders", null, DeadLetter.Status.PARKED, 100)) { // producer, type, status, limit
            FailureRecord last = letter.errors().get(letter.errors().size() - 1);         // one record per attempt
            out.println(letter.id() + " " + letter.type() + " failed " + letter.attempts() + " times: "
                    + last.exceptionClass() + ": " + last.message());
        }
        DeadLetters.ReplayResult result = dlq.replay("orders", id);   // the current handler; on success the row goes
        if (!result.applied()) {
            dlq.discard("orders", id, "order cancelled by support, nothing to do");   // kept as DISCARDED, with reason
        }
        dlq.replayAll("orders");                                      // every open one, in position order
        long open = dlq.count();                                      // open dead letters: for health checks
        // end::dead-letters[]
        return open;
    }

    /** Starts consuming. */
    public OrderProjection start() {
        consumer.start();
        return this;
    }

    public StrongZeroConsumer consumer() {
        return consumer;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
