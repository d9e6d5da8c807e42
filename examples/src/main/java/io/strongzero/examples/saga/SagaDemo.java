package io.strongzero.examples.saga;

import java.time.Duration;
import java.util.List;

/**
 * Runs the food-delivery saga twice on H2 and prints what happened: a happy path (alice orders a
 * margherita and a green salad: approved) and a compensation (bob, allergic to peanuts, orders chicken
 * satay: the ticket is rejected and the order cancelled). Exits non-zero unless both end as expected.
 *
 * <pre>mvn -B -q -pl examples -am -DskipTests -Psaga verify</pre>
 */
public final class SagaDemo {

    /** One saga the demo runs. */
    record Order(long id, String customer, List<String> items, String expectedState) {
    }

    static final List<Order> ORDERS = List.of(
            new Order(1, "alice", List.of("margherita", "green salad"), "APPROVED"),
            new Order(2, "bob", List.of("chicken satay"), "CANCELLED"));

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.log.io.strongzero") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.strongzero", "warn"); // the flow, not lifecycle logs
        }
        boolean ok;
        try (FoodDelivery app = FoodDelivery.inMemory()) {
            ok = run(app, Duration.ofSeconds(30));
        }
        System.exit(ok ? 0 : 1);
    }

    /** Places the demo's orders, waits for their outcomes and prints each saga; true if all ended as expected. */
    static boolean run(FoodDelivery app, Duration timeout) throws InterruptedException {
        System.out.println("Food-delivery saga: order-service, kitchen-service and consumer-service, each with its own"
                + " H2 database, each a StrongZero producer of its events and consumer of the others'.");
        for (Order o : ORDERS) {
            app.orders().placeOrder(o.id(), o.customer(), o.items());
        }
        boolean ok = true;
        for (Order o : ORDERS) {
            String state = app.awaitOutcome(o.id(), timeout);
            System.out.println();
            System.out.println("Order " + o.id() + ": " + o.customer() + " orders " + String.join(" and ", o.items()));
            int n = 1;
            for (SagaLog.Step s : app.flow(o.id())) {
                System.out.printf("  %d. %-16s %-32s -> %-43s => %s%n", n++, s.service(),
                        s.triggerId() == null ? "(request)" : "on " + s.triggerType(), s.outcome(), s.eventType());
            }
            System.out.println("  final: order " + state + ", ticket " + app.kitchen().state(o.id())
                    + ", verification " + app.consumers().verdict(o.id()));
            if (!o.expectedState().equals(state)) {
                System.out.println("  UNEXPECTED: the order should be " + o.expectedState());
                ok = false;
            }
        }
        System.out.println();
        System.out.println("Each step is one local transaction in its service's database: the state change, the"
                + " published event (a journal row) and the triggering message's offset commit together.");
        System.out.println(ok ? "saga demo: both paths ended as expected" : "saga demo: FAILED");
        return ok;
    }

    private SagaDemo() {
    }
}
