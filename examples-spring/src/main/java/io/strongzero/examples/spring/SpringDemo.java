package io.strongzero.examples.spring;

import io.strongzero.examples.spring.consumer.MemberEntity;
import io.strongzero.examples.spring.consumer.MemberRepository;
import io.strongzero.examples.spring.consumer.MemberServiceApp;
import io.strongzero.examples.spring.producer.UserRepository;
import io.strongzero.examples.spring.producer.UserServiceApp;
import io.strongzero.producer.StrongZeroProducer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the user service and the member service as two Spring Boot contexts in one JVM, each on its own in-memory H2
 * database and a random HTTP port, and proves the sync: registers users over HTTP ({@code POST /users}), one of them
 * with a registration that fails after its send (its transaction, message included, rolls back), waits until the
 * member service has applied them and compares both sides.
 *
 * <pre>
 * Options: --users N (default 200)
 * </pre>
 *
 * Prints {@code synced N/N users, L lost, D duplicated; the rolled-back registration was not delivered} and the member
 * service's {@code /actuator/health} status. Exits 0 if every user arrived once and the rolled-back one did not, 1
 * otherwise (or on an unexpected failure), 2 on a bad argument.
 */
public final class SpringDemo {

    static final String USAGE = "usage: SpringDemo [--users N]";

    /** The name of the registration that fails after its send. */
    static final String ROLLED_BACK = "rolled-back";

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

    private SpringDemo() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the demo as {@link #main} does and returns the exit status instead of exiting. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        int users;
        try {
            users = users(args);
        } catch (IllegalArgumentException e) {
            err.println("SpringDemo: " + e.getMessage());
            return 2;
        }
        try {
            return run(users, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("SpringDemo: interrupted");
            return 1;
        } catch (Exception e) {
            err.print("SpringDemo failed: ");
            e.printStackTrace(err);
            return 1;
        }
    }

    private static int run(int users, PrintStream out) throws IOException, InterruptedException {
        // The producer binds an ephemeral port (":*"); the consumer is given the endpoint it actually bound.
        try (ConfigurableApplicationContext producer = start(UserServiceApp.class, "producer",
                "strongzero.producer.bind=tcp://127.0.0.1:*");
             ConfigurableApplicationContext consumer = start(MemberServiceApp.class, "consumer",
                     "strongzero.consumer.producers.users.endpoint=" + registerConsumer(producer, "members"))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI usersUri = URI.create("http://127.0.0.1:" + port(producer) + "/users");
            Set<Long> registered = new HashSet<>();
            long start = System.nanoTime();
            for (int i = 1; i <= users; i++) {
                registered.add(register(http, usersUri, "user " + i, "user" + i + "@example.com"));
                if (i == users / 2) {
                    int status = post(http, URI.create(usersUri + "?failAfterSend=true"), ROLLED_BACK,
                            ROLLED_BACK + "@example.com").statusCode();
                    if (status != 422) {
                        throw new IllegalStateException("the failing registration answered " + status + ", not 422");
                    }
                }
            }
            MemberRepository members = consumer.getBean(MemberRepository.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (members.count() < users && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            List<MemberEntity> rows = members.findAll();
            Set<Long> arrived = new HashSet<>();
            boolean rolledBackDelivered = false;
            for (MemberEntity m : rows) {
                arrived.add(m.getUserId());
                rolledBackDelivered |= m.getName().equals(ROLLED_BACK);
            }
            Set<Long> lost = new HashSet<>(registered);
            lost.removeAll(arrived);
            int synced = registered.size() - lost.size();
            int duplicated = rows.size() - arrived.size();
            long produced = producer.getBean(UserRepository.class).count();
            out.printf("synced %d/%d users, %d lost, %d duplicated; the rolled-back registration was %s%n",
                    synced, registered.size(), lost.size(), duplicated,
                    rolledBackDelivered ? "DELIVERED" : "not delivered");
            out.printf("%d users registered over HTTP and applied by the member service in %.2f s; "
                    + "%d rows in users, %d in members%n", users, seconds, produced, rows.size());
            out.println("member service /actuator/health: " + health(http, consumer));
            boolean ok = lost.isEmpty() && duplicated == 0 && !rolledBackDelivered && produced == users
                    && rows.size() == users;
            return ok ? 0 : 1;
        }
    }

    /**
     * Starts one service with its profile, a random HTTP port and quiet console output; {@code properties}
     * ({@code name=value}) override those of the profile's file.
     */
    static ConfigurableApplicationContext start(Class<?> app, String profile, String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false", "--logging.level.root=WARN",
                "--logging.level.io.strongzero=INFO", "--logging.pattern.console=%d{HH:mm:ss.SSS} %-5level %msg%n"));
        for (String p : properties) {
            args.add("--" + p);
        }
        return new SpringApplicationBuilder(app).profiles(profile).run(args.toArray(new String[0]));
    }

    /**
     * Tells the user service's producer that consumer {@code name} is expected (what {@code strongzero consumers
     * register} does), so that journal retention waits for it, and returns the producer's bound endpoint.
     */
    private static String registerConsumer(ConfigurableApplicationContext producerContext, String name) {
        StrongZeroProducer producer = producerContext.getBean(StrongZeroProducer.class);
        producer.registerConsumer(name);
        return producer.endpoints().get(0);
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
    }

    private static long register(HttpClient http, URI uri, String name, String email)
            throws IOException, InterruptedException {
        HttpResponse<String> response = post(http, uri, name, email);
        Matcher id = ID.matcher(response.body());
        if (response.statusCode() != 200 || !id.find()) {
            throw new IllegalStateException("POST " + uri + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return Long.parseLong(id.group(1));
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String name, String email)
            throws IOException, InterruptedException {
        String json = "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}";
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String health(HttpClient http, ConfigurableApplicationContext context)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context)
                + "/actuator/health")).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher status = STATUS.matcher(response.body());
        return status.find() ? status.group(1) : "HTTP " + response.statusCode() + " " + response.body();
    }

    private static int users(String[] args) {
        if (args.length == 0) {
            return 200;
        }
        if (args.length != 2 || !args[0].equals("--users")) {
            throw new IllegalArgumentException("bad arguments " + List.of(args) + "; " + USAGE);
        }
        try {
            int n = Integer.parseInt(args[1]);
            if (n < 1) {
                throw new IllegalArgumentException("--users must be at least 1 but was " + n + "; " + USAGE);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--users must be a number but was '" + args[1] + "'; " + USAGE);
        }
    }
}
