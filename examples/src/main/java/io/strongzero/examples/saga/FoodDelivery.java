package io.strongzero.examples.saga;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The three saga services in one JVM, each on a database of its own, wired to each other's streams over
 * loopback TCP. The demo and the tests use it; in production each service is a process of its own (see
 * {@link SagaServiceMain}). Closes the services and their databases.
 */
public final class FoodDelivery implements AutoCloseable {

    private final List<HikariDataSource> databases;
    private final OrderService orders;
    private final KitchenService kitchen;
    private final ConsumerService consumers;

    /** Starts the services on three fresh H2 in-memory databases. */
    public static FoodDelivery inMemory() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return new FoodDelivery(
                Saga.pool("jdbc:h2:mem:order-service-" + run + ";DB_CLOSE_DELAY=-1"),
                Saga.pool("jdbc:h2:mem:kitchen-service-" + run + ";DB_CLOSE_DELAY=-1"),
                Saga.pool("jdbc:h2:mem:consumer-service-" + run + ";DB_CLOSE_DELAY=-1"));
    }

    /** Starts the services on the given databases, which it closes on {@link #close()}. */
    public FoodDelivery(HikariDataSource orderDb, HikariDataSource kitchenDb, HikariDataSource consumerDb) {
        this.databases = List.of(orderDb, kitchenDb, consumerDb);
        // Every service serves its own stream first, so that the endpoints are known ...
        orders = new OrderService(orderDb, "tcp://127.0.0.1:*");
        kitchen = new KitchenService(kitchenDb, "tcp://127.0.0.1:*");
        consumers = new ConsumerService(consumerDb, "tcp://127.0.0.1:*");
        // ... then subscribes to the streams it reacts to.
        orders.subscribe(kitchen.endpoint());
        kitchen.subscribe(orders.endpoint(), consumers.endpoint());
        consumers.subscribe(kitchen.endpoint());
    }

    public OrderService orders() {
        return orders;
    }

    public KitchenService kitchen() {
        return kitchen;
    }

    public ConsumerService consumers() {
        return consumers;
    }

    /**
     * Waits (polling every 10 ms) until the order is APPROVED or CANCELLED; returns its state, or PENDING (or
     * null for an unknown order) if the timeout passed first.
     */
    public String awaitOutcome(long orderId, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String state = orders.state(orderId);
        while (!isFinal(state) && System.nanoTime() < end) {
            Thread.sleep(10);
            state = orders.state(orderId);
        }
        return state;
    }

    static boolean isFinal(String orderState) {
        return "APPROVED".equals(orderState) || "CANCELLED".equals(orderState);
    }

    /** The committed steps of one order's saga, in order, across the three services. */
    public List<SagaLog.Step> flow(long orderId) {
        List<SagaLog.Step> all = new ArrayList<>(SagaLog.steps(orders.db(), Events.ORDER_SERVICE));
        all.addAll(SagaLog.steps(kitchen.db(), Events.KITCHEN_SERVICE));
        all.addAll(SagaLog.steps(consumers.db(), Events.CONSUMER_SERVICE));
        return SagaLog.flow(orderId, all);
    }

    /** Closes the services (consumers first), then the databases. Idempotent. */
    @Override
    public void close() {
        consumers.close();
        kitchen.close();
        orders.close();
        databases.forEach(HikariDataSource::close);
    }
}
