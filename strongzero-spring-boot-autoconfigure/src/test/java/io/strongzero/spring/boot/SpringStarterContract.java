package io.strongzero.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.StrongZeroException;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.Await;
import io.strongzero.testing.Ports;
import io.strongzero.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The starter in one application that is both producer and consumer, on a real database: @Transactional sending, the
 * consumer's Spring transactions, the refusals, the after-commit wake-up. Run on H2 and PostgreSQL by the subclasses.
 */
abstract class SpringStarterContract {

    /** The payload. */
    public record Greeting(String id, String text) {
    }

    /** Handlers that write with Spring's JdbcTemplate, which must join the consumer's transaction. */
    public static class Handlers {
        final JdbcTemplate jdbc;
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final List<String> failOnce = new CopyOnWriteArrayList<>();
        final List<Greeting> applied = new CopyOnWriteArrayList<>();

        final ObjectProvider<StrongZeroSender> sender;

        public Handlers(JdbcTemplate jdbc, ObjectProvider<StrongZeroSender> sender) {
            this.jdbc = jdbc;
            this.sender = sender;
            jdbc.execute("CREATE TABLE IF NOT EXISTS greetings (id VARCHAR(64) PRIMARY KEY, text VARCHAR(200))");
        }

        @StrongZeroHandler("greeting")
        public void on(Greeting greeting, HandlerContext ctx) {
            attempts.computeIfAbsent(greeting.id(), k -> new AtomicInteger()).incrementAndGet();
            jdbc.update("INSERT INTO greetings (id, text) VALUES (?, ?)", greeting.id(), greeting.text());
            if (greeting.text().equals("relay")) {   // a saga step: the next message, in the consumer's transaction
                sender.getObject().send("greeting", new Greeting(greeting.id() + "-relayed", "relayed"));
            }
            if (failOnce.remove(greeting.id())) {
                throw new IllegalStateException("fails once after its insert: " + greeting.id());
            }
            ctx.afterCommit(() -> applied.add(greeting));
        }

        /** The ids of the greetings with this text, in the order their transactions committed. */
        List<String> orderOf(String text) {
            return applied.stream().filter(g -> g.text().equals(text)).map(Greeting::id).toList();
        }
    }

    /**
     * A fresh database for one test, as Spring's DataSource properties.
     *
     * @param url      the JDBC URL
     * @param user     the user
     * @param password the password (empty for none)
     * @param drop     drops it
     */
    record Database(String url, String user, String password, AutoCloseable drop) {
        /** An embedded H2 database (Spring Boot's default user for it, sa). */
        static Database h2() {
            return new Database("jdbc:h2:mem:spring-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", () -> { });
        }

        /** A fresh schema on a server from the test kit. */
        static Database on(TestDatabase server) {
            server.assumeAvailable();
            TestDatabase.Instance db = server.create("spring");
            return new Database(db.jdbcUrl(), db.user(), db.password() == null ? "" : db.password(), db::close);
        }
    }

    /** A MANUAL-mode handler: its own @Transactional method records the offset on Spring's connection. */
    public static class ManualHandlers {
        final JdbcTemplate jdbc;
        final DataSource dataSource;

        public ManualHandlers(JdbcTemplate jdbc, DataSource dataSource) {
            this.jdbc = jdbc;
            this.dataSource = dataSource;
        }

        @StrongZeroHandler("manual")
        @Transactional
        public void on(Greeting greeting, HandlerContext ctx) {
            jdbc.update("INSERT INTO greetings (id, text) VALUES (?, ?)", greeting.id(), greeting.text());
            ctx.consumed(DataSourceUtils.getConnection(dataSource));
            if (greeting.text().equals("fail after consumed")) {
                throw new IllegalStateException("rolls back the insert and the offset");
            }
        }
    }

    private Database db;
    private int port;

    abstract Database database();

    @BeforeEach
    void openDatabase() {
        db = database();
        port = Ports.freeLoopbackPort();
    }

    @AfterEach
    void closeDatabase() throws Exception {
        if (db != null) {
            db.drop().close();
        }
    }

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, StrongZeroAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=" + db.url(),
                        "spring.datasource.username=" + db.user(),
                        "spring.datasource.password=" + db.password(),
                        "spring.datasource.hikari.maximum-pool-size=12",
                        "strongzero.create-schema-if-missing=true",
                        "strongzero.producer.name=greetings",
                        "strongzero.producer.bind=tcp://127.0.0.1:" + port,
                        "strongzero.consumer.name=readers",
                        "strongzero.consumer.producers.greetings.endpoint=tcp://127.0.0.1:" + port,
                        "strongzero.consumer.long-poll-wait=1s",
                        "strongzero.consumer.retry.backoff-base=10ms",
                        "strongzero.consumer.retry.backoff-cap=50ms")
                .withBean(Handlers.class);
    }

    private static int count(ConfigurableApplicationContext ctx, String sql) {
        Integer n = ctx.getBean(JdbcTemplate.class).queryForObject(sql, Integer.class);
        return n == null ? 0 : n;
    }

    @Test
    void transactionalSendsAreDeliveredAndTheHandlersJdbcTemplateWritesCommitWithTheOffset() {
        runner().run(ctx -> {
            assertThat(ctx).hasNotFailed();
            StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
            TransactionTemplate tx = ctx.getBean(TransactionTemplate.class);
            for (int i = 0; i < 30; i++) {
                String id = "g" + i;
                tx.executeWithoutResult(s -> sender.send("greeting", id, new Greeting(id, "hello " + id)));
            }
            Await.until(Duration.ofSeconds(30), "30 greetings applied", () -> count(ctx, "SELECT COUNT(*) FROM greetings") == 30,
                    () -> count(ctx, "SELECT COUNT(*) FROM greetings"));
            StrongZeroConsumer consumer = ctx.getBean(StrongZeroConsumer.class);
            Await.until(Duration.ofSeconds(10), "the offset at 30", () -> consumer.position("greetings") == 30,
                    () -> consumer.position("greetings"));
            assertThat(count(ctx, "SELECT MAX(pos) FROM sz_offset WHERE consumer_name = 'readers'")).isEqualTo(30);
        });
    }

    @Test
    void withConcurrencyEachLaneAppliesInSpringTransactionsAndKeysStayInOrder() {
        runner().withPropertyValues("strongzero.consumer.concurrency=4").run(ctx -> {
            StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
            TransactionTemplate tx = ctx.getBean(TransactionTemplate.class);
            for (int i = 0; i < 60; i++) {
                int n = i;
                tx.executeWithoutResult(s -> sender.send("greeting", "key" + (n % 7), new Greeting("c" + n, "k" + (n % 7))));
            }
            Await.until(Duration.ofSeconds(30), "60 greetings applied", () -> count(ctx, "SELECT COUNT(*) FROM greetings") == 60,
                    () -> count(ctx, "SELECT COUNT(*) FROM greetings"));
            Handlers handlers = ctx.getBean(Handlers.class);
            assertThat(handlers.attempts).hasSize(60).allSatisfy((id, attempts) -> assertThat(attempts).hasValue(1));
            for (int k = 0; k < 7; k++) {
                List<String> order = handlers.orderOf("k" + k);
                assertThat(order).as("key k" + k).isSortedAccordingTo(
                        java.util.Comparator.comparingInt(id -> Integer.parseInt(id.substring(1))));
            }
        });
    }

    @Test
    void inManualModeATransactionalHandlerCommitsItsWritesWithTheOffsetItRecords() {
        runner().withPropertyValues("strongzero.consumer.transaction-mode=manual",
                        "strongzero.consumer.retry.max-attempts=1")
                .withBean(ManualHandlers.class)
                .run(ctx -> {
                    StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
                    TransactionTemplate tx = ctx.getBean(TransactionTemplate.class);
                    tx.executeWithoutResult(s -> sender.send("manual", new Greeting("m1", "one")));
                    tx.executeWithoutResult(s -> sender.send("manual", new Greeting("m2", "fail after consumed")));
                    tx.executeWithoutResult(s -> sender.send("manual", new Greeting("m3", "three")));
                    StrongZeroConsumer consumer = ctx.getBean(StrongZeroConsumer.class);
                    Await.until(Duration.ofSeconds(30), "the offset past all three",
                            () -> consumer.position("greetings") == 3, () -> consumer.position("greetings"));
                    // m2's insert rolled back with its offset; it was parked (one attempt) in a transaction of its own
                    assertThat(ctx.getBean(JdbcTemplate.class).queryForList("SELECT id FROM greetings ORDER BY id",
                            String.class)).containsExactly("m1", "m3");
                    assertThat(consumer.parkedCount()).isEqualTo(1);
                });
    }

    @Test
    void aRolledBackTransactionsMessageIsNeverDelivered() {
        runner().run(ctx -> {
            StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
            TransactionTemplate tx = ctx.getBean(TransactionTemplate.class);
            assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
                sender.send("greeting", new Greeting("rolled-back", "never"));
                throw new IllegalStateException("the business change fails");
            })).hasMessage("the business change fails");
            tx.executeWithoutResult(s -> sender.send("greeting", new Greeting("committed", "yes")));
            Await.until(Duration.ofSeconds(30), "the committed greeting applied",
                    () -> count(ctx, "SELECT COUNT(*) FROM greetings WHERE id = 'committed'") == 1);
            assertThat(count(ctx, "SELECT COUNT(*) FROM greetings")).isEqualTo(1);
            assertThat(count(ctx, "SELECT COUNT(*) FROM sz_journal")).isEqualTo(1);
            assertThat(ctx.getBean(Handlers.class).attempts).doesNotContainKey("rolled-back");
        });
    }

    @Test
    void aFailingHandlersWritesRollBackWithItsOffsetAndTheRetryAppliesThemOnce() {
        runner().run(ctx -> {
            Handlers handlers = ctx.getBean(Handlers.class);
            handlers.failOnce.add("flaky");
            StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
            TransactionTemplate tx = ctx.getBean(TransactionTemplate.class);
            tx.executeWithoutResult(s -> sender.send("greeting", new Greeting("flaky", "second time lucky")));
            tx.executeWithoutResult(s -> sender.send("greeting", new Greeting("after", "next")));
            Await.until(Duration.ofSeconds(30), "both applied", () -> count(ctx, "SELECT COUNT(*) FROM greetings") == 2,
                    () -> handlers.attempts);
            assertThat(handlers.attempts.get("flaky")).hasValue(2);
            assertThat(count(ctx, "SELECT COUNT(*) FROM greetings WHERE id = 'flaky'")).isEqualTo(1);
            // the first attempt's insert rolled back with its offset: one row, and the offset past both messages
            StrongZeroConsumer consumer = ctx.getBean(StrongZeroConsumer.class);
            Await.until(Duration.ofSeconds(10), "the offset at 2", () -> consumer.position("greetings") == 2,
                    () -> consumer.position("greetings"));
        });
    }

    @Test
    void aJooqWriteAndASendInOneSpringTransactionCommitOrRollBackTogether() {
        runner().withConfiguration(AutoConfigurations.of(JooqAutoConfiguration.class)).run(ctx -> {
            DSLContext dsl = ctx.getBean(DSLContext.class);
            StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
            TransactionTemplate tx = ctx.getBean(TransactionTemplate.class);
            dsl.execute("CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY)");
            assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
                dsl.execute("INSERT INTO orders (id) VALUES ('o1')");
                sender.send("greeting", new Greeting("o1", "rolled back"));
                throw new IllegalStateException("the order fails");
            })).hasMessage("the order fails");
            assertThat(count(ctx, "SELECT COUNT(*) FROM orders")).isZero();
            assertThat(count(ctx, "SELECT COUNT(*) FROM sz_journal")).isZero();
            tx.executeWithoutResult(s -> {
                dsl.execute("INSERT INTO orders (id) VALUES ('o2')");
                sender.send("greeting", new Greeting("o2", "committed"));
            });
            Await.until(Duration.ofSeconds(30), "o2 applied",
                    () -> count(ctx, "SELECT COUNT(*) FROM greetings WHERE id = 'o2'") == 1);
            assertThat(count(ctx, "SELECT COUNT(*) FROM orders")).isEqualTo(1);
            assertThat(count(ctx, "SELECT COUNT(*) FROM sz_journal")).isEqualTo(1);
        });
    }

    @Test
    void aHandlerThatSendsWritesTheMessageInTheConsumersTransaction() {
        runner().run(ctx -> {
            Handlers handlers = ctx.getBean(Handlers.class);
            handlers.failOnce.add("step");
            StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
            ctx.getBean(TransactionTemplate.class).executeWithoutResult(
                    s -> sender.send("greeting", new Greeting("step", "relay")));
            Await.until(Duration.ofSeconds(30), "the relayed greeting applied",
                    () -> count(ctx, "SELECT COUNT(*) FROM greetings WHERE id = 'step-relayed'") == 1,
                    () -> handlers.attempts);
            // the failed first attempt's message rolled back with it: one relayed message in the journal
            assertThat(handlers.attempts.get("step")).hasValue(2);
            assertThat(count(ctx, "SELECT COUNT(*) FROM sz_journal")).isEqualTo(2);
        });
    }

    @Test
    void aSendOutsideATransactionIsRefusedAndWritesNothing() {
        runner().run(ctx -> {
            StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
            assertThatThrownBy(() -> sender.send("greeting", new Greeting("loose", "no transaction")))
                    .isInstanceOf(StrongZeroException.class)
                    .hasMessageContaining("outside a transaction")
                    .hasMessageContaining("strongzero.sender.require-transaction=false");
            assertThat(count(ctx, "SELECT COUNT(*) FROM sz_journal")).isZero();
        });
    }

    @Test
    void withRequireTransactionOffASendOutsideATransactionCommitsOnItsOwn() {
        runner().withPropertyValues("strongzero.sender.require-transaction=false").run(ctx -> {
            ctx.getBean(StrongZeroSender.class).send("greeting", new Greeting("alone", "on its own"));
            Await.until(Duration.ofSeconds(30), "the greeting applied",
                    () -> count(ctx, "SELECT COUNT(*) FROM greetings WHERE id = 'alone'") == 1);
        });
    }

    @Test
    void aSendInATransactionOfAnotherDataSourceIsRefused() {
        runner().run(ctx -> {
            DataSource other = new DriverManagerDataSource("jdbc:h2:mem:other-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            TransactionTemplate otherTx = new TransactionTemplate(new DataSourceTransactionManager(other));
            StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
            assertThatThrownBy(() -> otherTx.executeWithoutResult(s -> sender.send("greeting", new Greeting("x", "y"))))
                    .isInstanceOf(StrongZeroException.class)
                    .hasMessageContaining("not on StrongZero's DataSource")
                    .hasMessageContaining("another one");
            assertThat(count(ctx, "SELECT COUNT(*) FROM sz_journal")).isZero();
        });
    }

    @Test
    void theCommitWakesThePumpWithoutWaitingForItsPoll() {
        runner().withPropertyValues("strongzero.producer.pump.poll-interval=60s").run(ctx -> {
            StrongZeroPump pump = ctx.getBean(StrongZeroPump.class);
            StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
            Await.until(Duration.ofSeconds(10), "the pump's first pass", () -> pump.isRunning());
            ctx.getBean(TransactionTemplate.class).executeWithoutResult(s -> {
                sender.send("greeting", new Greeting("w1", "one"));
                sender.send("greeting", new Greeting("w2", "two"));
            });
            // the next poll is a minute away: only the after-commit wake-up stamps them this soon
            Await.until(Duration.ofSeconds(20), "both stamped", () -> pump.head() == 2, pump::head);
        });
    }

    @Test
    void aTransactionManagerOfAnotherDataSourceFailsStartUp() {
        runner().withBean("otherTransactionManager", org.springframework.transaction.PlatformTransactionManager.class,
                        () -> new DataSourceTransactionManager(
                                new DriverManagerDataSource("jdbc:h2:mem:tm-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1")))
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause()
                            .hasMessageContaining("does not manage the consumer's DataSource");
                });
    }
}
