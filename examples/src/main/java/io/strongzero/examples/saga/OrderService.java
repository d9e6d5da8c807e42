package io.strongzero.examples.saga;

import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.Message;
import io.strongzero.core.FlakeId;
import io.strongzero.examples.saga.Events.OrderApproved;
import io.strongzero.examples.saga.Events.OrderCancelled;
import io.strongzero.examples.saga.Events.OrderCreated;
import io.strongzero.examples.saga.Events.TicketApproved;
import io.strongzero.examples.saga.Events.TicketRejected;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Owns orders. Starts the saga (an order is placed PENDING and {@code order.created} published) and ends it:
 * {@code ticket.approved} approves the order, {@code ticket.rejected} cancels it.
 *
 * <p>Lifecycle: the constructor creates the tables and starts serving the {@code order-service} stream;
 * {@link #subscribe} starts consuming the kitchen's stream; {@link #close()} stops both. Thread-safe.
 */
public final class OrderService extends SagaService {

    private static final StepTable ORDERS = new StepTable("order", "orders", "id");

    /** Creates the tables and serves the order-service stream on {@code bind} (for example {@code tcp://127.0.0.1:*}). */
    public OrderService(DataSource db, String bind) {
        super(Events.ORDER_SERVICE, db, bind, (c, s) -> s.execute(
                "CREATE TABLE IF NOT EXISTS orders (id BIGINT PRIMARY KEY, customer_id VARCHAR(64) NOT NULL, "
                        + "items VARCHAR(1000) NOT NULL, state VARCHAR(16) NOT NULL, reason VARCHAR(300))"),
                Events.KITCHEN_SERVICE);
    }

    /** Starts consuming the kitchen's stream. */
    public void subscribe(String kitchenEndpoint) {
        subscribed(Saga.consumer(Events.ORDER_SERVICE, db)
                .producer(Events.KITCHEN_SERVICE, kitchenEndpoint)
                .handler(Events.TICKET_APPROVED, TicketApproved.class, this::approveOrder)
                .handler(Events.TICKET_REJECTED, TicketRejected.class, this::cancelOrder)
                .handler(Events.TICKET_CREATED, Object.class, Saga.IGNORE)
                .build()
                .start());
    }

    /**
     * Step 1: stores the order as PENDING and publishes {@code order.created}, in one local transaction. The
     * order id comes with the request, so a retried request cannot create a second order.
     *
     * @return false if an order with this id exists already (nothing was changed or published)
     */
    // tag::place-order[]
    public boolean placeOrder(long orderId, String customerId, List<String> items) {
        try {
            return sender.inTransaction(tx -> {
                Saga.update(tx, "INSERT INTO orders (id, customer_id, items, state) VALUES (?, ?, ?, 'PENDING')",
                        orderId, customerId, String.join(",", items));
                FlakeId event = sender.send(tx, Events.ORDER_CREATED, new OrderCreated(orderId, customerId, items));
                SagaLog.record(tx, null, orderId, "order " + orderId + " PENDING", Events.ORDER_CREATED, event);
                return true;
            });                                            // commits, then wakes this service's pump
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SQLException sql && Saga.isDuplicate(sql)) {
                return false;                              // the same request again: rolled back, nothing sent
            }
            throw e;
        }
    }
    // end::place-order[]

    /** Step 5, happy path: the kitchen approved the ticket, so the order is approved. */
    private void approveOrder(Message<TicketApproved> message, HandlerContext ctx) throws SQLException {
        long orderId = message.payload().orderId();
        settle(ctx, message, ORDERS, orderId, "APPROVED", null, Events.ORDER_APPROVED, new OrderApproved(orderId));
    }

    /** Step 5, compensation: the kitchen rejected the ticket, so the order is cancelled. */
    private void cancelOrder(Message<TicketRejected> message, HandlerContext ctx) throws SQLException {
        TicketRejected rejected = message.payload();
        settle(ctx, message, ORDERS, rejected.orderId(), "CANCELLED", rejected.reason(), Events.ORDER_CANCELLED,
                new OrderCancelled(rejected.orderId(), rejected.reason()));
    }

    /** The order's state ({@code PENDING}, {@code APPROVED}, {@code CANCELLED}), or null if there is no such order. */
    public String state(long orderId) {
        return read("order " + orderId, "SELECT state FROM orders WHERE id = ?", orderId);
    }
}
