package io.strongzero.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.examples.spring.consumer.MemberEntity;
import io.strongzero.examples.spring.consumer.MemberRepository;
import io.strongzero.examples.spring.consumer.MemberServiceApp;
import io.strongzero.examples.spring.producer.UserServiceApp;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.spring.boot.StrongZeroHandler;
import io.strongzero.testing.Await;
import io.strongzero.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The user service and the member service, each a Spring Boot context on its own database, as a user would run them:
 * transactional sends from a JPA service, handlers whose JPA writes commit with the offset, retries and dead letters
 * configured by properties, readiness, and a shutdown under load. Run on H2 and PostgreSQL by the subclasses.
 */
abstract class SpringAppsContract {

    /**
     * A fresh database for one service, as Spring's DataSource properties, with a pool of its own for the test's checks.
     *
     * @param url      the JDBC URL
     * @param user     the user
     * @param password the password (empty for none)
     * @param checks   connections for the test's queries
     * @param drop     drops it
     */
    record Db(String url, String user, String password, DataSource checks, AutoCloseable drop) {
        JdbcTemplate jdbc() {
            return new JdbcTemplate(checks);
        }
    }

    /**
     * Handlers the tests add to the member service: one that fails its first attempt after a JPA insert and holds its
     * second until the test releases it, one that always fails.
     */
    public static class TestHandlers {
        final MemberRepository members;
        final AtomicInteger flakyCalls = new AtomicInteger();
        final CountDownLatch releaseRetry = new CountDownLatch(1);
        final AtomicInteger poisonedCalls = new AtomicInteger();

        public TestHandlers(MemberRepository members) {
            this.members = members;
        }

        @StrongZeroHandler("user.flaky")
        public void flaky(UserPayload user, HandlerContext ctx) throws InterruptedException {
            if (flakyCalls.incrementAndGet() == 1) {
                members.saveAndFlush(new MemberEntity(user.id(), user.name(), user.email()));   // the INSERT is sent
                throw new IllegalStateException("the first attempt fails after its insert");
            }
            if (!releaseRetry.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test did not release the retry");
            }
            members.save(new MemberEntity(user.id(), user.name(), user.email()));
        }

        @StrongZeroHandler("user.poisoned")
        public void poisoned(UserPayload user) {
            poisonedCalls.incrementAndGet();
            throw new IllegalStateException("cannot apply user " + user.id());
        }
    }

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> databases = new ArrayList<>();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    /** A fresh database; {@code purpose} goes into its name. */
    abstract Db newDatabase(String purpose);

    @AfterEach
    void closeContextsAndDatabases() throws Exception {
        Exception failure = null;
        List<AutoCloseable> all = new ArrayList<>(contexts);
        Collections.reverse(all);
        List<AutoCloseable> dbs = new ArrayList<>(databases);
        Collections.reverse(dbs);
        all.addAll(dbs);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Db database(String purpose) {
        Db db = newDatabase(purpose);
        databases.add(db.drop());
        return db;
    }

    // ----------------------------------------------------------------------------------------------------- tests

    @Test
    void aRolledBackRegistrationLeavesNoJournalRowAndIsNeverDelivered() throws Exception {
        Db users = database("users");
        Db members = database("members");
        int port = Ports.freeLoopbackPort();
        ConfigurableApplicationContext producer = producer(users, port);
        ConfigurableApplicationContext consumer = consumer(members, endpoint(port));

        long before = register(producer, "before");
        HttpResponse<String> rejected = post(producer, "rolled-back", true);
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(422);
        assertThat(count(users, "SELECT COUNT(*) FROM sz_journal")).as("journal rows after the rollback").isEqualTo(1);
        assertThat(count(users, "SELECT COUNT(*) FROM users")).isEqualTo(1);
        long after = register(producer, "after");

        // the consumer applies in journal order: once "after" is there, a delivered "rolled-back" would be too
        awaitMembers(members, 2);
        assertThat(memberNames(members)).containsExactlyInAnyOrder("before", "after");
        assertThat(memberUserIds(members)).containsExactlyInAnyOrder(before, after);
        assertThat(count(users, "SELECT COUNT(*) FROM sz_journal")).isEqualTo(2);
        assertThat(consumer.getBean(StrongZeroConsumer.class).appliedCount()).isEqualTo(2);
    }

    @Test
    void aFailedAttemptRollsBackTheHandlersJpaWritesWithTheOffsetAndTheRetryAppliesItOnce() throws Exception {
        Db users = database("users");
        Db members = database("members");
        int port = Ports.freeLoopbackPort();
        ConfigurableApplicationContext producer = producer(users, port);
        ConfigurableApplicationContext consumer = consumer(members, endpoint(port));
        TestHandlers handlers = consumer.getBean(TestHandlers.class);
        StrongZeroConsumer sz = consumer.getBean(StrongZeroConsumer.class);
        for (int i = 1; i <= 3; i++) {
            register(producer, "user " + i);
        }
        awaitMembers(members, 3);
        Await.until(WAIT, "the offset at 3", () -> offset(members) == 3, () -> offset(members));

        send(producer, "user.flaky", new UserPayload(1000, "flaky", "flaky@example.com"));
        Await.until(WAIT, "the first attempt failed and the retry is held", () -> handlers.flakyCalls.get() == 2,
                handlers.flakyCalls::get);
        // between the attempts: the first attempt's INSERT rolled back, and the offset with it
        assertThat(count(members, "SELECT COUNT(*) FROM members WHERE user_id = 1000")).isZero();
        assertThat(offset(members)).isEqualTo(3);
        assertThat(sz.appliedCount()).isEqualTo(3);

        handlers.releaseRetry.countDown();
        Await.until(WAIT, "the retry committed", () -> offset(members) == 4, () -> offset(members));
        assertThat(count(members, "SELECT COUNT(*) FROM members WHERE user_id = 1000")).isEqualTo(1);
        assertThat(count(members, "SELECT COUNT(*) FROM members")).isEqualTo(4);
        assertThat(sz.appliedCount()).isEqualTo(4);
        assertThat(offset(members)).as("the offset is the number of messages applied").isEqualTo(sz.appliedCount());
        assertThat(sz.deadLetters().count()).isZero();
    }

    @Test
    void aHandlerThatKeepsFailingIsRetriedThenDeadLetteredAndTheStreamGoesOn() throws Exception {
        Db users = database("users");
        Db members = database("members");
        int port = Ports.freeLoopbackPort();
        ConfigurableApplicationContext producer = producer(users, port);
        ConfigurableApplicationContext consumer = consumer(members, endpoint(port),
                "strongzero.consumer.retry-by-type[user.poisoned].max-attempts=2",
                "strongzero.consumer.retry-by-type[user.poisoned].backoff-base=10ms");
        TestHandlers handlers = consumer.getBean(TestHandlers.class);
        StrongZeroConsumer sz = consumer.getBean(StrongZeroConsumer.class);

        long first = register(producer, "first");
        send(producer, "user.poisoned", new UserPayload(2000, "poisoned", "poisoned@example.com"));
        long next = register(producer, "next");

        awaitMembers(members, 2);
        assertThat(memberUserIds(members)).containsExactlyInAnyOrder(first, next);
        Await.until(WAIT, "one dead letter", () -> sz.deadLetters().count() == 1, () -> sz.deadLetters().open());
        List<DeadLetter> open = sz.deadLetters().open();
        assertThat(open).hasSize(1);
        DeadLetter letter = open.get(0);
        assertThat(letter.type()).isEqualTo("user.poisoned");
        assertThat(letter.status()).isEqualTo(DeadLetter.Status.PARKED);
        assertThat(letter.attempts()).as("max-attempts of user.poisoned").isEqualTo(2);
        assertThat(handlers.poisonedCalls.get()).isGreaterThanOrEqualTo(2);
        assertThat(count(members, "SELECT COUNT(*) FROM sz_dead_letter WHERE msg_type = 'user.poisoned' "
                + "AND status = 'PARKED'")).isEqualTo(1);
        Await.until(WAIT, "the offset past all three messages", () -> offset(members) == 3, () -> offset(members));
    }

    @Test
    void readinessIsOutOfServiceWhileTheProducerIsUnreachableWhenRequiredAndLivenessStaysUp() throws Exception {
        Db members = database("members");
        ConfigurableApplicationContext consumer = consumer(members, endpoint(Ports.freeLoopbackPort()),
                "strongzero.health.readiness-requires-producers=true");
        awaitProducerUnreachable(consumer);

        HttpResponse<String> readiness = get(consumer, "/actuator/health/readiness");
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
        assertThat(readiness.body()).contains("OUT_OF_SERVICE");
        HttpResponse<String> liveness = get(consumer, "/actuator/health/liveness");
        assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void readinessIgnoresAnUnreachableProducerByDefault() throws Exception {
        Db members = database("members");
        ConfigurableApplicationContext consumer = consumer(members, endpoint(Ports.freeLoopbackPort()));
        awaitProducerUnreachable(consumer);

        HttpResponse<String> readiness = get(consumer, "/actuator/health/readiness");
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void closingBothServicesUnderLoadLosesNothingAndAppliesEachRegistrationOnce() throws Exception {
        Db users = database("users");
        Db members = database("members");
        int port = Ports.freeLoopbackPort();
        ConfigurableApplicationContext producer = producer(users, port);
        ConfigurableApplicationContext consumer = consumer(members, endpoint(port));

        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            Thread sender = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        acknowledged.add(register(producer, "load " + thread + "-" + i));
                    } catch (Exception | AssertionError e) {
                        failed.incrementAndGet();                 // the producer is closing or closed
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                }
            }, "sender-" + t);
            sender.start();
            senders.add(sender);
        }
        try {
            Await.until(WAIT, "200 members", () -> count(members, "SELECT COUNT(*) FROM members") >= 200);
            consumer.close();                                     // mid-stream
            int whileConsumerDown = acknowledged.size() + 200;
            Await.until(WAIT, "200 more registrations while the member service is down",
                    () -> acknowledged.size() >= whileConsumerDown, acknowledged::size);
            producer.close();                                     // while the senders still run
        } finally {
            stop.set(true);
            for (Thread sender : senders) {
                sender.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(sender.isAlive()).as(sender.getName() + " stopped").isFalse();
            }
        }
        Set<Long> committed = new HashSet<>(users.jdbc().queryForList("SELECT id FROM users", Long.class));
        assertThat(committed).containsAll(acknowledged);
        assertThat(count(members, "SELECT COUNT(*) FROM members")).isLessThan(committed.size());

        producer(users, port);
        ConfigurableApplicationContext consumerAgain = consumer(members, endpoint(port));
        Await.until(Duration.ofSeconds(60), committed.size() + " members",
                () -> count(members, "SELECT COUNT(*) FROM members") >= committed.size(),
                () -> count(members, "SELECT COUNT(*) FROM members"));
        List<Long> memberIds = memberUserIds(members);
        assertThat(new HashSet<>(memberIds)).isEqualTo(committed);
        assertThat(memberIds).as("no user applied twice").hasSize(committed.size());
        long someone = memberIds.get(0);
        assertThatThrownBy(() -> members.jdbc().update("INSERT INTO members (user_id, name, email) VALUES (?, 'again', "
                + "'again@example.com')", someone))
                .as("members.user_id is unique: a second application would have failed")
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(consumerAgain.getBean(StrongZeroConsumer.class).deadLetters().count()).isZero();
        assertThat(acknowledged.size()).as("registrations acknowledged (%d failed while closing)", failed.get())
                .isGreaterThan(400);
    }

    // --------------------------------------------------------------------------------------------------- helpers

    static String endpoint(int port) {
        return "tcp://127.0.0.1:" + port;
    }

    private ConfigurableApplicationContext producer(Db db, int port, String... properties) {
        List<String> args = common(db, properties);
        args.add("--strongzero.producer.bind=" + endpoint(port));
        return start(new SpringApplicationBuilder(UserServiceApp.class).profiles("producer"), args);
    }

    private ConfigurableApplicationContext consumer(Db db, String producerEndpoint, String... properties) {
        List<String> args = common(db, properties);
        args.add("--strongzero.consumer.producers.users.endpoint=" + producerEndpoint);
        args.add("--strongzero.consumer.retry.backoff-base=20ms");
        return start(new SpringApplicationBuilder(MemberServiceApp.class, TestHandlers.class).profiles("consumer"), args);
    }

    private static List<String> common(Db db, String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--logging.level.io.strongzero=INFO",
                "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password()));
        for (String p : properties) {
            args.add("--" + p);
        }
        return args;
    }

    private ConfigurableApplicationContext start(SpringApplicationBuilder builder, List<String> args) {
        ConfigurableApplicationContext context = builder.run(args.toArray(new String[0]));
        contexts.add(context);
        return context;
    }

    private static void send(ConfigurableApplicationContext producer, String type, UserPayload user) {
        StrongZeroSender sender = producer.getBean(StrongZeroSender.class);
        new TransactionTemplate(producer.getBean(PlatformTransactionManager.class))
                .executeWithoutResult(status -> sender.send(type, String.valueOf(user.id()), user));
    }

    private long register(ConfigurableApplicationContext producer, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = post(producer, name, false);
        Matcher id = ID.matcher(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(id.find()).as(response.body()).isTrue();
        return Long.parseLong(id.group(1));
    }

    private HttpResponse<String> post(ConfigurableApplicationContext producer, String name, boolean failAfterSend)
            throws IOException, InterruptedException {
        String email = name.replace(' ', '.') + "@example.com";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base(producer) + "/users"
                        + (failAfterSend ? "?failAfterSend=true" : "")))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ConfigurableApplicationContext context, String path)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base(context) + path)).timeout(Duration.ofSeconds(10))
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
    }

    /** Waits until the consumer's database check passes and it reports its producer unreachable. */
    private static void awaitProducerUnreachable(ConfigurableApplicationContext consumer) {
        StrongZeroConsumer sz = consumer.getBean(StrongZeroConsumer.class);
        Await.until(WAIT, "the consumer ready, its producer not connected", () -> {
            io.strongzero.core.Health h = sz.health();
            return h.ready() && h.details().get("producers") instanceof List<?> producers && producers.size() == 1
                    && producers.get(0) instanceof Map<?, ?> p && Boolean.FALSE.equals(p.get("connected"));
        }, sz::health);
    }

    private static void awaitMembers(Db members, long n) {
        Await.until(WAIT, n + " members", () -> count(members, "SELECT COUNT(*) FROM members") >= n,
                () -> count(members, "SELECT COUNT(*) FROM members"));
    }

    private static long count(Db db, String sql) {
        Long n = db.jdbc().queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    /** The consumer's committed position for the user service, -1 before the first commit. */
    private static long offset(Db members) {
        List<Long> pos = members.jdbc().queryForList("SELECT pos FROM sz_offset WHERE consumer_name = 'members' "
                + "AND producer_name = 'users'", Long.class);
        return pos.isEmpty() ? -1 : pos.get(0);
    }

    private static List<Long> memberUserIds(Db members) {
        return members.jdbc().queryForList("SELECT user_id FROM members", Long.class);
    }

    private static List<String> memberNames(Db members) {
        return members.jdbc().queryForList("SELECT name FROM members", String.class);
    }
}
