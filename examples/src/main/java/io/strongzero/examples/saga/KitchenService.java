package io.strongzero.examples.saga;

import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.Message;
import io.strongzero.core.FlakeId;
import io.strongzero.examples.saga.Events.ConsumerVerificationFailed;
import io.strongzero.examples.saga.Events.ConsumerVerified;
import io.strongzero.examples.saga.Events.OrderCreated;
import io.strongzero.examples.saga.Events.TicketApproved;
import io.strongzero.examples.saga.Events.TicketCreated;
import io.strongzero.examples.saga.Events.TicketRejected;
import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Owns tickets. {@code order.created} creates a PENDING ticket; the consumer service's verdict approves
 * ({@code consumer.verified}) or rejects ({@code consumer.verification-failed}) it.
 *
 * <p>Lifecycle: the constructor creates the tables and starts serving the {@code kitchen-service} stream;
 * {@link #subscribe} starts consuming the order and consumer services' streams; {@link #close()} stops both.
 * Thread-safe.
 */
public final class KitchenService extends SagaService {

    private static final StepTable TICKETS = new StepTable("ticket", "tickets", "order_id");

    private final Duration stepWork;

    /** Creates the tables and serves the kitchen-service stream on {@code bind}. */
    public KitchenService(DataSource db, String bind) {
        this(db, bind, Duration.ZERO);
    }

    /**
     * Like {@link #KitchenService(DataSource, String)}, with {@code stepWork} of simulated work inside each
     * step's transaction (the crash test uses it so that a kill lands while a step's transaction is open).
     */
    public KitchenService(DataSource db, String bind, Duration stepWork) {
        super(Events.KITCHEN_SERVICE, db, bind, (c, s) -> s.execute(
                "CREATE TABLE IF NOT EXISTS tickets (order_id BIGINT PRIMARY KEY, customer_id VARCHAR(64) NOT NULL, "
                        + "items VARCHAR(1000) NOT NULL, state VARCHAR(16) NOT NULL, reason VARCHAR(300))"),
                Events.ORDER_SERVICE, Events.CONSUMER_SERVICE);
        this.stepWork = Objects.requireNonNull(stepWork, "stepWork");
    }

    /** Starts consuming the order service's and the consumer service's streams. */
    // tag::subscribe[]
    public void subscribe(String orderServiceEndpoint, String consumerServiceEndpoint) {
        subscribed(Saga.consumer(Events.KITCHEN_SERVICE, db)   // the same database as this service's journal
                .producer(Events.ORDER_SERVICE, orderServiceEndpoint)
                .producer(Events.CONSUMER_SERVICE, consumerServiceEndpoint)
                .handler(Events.ORDER_CREATED, OrderCreated.class, this::createTicket)
                .handler(Events.CONSUMER_VERIFIED, ConsumerVerified.class, this::approveTicket)
                .handler(Events.CONSUMER_VERIFICATION_FAILED, ConsumerVerificationFailed.class, this::rejectTicket)
                .handler(Events.ORDER_APPROVED, Object.class, Saga.IGNORE)    // on the stream, not our business
                .handler(Events.ORDER_CANCELLED, Object.class, Saga.IGNORE)
                .build()
                .start());
    }
    // end::subscribe[]

    /** Step 2: an order was created, so the kitchen creates a PENDING ticket for it and says so. */
    // tag::step[]
    private void createTicket(Message<OrderCreated> message, HandlerContext ctx) throws Exception {
        Connection tx = ctx.connection();                  // the consumer's open transaction
        if (SagaLog.alreadyApplied(tx, message)) {
            return;                                        // a re-delivered trigger: this step committed before
        }
        OrderCreated order = message.payload();
        Saga.update(tx, "INSERT INTO tickets (order_id, customer_id, items, state) VALUES (?, ?, ?, 'PENDING')",
                order.orderId(), order.customerId(), String.join(",", order.items()));
        FlakeId event = sender.send(tx, Events.TICKET_CREATED,  // the step's event: a journal row, same transaction
                new TicketCreated(order.orderId(), order.customerId(), order.items()));
        SagaLog.record(tx, message, order.orderId(), "ticket " + order.orderId() + " PENDING", Events.TICKET_CREATED,
                event);
        ctx.afterCommit(sender::updated);                  // wake this service's pump once it committed
        work();
    }   // the consumer commits the ticket, the event, the step record and its offset together, or none of them
    // end::step[]

    /** Step 4, happy path: the customer may eat it, so the ticket is approved. */
    private void approveTicket(Message<ConsumerVerified> message, HandlerContext ctx) throws Exception {
        long orderId = message.payload().orderId();
        if (settle(ctx, message, TICKETS, orderId, "APPROVED", null, Events.TICKET_APPROVED,
                new TicketApproved(orderId))) {
            work();
        }
    }

    /** Step 4, compensation: the customer may not eat it, so the ticket is rejected. */
    private void rejectTicket(Message<ConsumerVerificationFailed> message, HandlerContext ctx) throws Exception {
        ConsumerVerificationFailed failed = message.payload();
        if (settle(ctx, message, TICKETS, failed.orderId(), "REJECTED", failed.reason(), Events.TICKET_REJECTED,
                new TicketRejected(failed.orderId(), failed.reason()))) {
            work();
        }
    }

    private void work() throws InterruptedException {
        if (!stepWork.isZero()) {
            Thread.sleep(stepWork.toMillis());             // simulated cooking logistics, inside the transaction
        }
    }

    /** The ticket's state ({@code PENDING}, {@code APPROVED}, {@code REJECTED}), or null if there is none. */
    public String state(long orderId) {
        return read("the ticket of order " + orderId, "SELECT state FROM tickets WHERE order_id = ?", orderId);
    }
}
