package io.strongzero.examples.saga;

import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.Message;
import io.strongzero.examples.saga.Events.ConsumerVerificationFailed;
import io.strongzero.examples.saga.Events.ConsumerVerified;
import io.strongzero.examples.saga.Events.TicketCreated;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Owns consumers, the people who order food (the name comes from the classic food-delivery saga; it has
 * nothing to do with StrongZero consumers). On {@code ticket.created} it checks the dishes against the
 * customer's preferences (vegetarian, allergies) and publishes {@code consumer.verified} or
 * {@code consumer.verification-failed}.
 *
 * <p>Seeded customers: {@code alice} is vegetarian, {@code bob} is allergic to peanuts, {@code carol} to
 * gluten. Lifecycle as {@link OrderService}. Thread-safe.
 */
public final class ConsumerService extends SagaService {

    /** A dish on the menu: whether it has meat, and its allergens. */
    record Dish(boolean meat, Set<String> allergens) {
    }

    static final Map<String, Dish> MENU = Map.of(
            "margherita", new Dish(false, Set.of("gluten", "milk")),
            "green salad", new Dish(false, Set.of()),
            "chicken satay", new Dish(true, Set.of("peanuts")),
            "beef burger", new Dish(true, Set.of("gluten")),
            "pad thai", new Dish(false, Set.of("peanuts", "egg")));

    /** Creates (and seeds) the tables and serves the consumer-service stream on {@code bind}. */
    public ConsumerService(DataSource db, String bind) {
        super(Events.CONSUMER_SERVICE, db, bind, (c, s) -> {
            s.execute("CREATE TABLE IF NOT EXISTS customers (id VARCHAR(64) PRIMARY KEY, vegetarian BOOLEAN NOT NULL, "
                    + "allergies VARCHAR(300) NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS verifications (order_id BIGINT PRIMARY KEY, customer_id VARCHAR(64) "
                    + "NOT NULL, verdict VARCHAR(16) NOT NULL, reason VARCHAR(300))");
            seed(c, "alice", true, "");
            seed(c, "bob", false, "peanuts");
            seed(c, "carol", false, "gluten");
        }, Events.KITCHEN_SERVICE);
    }

    private static void seed(Connection c, String id, boolean vegetarian, String allergies) throws SQLException {
        if (Saga.queryString(c, "SELECT id FROM customers WHERE id = ?", id) == null) {
            Saga.update(c, "INSERT INTO customers (id, vegetarian, allergies) VALUES (?, ?, ?)", id, vegetarian, allergies);
        }
    }

    /** Starts consuming the kitchen's stream. */
    public void subscribe(String kitchenEndpoint) {
        subscribed(Saga.consumer(Events.CONSUMER_SERVICE, db)
                .producer(Events.KITCHEN_SERVICE, kitchenEndpoint)
                .handler(Events.TICKET_CREATED, TicketCreated.class, this::verify)
                .handler(Events.TICKET_APPROVED, Object.class, Saga.IGNORE)
                .handler(Events.TICKET_REJECTED, Object.class, Saga.IGNORE)
                .build()
                .start());
    }

    /** Step 3: checks the ticket's dishes against the customer's preferences and publishes the verdict. */
    private void verify(Message<TicketCreated> message, HandlerContext ctx) throws SQLException {
        Connection tx = ctx.connection();
        if (SagaLog.alreadyApplied(tx, message)) {
            return;
        }
        TicketCreated ticket = message.payload();
        String problem = problem(tx, ticket.customerId(), ticket.items());
        Saga.update(tx, "INSERT INTO verifications (order_id, customer_id, verdict, reason) VALUES (?, ?, ?, ?)",
                ticket.orderId(), ticket.customerId(), problem == null ? "OK" : "FAILED", problem);
        if (problem == null) {
            String outcome = ticket.customerId() + " may eat " + String.join(" and ", ticket.items());
            publish(ctx, message, ticket.orderId(), outcome, Events.CONSUMER_VERIFIED,
                    new ConsumerVerified(ticket.orderId(), ticket.customerId()));
        } else {
            publish(ctx, message, ticket.orderId(), problem, Events.CONSUMER_VERIFICATION_FAILED,
                    new ConsumerVerificationFailed(ticket.orderId(), ticket.customerId(), problem));
        }
    }

    /** Why the customer may not have these dishes, or null if they may. */
    private static String problem(Connection tx, String customerId, List<String> items) throws SQLException {
        boolean vegetarian;
        Set<String> allergies;
        try (PreparedStatement ps = tx.prepareStatement("SELECT vegetarian, allergies FROM customers WHERE id = ?")) {
            ps.setString(1, customerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "unknown customer " + customerId;
                }
                vegetarian = rs.getBoolean(1);
                allergies = Arrays.stream(rs.getString(2).split(",")).map(String::trim).filter(a -> !a.isEmpty())
                        .collect(Collectors.toSet());
            }
        }
        for (String item : items) {
            Dish dish = MENU.get(item);
            if (dish == null) {
                return item + " is not on the menu";
            }
            if (vegetarian && dish.meat()) {
                return customerId + " is vegetarian and " + item + " has meat";
            }
            for (String allergen : dish.allergens()) {
                if (allergies.contains(allergen)) {
                    return customerId + " is allergic to " + allergen + " in " + item;
                }
            }
        }
        return null;
    }

    /** The verdict for an order ({@code OK} or {@code FAILED}), or null if there is none yet. */
    public String verdict(long orderId) {
        return read("the verdict for order " + orderId, "SELECT verdict FROM verifications WHERE order_id = ?", orderId);
    }
}
