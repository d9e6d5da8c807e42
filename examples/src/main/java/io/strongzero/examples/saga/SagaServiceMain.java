package io.strongzero.examples.saga;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.examples.AppProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongFunction;

/**
 * Runs one saga service as a process of its own, on its own database:
 *
 * <pre>
 * SagaServiceMain order-service    --jdbc URL --bind tcp://127.0.0.1:7401 --kitchen-service tcp://127.0.0.1:7402
 * SagaServiceMain kitchen-service  --jdbc URL --bind tcp://127.0.0.1:7402 --order-service tcp://127.0.0.1:7401
 *                                  --consumer-service tcp://127.0.0.1:7403 [--step-work-ms N]
 * SagaServiceMain consumer-service --jdbc URL --bind tcp://127.0.0.1:7403 --kitchen-service tcp://127.0.0.1:7402
 * </pre>
 *
 * It prints {@code <service> ready on <endpoint>} once it serves its stream, then reads commands from
 * standard input: {@code state <order id>} on every service, and on the order service
 * {@code order <id> <customer> <dish>[,<dish>...]} (for example {@code order 7 alice margherita,green salad}).
 * It stops cleanly on SIGTERM or Ctrl-C. With an H2 file database add {@code ;WRITE_DELAY=0} to the URL, or a
 * killed process loses its last commits (H2 otherwise writes them to disk up to 500 ms later).
 */
public final class SagaServiceMain {

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args.length % 2 == 0) {
            throw new IllegalArgumentException("usage: SagaServiceMain <order-service|kitchen-service|consumer-service> "
                    + "--jdbc URL --bind ENDPOINT [--order-service ENDPOINT] [--kitchen-service ENDPOINT] "
                    + "[--consumer-service ENDPOINT] [--step-work-ms N]; got " + Arrays.toString(args));
        }
        String service = args[0];
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option like --jdbc but got '" + args[i] + "'");
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        HikariDataSource db = Saga.pool(required(opts, "jdbc"));
        String bind = required(opts, "bind");
        SagaService running;
        LongFunction<String> state;
        OrderService orders = null;
        switch (service) {
            case Events.ORDER_SERVICE -> {
                orders = new OrderService(db, bind);
                orders.subscribe(required(opts, Events.KITCHEN_SERVICE));
                running = orders;
                state = orders::state;
            }
            case Events.KITCHEN_SERVICE -> {
                KitchenService kitchen = new KitchenService(db, bind,
                        Duration.ofMillis(Long.parseLong(opts.getOrDefault("step-work-ms", "0"))));
                kitchen.subscribe(required(opts, Events.ORDER_SERVICE), required(opts, Events.CONSUMER_SERVICE));
                running = kitchen;
                state = kitchen::state;
            }
            case Events.CONSUMER_SERVICE -> {
                ConsumerService consumers = new ConsumerService(db, bind);
                consumers.subscribe(required(opts, Events.KITCHEN_SERVICE));
                running = consumers;
                state = consumers::verdict;
            }
            default -> throw new IllegalArgumentException("service must be order-service, kitchen-service or "
                    + "consumer-service but was '" + service + "'");
        }
        CountDownLatch stopped = AppProcess.closeOnShutdown(() -> {
            System.out.println(service + " stopping");
            running.close();                               // consumer first: the step in flight commits or rolls back
        }, db);
        System.out.println(service + " ready on " + running.endpoint());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            List<String> words = List.of(line.trim().split("\\s+", 4));
            try {
                if (words.size() == 2 && words.get(0).equals("state")) {
                    System.out.println("order " + words.get(1) + ": " + state.apply(Long.parseLong(words.get(1))));
                } else if (orders != null && words.size() == 4 && words.get(0).equals("order")) {
                    boolean placed = orders.placeOrder(Long.parseLong(words.get(1)), words.get(2),
                            List.of(words.get(3).split("\\s*,\\s*")));
                    System.out.println(placed ? "order " + words.get(1) + " placed" : "order " + words.get(1) + " exists");
                } else if (!line.isBlank()) {
                    System.out.println("commands: state <order id>" + (orders != null
                            ? " | order <id> <customer> <dish>[,<dish>...]" : ""));
                }
            } catch (RuntimeException e) {
                System.out.println("failed: " + e.getMessage());
            }
        }
        stopped.await();                                   // stdin closed: keep running until SIGTERM or Ctrl-C
    }

    private static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private SagaServiceMain() {
    }
}
