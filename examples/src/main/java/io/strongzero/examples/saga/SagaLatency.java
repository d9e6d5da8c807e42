package io.strongzero.examples.saga;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures how long a saga takes from the order request to the order's final state (four hops: order,
 * kitchen, consumer, kitchen, order), one order at a time after 20 warm-up orders, with the three services
 * in one JVM on H2 ({@link FoodDelivery#inMemory()}). The outcome is read every 10 ms, so figures are
 * rounded up to that. Run: {@code mvn -B -q -pl examples -am -DskipTests -Psaga-latency verify
 * -Dsaga.orders=200}.
 */
public final class SagaLatency {

    private SagaLatency() {
    }

    public static void main(String[] args) throws Exception {
        int orders = Integer.parseInt(args.length > 0 ? args[0] : "200");
        if (orders < 1) {
            throw new IllegalArgumentException("the number of orders must be at least 1 but was " + orders);
        }
        int warmUp = 20;
        long[] millis = new long[orders];
        try (FoodDelivery app = FoodDelivery.inMemory()) {
            for (int i = 0; i < warmUp + orders; i++) {
                long id = 1_000 + i;
                long t0 = System.nanoTime();
                app.orders().placeOrder(id, "alice", List.of("margherita"));
                String state = app.awaitOutcome(id, Duration.ofSeconds(30));
                long elapsed = (System.nanoTime() - t0) / 1_000_000;
                if (!"APPROVED".equals(state)) {
                    throw new IllegalStateException("order " + id + " ended " + state + ", expected APPROVED");
                }
                if (i >= warmUp) {
                    millis[i - warmUp] = elapsed;
                }
            }
        }
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "saga latency, order request -> final state, %d orders: p50 %d ms, p90 %d ms, "
                + "max %d ms%n", orders, millis[orders / 2], millis[orders * 9 / 10], millis[orders - 1]);
    }
}
