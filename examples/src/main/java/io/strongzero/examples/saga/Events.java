package io.strongzero.examples.saga;

import java.util.List;

/**
 * The contract between the three services of the food-delivery saga: the stream each service publishes
 * (named after the service), the message types on it and their payloads. Each service publishes events
 * about its own objects only and reacts to the events of the others; there is no orchestrator.
 *
 * <pre>
 * order-service     order.created    order.approved      order.cancelled
 * kitchen-service   ticket.created   ticket.approved     ticket.rejected
 * consumer-service  consumer.verified                    consumer.verification-failed
 * </pre>
 */
public final class Events {

    /** The stream of {@link OrderService}, and the name of its StrongZero consumer. */
    public static final String ORDER_SERVICE = "order-service";
    /** The stream of {@link KitchenService}, and the name of its StrongZero consumer. */
    public static final String KITCHEN_SERVICE = "kitchen-service";
    /** The stream of {@link ConsumerService}, and the name of its StrongZero consumer. */
    public static final String CONSUMER_SERVICE = "consumer-service";

    public static final String ORDER_CREATED = "order.created";
    public static final String ORDER_APPROVED = "order.approved";
    public static final String ORDER_CANCELLED = "order.cancelled";
    public static final String TICKET_CREATED = "ticket.created";
    public static final String TICKET_APPROVED = "ticket.approved";
    public static final String TICKET_REJECTED = "ticket.rejected";
    public static final String CONSUMER_VERIFIED = "consumer.verified";
    public static final String CONSUMER_VERIFICATION_FAILED = "consumer.verification-failed";

    /** A customer placed an order; it is PENDING until the kitchen and the customer checks agree. */
    public record OrderCreated(long orderId, String customerId, List<String> items) {
    }

    /** The order is approved: the saga succeeded. */
    public record OrderApproved(long orderId) {
    }

    /** The order is cancelled: the saga was compensated. */
    public record OrderCancelled(long orderId, String reason) {
    }

    /** The kitchen created a PENDING ticket for an order. */
    public record TicketCreated(long orderId, String customerId, List<String> items) {
    }

    /** The kitchen approved the ticket: it will cook. */
    public record TicketApproved(long orderId) {
    }

    /** The kitchen rejected the ticket (compensation): it will not cook. */
    public record TicketRejected(long orderId, String reason) {
    }

    /** The customer may eat everything on the ticket. */
    public record ConsumerVerified(long orderId, String customerId) {
    }

    /** The customer's preferences rule the order out (or the customer is unknown). */
    public record ConsumerVerificationFailed(long orderId, String customerId, String reason) {
    }

    private Events() {
    }
}
