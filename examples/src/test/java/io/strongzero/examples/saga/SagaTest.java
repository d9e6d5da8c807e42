package io.strongzero.examples.saga;

import static io.strongzero.examples.saga.Events.CONSUMER_SERVICE;
import static io.strongzero.examples.saga.Events.CONSUMER_VERIFICATION_FAILED;
import static io.strongzero.examples.saga.Events.CONSUMER_VERIFIED;
import static io.strongzero.examples.saga.Events.KITCHEN_SERVICE;
import static io.strongzero.examples.saga.Events.ORDER_APPROVED;
import static io.strongzero.examples.saga.Events.ORDER_CANCELLED;
import static io.strongzero.examples.saga.Events.ORDER_CREATED;
import static io.strongzero.examples.saga.Events.ORDER_SERVICE;
import static io.strongzero.examples.saga.Events.TICKET_APPROVED;
import static io.strongzero.examples.saga.Events.TICKET_CREATED;
import static io.strongzero.examples.saga.Events.TICKET_REJECTED;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.testing.Await;
import io.strongzero.testing.JavaProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SagaTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void approvesTheOrderOnTheHappyPathAndCancelsItWhenVerificationFails() throws Exception {
        try (FoodDelivery app = FoodDelivery.inMemory()) {
            assertTrue(app.orders().placeOrder(1, "alice", List.of("margherita", "green salad")));
            assertTrue(app.orders().placeOrder(2, "bob", List.of("chicken satay")));
            assertFalse(app.orders().placeOrder(1, "alice", List.of("beef burger")), "a repeated request places nothing");

            assertEquals("APPROVED", app.awaitOutcome(1, WAIT));
            assertEquals("CANCELLED", app.awaitOutcome(2, WAIT));
            assertAll(
                    () -> assertEquals("APPROVED", app.kitchen().state(1)),
                    () -> assertEquals("REJECTED", app.kitchen().state(2)),
                    () -> assertEquals("OK", app.consumers().verdict(1)),
                    () -> assertEquals("FAILED", app.consumers().verdict(2)),
                    () -> assertEquals(List.of(ORDER_CREATED, TICKET_CREATED, CONSUMER_VERIFIED, TICKET_APPROVED,
                            ORDER_APPROVED), published(app.flow(1))),
                    () -> assertEquals(List.of(ORDER_SERVICE, KITCHEN_SERVICE, CONSUMER_SERVICE, KITCHEN_SERVICE,
                            ORDER_SERVICE), app.flow(1).stream().map(SagaLog.Step::service).toList()),
                    () -> assertEquals(List.of(ORDER_CREATED, TICKET_CREATED, CONSUMER_VERIFICATION_FAILED,
                            TICKET_REJECTED, ORDER_CANCELLED), published(app.flow(2))),
                    () -> assertEquals("bob is allergic to peanuts in chicken satay", app.flow(2).get(2).outcome()),
                    () -> assertEquals(Map.of(ORDER_CREATED, 2L, ORDER_APPROVED, 1L, ORDER_CANCELLED, 1L),
                            journal(app.orders().db())),
                    () -> assertEquals(Map.of(TICKET_CREATED, 2L, TICKET_APPROVED, 1L, TICKET_REJECTED, 1L),
                            journal(app.kitchen().db())),
                    () -> assertEquals(Map.of(CONSUMER_VERIFIED, 1L, CONSUMER_VERIFICATION_FAILED, 1L),
                            journal(app.consumers().db())),
                    () -> assertEquals(0, app.orders().consumer().deadLetters().count()),
                    () -> assertEquals(0, app.kitchen().consumer().deadLetters().count()),
                    () -> assertEquals(0, app.consumers().consumer().deadLetters().count()));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void demoPrintsBothPathsAndSucceeds() throws Exception {
        try (FoodDelivery app = FoodDelivery.inMemory()) {
            assertTrue(SagaDemo.run(app, WAIT));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void redeliveredEventsChangeNothing() throws Exception {
        try (FoodDelivery app = FoodDelivery.inMemory()) {
            app.orders().placeOrder(1, "alice", List.of("margherita"));
            app.orders().placeOrder(2, "carol", List.of("margherita"));      // gluten: cancelled
            assertEquals("APPROVED", app.awaitOutcome(1, WAIT));
            assertEquals("CANCELLED", app.awaitOutcome(2, WAIT));
            DataSource kitchenDb = app.kitchen().db();
            String before = snapshot(kitchenDb);
            long orderHead = head(app.orders().db());
            long consumerHead = head(app.consumers().db());

            // The kitchen goes down and an operator rewinds its offsets: every event is delivered again.
            app.kitchen().close();
            execute(kitchenDb, "UPDATE sz_offset SET pos = 0, message_id = NULL WHERE consumer_name = 'kitchen-service'");
            try (KitchenService again = new KitchenService(kitchenDb, app.kitchen().endpoint())) {
                again.subscribe(app.orders().endpoint(), app.consumers().endpoint());
                Await.until(WAIT, "the restarted kitchen to take every event again",
                        () -> again.consumer().position(ORDER_SERVICE) == orderHead
                                && again.consumer().position(CONSUMER_SERVICE) == consumerHead,
                        () -> again.consumer().position(ORDER_SERVICE) + "/" + orderHead + ", "
                                + again.consumer().position(CONSUMER_SERVICE) + "/" + consumerHead);
                assertEquals(orderHead + consumerHead, again.consumer().appliedCount(), "every event was handled again");
                assertEquals(before, snapshot(kitchenDb), "tickets, journal and steps are unchanged");
                assertEquals(0, again.consumer().deadLetters().count());
            }
            assertEquals("APPROVED", app.orders().state(1));
            assertEquals("CANCELLED", app.orders().state(2));
        }
    }

    /**
     * The kitchen runs in a JVM of its own on an H2 file database and is killed with SIGKILL while sagas are in
     * flight (each step does 30 ms of simulated work inside its transaction, so the kill most likely lands in an
     * open transaction), then started again on the same file and port. Every saga must still end in the right
     * state, with exactly one ticket, one event per step and one step record per trigger.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everySagaEndsRightWhenTheKitchenIsKilledMidSagaAndRestarted(@TempDir Path dir) throws Exception {
        int orders = 12;                                   // odd: alice, margherita (approved); even: beef burger
        String kitchenUrl = "jdbc:h2:" + dir.resolve("kitchen") + ";WRITE_DELAY=0";
        String kitchenEndpoint = "tcp://127.0.0.1:" + freePort();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (HikariDataSource orderDb = Saga.pool("jdbc:h2:mem:crash-orders-" + run + ";DB_CLOSE_DELAY=-1");
             HikariDataSource consumerDb = Saga.pool("jdbc:h2:mem:crash-consumers-" + run + ";DB_CLOSE_DELAY=-1");
             OrderService orderService = new OrderService(orderDb, "tcp://127.0.0.1:*");
             ConsumerService consumerService = new ConsumerService(consumerDb, "tcp://127.0.0.1:*")) {
            orderService.subscribe(kitchenEndpoint);
            consumerService.subscribe(kitchenEndpoint);
            String[] kitchenArgs = {KITCHEN_SERVICE, "--jdbc", kitchenUrl, "--bind", kitchenEndpoint,
                    "--order-service", orderService.endpoint(), "--consumer-service", consumerService.endpoint(),
                    "--step-work-ms", "30"};

            try (JavaProcess kitchen = JavaProcess.start("kitchen", SagaServiceMain.class, kitchenArgs)) {
                kitchen.await("kitchen-service ready on (\\S+)", WAIT);
                for (long id = 1; id <= orders; id++) {
                    orderService.placeOrder(id, "alice", List.of(id % 2 == 1 ? "margherita" : "beef burger"));
                }
                Await.until(WAIT, "the kitchen to be mid-saga (3 tickets verified)",
                        () -> count(consumerDb, "SELECT COUNT(*) FROM verifications") >= 3, kitchen::output);
                kitchen.kill();
            }
            long finished = LongStream.rangeClosed(1, orders).filter(id -> FoodDelivery.isFinal(orderService.state(id)))
                    .count();
            assertTrue(finished < orders, "the kill must land mid-saga, but all " + orders + " sagas had finished");

            try (JavaProcess kitchen = JavaProcess.start("kitchen-restarted", SagaServiceMain.class, kitchenArgs)) {
                kitchen.await("kitchen-service ready on (\\S+)", WAIT);
                Await.until(WAIT, "every saga to end", () -> LongStream.rangeClosed(1, orders)
                                .allMatch(id -> FoodDelivery.isFinal(orderService.state(id))),
                        () -> states(orderService, orders) + "\nkitchen output:\n" + kitchen.output());
                kitchen.stop();                            // SIGTERM: a clean close, so the parent can open the file
            }

            try (HikariDataSource kitchenDb = Saga.pool(kitchenUrl)) {
                assertAll(
                        () -> {
                            for (long id = 1; id <= orders; id++) {
                                boolean happy = id % 2 == 1;
                                assertEquals(happy ? "APPROVED" : "CANCELLED", orderService.state(id), "order " + id);
                                assertEquals(happy ? "OK" : "FAILED", consumerService.verdict(id), "verdict " + id);
                            }
                        },
                        () -> assertEquals(Map.of("APPROVED", orders / 2L, "REJECTED", orders / 2L),
                                group(kitchenDb, "SELECT state, COUNT(*) FROM tickets GROUP BY state")),
                        () -> assertEquals(Map.of(TICKET_CREATED, (long) orders, TICKET_APPROVED, orders / 2L,
                                TICKET_REJECTED, orders / 2L), journal(kitchenDb), "exactly one kitchen event per step"),
                        () -> assertEquals(Map.of(ORDER_CREATED, (long) orders, ORDER_APPROVED, orders / 2L,
                                ORDER_CANCELLED, orders / 2L), journal(orderDb)),
                        () -> assertEquals(Map.of(CONSUMER_VERIFIED, orders / 2L, CONSUMER_VERIFICATION_FAILED,
                                orders / 2L), journal(consumerDb)),
                        () -> assertEquals(2L * orders, count(kitchenDb, "SELECT COUNT(DISTINCT trigger_id) FROM saga_step")),
                        () -> assertEquals(2L * orders, count(kitchenDb, "SELECT COUNT(*) FROM saga_step")),
                        () -> assertEquals(0L, count(kitchenDb, "SELECT COUNT(*) FROM sz_dead_letter")),
                        () -> assertEquals(0, orderService.consumer().deadLetters().count()),
                        () -> assertEquals(0, consumerService.consumer().deadLetters().count()));
            }
        }
    }

    private static List<String> published(List<SagaLog.Step> flow) {
        return flow.stream().map(SagaLog.Step::eventType).toList();
    }

    private static String states(OrderService orders, int n) {
        return LongStream.rangeClosed(1, n).mapToObj(id -> id + "=" + orders.state(id)).toList().toString();
    }

    /** Journal rows per message type. */
    private static Map<String, Long> journal(DataSource db) {
        return group(db, "SELECT msg_type, COUNT(*) FROM sz_journal GROUP BY msg_type");
    }

    private static Map<String, Long> group(DataSource db, String sql) {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static long count(DataSource db, String sql) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    /** The position the journal's head reaches once every committed row is stamped (rows are stamped densely). */
    private static long head(DataSource db) {
        return count(db, "SELECT COUNT(*) FROM sz_journal");
    }

    /** Everything the kitchen owns, as text: tickets, journal rows and step records. */
    private static String snapshot(DataSource db) {
        StringBuilder out = new StringBuilder();
        for (String sql : List.of("SELECT order_id, state, reason FROM tickets ORDER BY order_id",
                "SELECT id, pos, msg_type FROM sz_journal ORDER BY id",
                "SELECT trigger_id, outcome, event_id FROM saga_step ORDER BY trigger_id")) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
                            .append('\n');
                }
            } catch (SQLException e) {
                throw new AssertionError(sql + ": " + e.getMessage(), e);
            }
        }
        return out.toString();
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
