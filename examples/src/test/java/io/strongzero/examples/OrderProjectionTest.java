package io.strongzero.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.DeadLetter;
import io.strongzero.core.FlakeId;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import io.strongzero.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the failure-handling example of docs/consumer.md and the README. */
class OrderProjectionTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void invalidOrdersAreParkedAtOnceEmailsGoOutOnceAndTheOperatorRoutineClearsTheDeadLetters() throws Exception {
        String run = UUID.randomUUID().toString();
        List<Long> mailed = new CopyOnWriteArrayList<>();
        List<DeadLetter> alerts = new CopyOnWriteArrayList<>();
        try (HikariDataSource producerDb = UserSyncDemo.pool("jdbc:h2:mem:orders-" + run + ";DB_CLOSE_DELAY=-1", null);
             HikariDataSource consumerDb = UserSyncDemo.pool("jdbc:h2:mem:view-" + run + ";DB_CLOSE_DELAY=-1", null);
             StrongZeroProducer producer = StrongZeroProducer.builder().dataSource(producerDb)
                     .pump(PumpConfig.builder().name("orders").createSchemaIfMissing(true).build()).bind("tcp://127.0.0.1:*").build().start();
             StrongZeroSender sender = StrongZeroSender.builder().producer(producer).dataSource(producerDb).build();
             OrderProjection projection = new OrderProjection(consumerDb, producer.endpoints().get(0),
                     (order, key) -> mailed.add(order.id()), alerts::add).start()) {
            sender.inTransaction(c -> sender.send(c, "order.placed", new OrderProjection.Order(1, "alice", 1200)));
            FlakeId invalid = sender.inTransaction(c -> sender.send(c, "order.placed",
                    new OrderProjection.Order(2, "bob", 0)));
            sender.inTransaction(c -> sender.send(c, "payment.captured", new OrderProjection.Payment(1, 1200)));

            Await.until(Duration.ofSeconds(10), "all three messages to be taken",
                    () -> projection.consumer().position("orders") == 3, () -> projection.consumer().position("orders"));
            assertEquals(List.of(1L), mailed, "one e-mail for the valid order");
            assertEquals(1, alerts.size(), "the invalid order was parked and alerted");
            assertEquals(1, alerts.get(0).attempts(), "a validation failure is not retried");
            assertEquals(invalid, alerts.get(0).id());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long open = OrderProjection.handleDeadLetters(projection.consumer(), invalid,
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, open, "replay failed again, so the letter was discarded");
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("order.placed failed 1 times: " + OrderProjection.ValidationException.class.getName()
                    + ": order 2 has no amount"), printed);
            assertEquals(DeadLetter.Status.DISCARDED,
                    projection.consumer().deadLetters().get("orders", invalid).orElseThrow().status());
            assertEquals(List.of(1L), mailed, "nothing was mailed twice");
        }
    }
}
