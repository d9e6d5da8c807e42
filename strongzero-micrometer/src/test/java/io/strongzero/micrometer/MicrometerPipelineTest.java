package io.strongzero.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.testing.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The meters of a real pipeline on H2: producer and consumer running, messages flowing. */
class MicrometerPipelineTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong ticker = new AtomicLong();
    private final MicrometerMetrics metrics = MicrometerMetrics.builder(registry).ticker(ticker::get)
            .cacheTtl(Duration.ofSeconds(5)).build();
    private H2Pipeline p;

    @AfterEach
    void tearDown() {
        if (p != null) {
            p.close();
        }
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void countsSentSequencedServedHandledAndCommittedMessagesOfARealPipeline() {
        p = new H2Pipeline(metrics).startProducer(b -> { });
        p.producer.registerConsumer("members"); // a name nobody vouched for is counted as consumer=_unregistered
        StrongZeroConsumer consumer = p.startConsumer("members", b -> b.transactionSize(5));
        for (int i = 1; i <= 20; i++) {
            p.send(H2Pipeline.TYPE, i);
        }
        Await.until(Duration.ofSeconds(20), "20 applied and their transactions counted",
                () -> consumer.position(H2Pipeline.PRODUCER) == 20
                        && registry.find("strongzero.consumer.transaction.messages").summary() != null
                        && registry.find("strongzero.consumer.transaction.messages").summary().totalAmount() == 20,
                () -> consumer.position(H2Pipeline.PRODUCER));

        assertEquals(20, count("strongzero.sender.sent", "type", H2Pipeline.TYPE));
        DistributionSummary payload = registry.get("strongzero.sender.payload").tags("type", H2Pipeline.TYPE).summary();
        assertEquals(20, payload.count());
        assertTrue(payload.max() > 0, "payload sizes recorded");
        assertEquals(20, registry.get("strongzero.sender.write").timer().count());

        assertEquals(20, count("strongzero.pump.sequenced.rows", "producer", "users"));
        Timer sequencing = registry.get("strongzero.pump.sequencing").tags("producer", "users").timer();
        assertTrue(sequencing.count() >= 1 && sequencing.count() <= 20, "one timing per stamping transaction: "
                + sequencing.count());
        assertTrue(sequencing.totalTime(TimeUnit.NANOSECONDS) > 0);

        Await.until(Duration.ofSeconds(5), "served counted", () -> registry.find("strongzero.producer.served.messages")
                .tags("producer", "users", "consumer", "members").counter() != null
                && count("strongzero.producer.served.messages", "producer", "users", "consumer", "members") == 20);
        assertTrue(count("strongzero.producer.served.bytes", "producer", "users", "consumer", "members") > 20 * 20,
                "at least the 20 message frames' bytes");

        Timer handler = registry.get("strongzero.consumer.handler")
                .tags("consumer", "members", "producer", "users", "type", H2Pipeline.TYPE).timer();
        assertEquals(20, handler.count());
        DistributionSummary size = registry.get("strongzero.consumer.transaction.messages")
                .tags("consumer", "members", "producer", "users").summary();
        assertEquals(20, size.totalAmount());
        assertTrue(size.max() <= 5, "transactionSize bounds each transaction: " + size.max());
        Timer transaction = registry.get("strongzero.consumer.transaction").tags("consumer", "members", "producer", "users")
                .timer();
        assertEquals(size.count(), transaction.count(), "one timing per committed transaction");
        assertTrue(transaction.count() >= 4, "20 messages in transactions of at most 5: " + transaction.count());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void countsRetriesAndDeadLettersTaggedBlockingAndShowsThemInTheConsumerGauges() {
        p = new H2Pipeline(metrics).startProducer(b -> { });
        StrongZeroConsumer consumer = p.startConsumer("members", b -> b
                .handler("user.bad", H2Pipeline.User.class, (m, ctx) -> {
                    throw new IllegalStateException("always fails");
                })
                .handler("user.strict", H2Pipeline.User.class, (m, ctx) -> {
                    throw new NonRetryableException("refused for good");
                })
                .retryPolicy("user.strict", RetryPolicy.builder().onExhausted(RetryPolicy.OnExhausted.BLOCK).build()));
        ConsumerGauges gauges = metrics.bindConsumer(consumer, H2Pipeline.PRODUCER);
        p.send(H2Pipeline.TYPE, 1);
        p.send("user.bad", 2);
        p.send(H2Pipeline.TYPE, 3);
        Await.until(Duration.ofSeconds(20), "3 done", () -> consumer.position(H2Pipeline.PRODUCER) == 3
                && consumer.appliedCount() == 2 && consumer.parkedCount() == 1
                && registry.find("strongzero.consumer.dead.letters").counter() != null);

        assertEquals(2, count("strongzero.consumer.retries", "consumer", "members", "producer", "users", "type", "user.bad"),
                "3 attempts are 2 retries");
        assertEquals(1, count("strongzero.consumer.dead.letters", "consumer", "members", "producer", "users",
                "type", "user.bad", "blocking", "false"));
        assertEquals(3, gauge("strongzero.consumer.position", "consumer", "members", "producer", "users"));
        assertEquals(1, gauge("strongzero.consumer.dead.letters.open", "consumer", "members"));
        assertEquals(0, gauge("strongzero.consumer.blocked", "consumer", "members", "producer", "users"));
        assertEquals(2, registry.get("strongzero.consumer.applied").tags("consumer", "members").functionCounter().count());
        assertEquals(1, registry.get("strongzero.consumer.parked").tags("consumer", "members").functionCounter().count());
        assertEquals(consumer.failureCount(), registry.get("strongzero.consumer.failures").tags("consumer", "members")
                .functionCounter().count());
        assertTrue(consumer.failureCount() >= 3, "the three failed attempts (a slow reply under load may add one)");

        p.sender.inTransaction(c -> {     // one transaction: positions 4 and 5 become visible together
            p.sender.send(c, "user.strict", new H2Pipeline.User("strict", 4));
            return p.sender.send(c, H2Pipeline.TYPE, new H2Pipeline.User("after", 5));
        });
        Await.until(Duration.ofSeconds(20), "stream blocked at 4 and counted", () -> consumer.isBlocked(H2Pipeline.PRODUCER)
                && registry.find("strongzero.consumer.dead.letters").tag("blocking", "true").counter() != null);
        assertEquals(1, count("strongzero.consumer.dead.letters", "consumer", "members", "producer", "users",
                "type", "user.strict", "blocking", "true"));
        assertEquals(1, gauge("strongzero.consumer.blocked", "consumer", "members", "producer", "users"));
        assertEquals(2, consumer.lagMessages(H2Pipeline.PRODUCER), "the reply that carried 4 and 5 said head 5");
        assertEquals(2, gauge("strongzero.consumer.lag.messages", "consumer", "members", "producer", "users"));
        assertTrue(gauge("strongzero.consumer.lag.seconds", "consumer", "members", "producer", "users") >= 0);

        long queries = gauges.deadLetterQueries();
        assertEquals(1, gauge("strongzero.consumer.dead.letters.open", "consumer", "members"), "cached for 5 s");
        assertEquals(queries, gauges.deadLetterQueries(), "no query within the cache interval");
        ticker.addAndGet(Duration.ofSeconds(5).toNanos());
        assertEquals(2, gauge("strongzero.consumer.dead.letters.open", "consumer", "members"));
        assertEquals(queries + 1, gauges.deadLetterQueries());

        gauges.close();
        assertNull(registry.find("strongzero.consumer.position").gauge(), "close removes the gauges");
        assertNull(registry.find("strongzero.consumer.applied").functionCounter());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void producerGaugesReadTheJournalStatusAtMostOncePerCacheIntervalAndFollowConsumers() {
        p = new H2Pipeline(metrics).startProducer(b -> { });
        p.producer.registerConsumer("members"); // plaintext: per-consumer gauges are for registered consumers
        StrongZeroConsumer consumer = p.startConsumer("members", b -> { });
        for (int i = 1; i <= 10; i++) {
            p.send(H2Pipeline.TYPE, i);
        }
        Await.until(Duration.ofSeconds(20), "producer recorded position 10", () -> p.producer.consumers().stream()
                .anyMatch(c -> c.name().equals("members") && c.position() == 10), p.producer::consumers);
        consumer.close();
        for (int i = 11; i <= 15; i++) {
            p.send(H2Pipeline.TYPE, i);
        }
        Await.until(Duration.ofSeconds(10), "head 15", () -> p.pump.head() == 15);

        ProducerGauges gauges = metrics.bindProducer(p.producer);
        assertEquals(1, gauges.statusQueries(), "binding reads the status once to find the consumers");
        assertEquals(15, gauge("strongzero.producer.head", "producer", "users"));
        double fromMemory = registry.get("strongzero.producer.served.from.memory").tags("producer", "users")
                .functionCounter().count();
        assertEquals(p.producer.servedFromMemoryCount(), fromMemory);
        assertTrue(fromMemory > 0, "the caught-up consumer was answered from memory");
        assertEquals(15, gauge("strongzero.producer.journal.rows", "producer", "users"));
        assertEquals(0, gauge("strongzero.producer.journal.unsequenced", "producer", "users"));
        assertEquals(1, gauge("strongzero.producer.journal.min.position", "producer", "users"));
        assertEquals(10, gauge("strongzero.producer.consumer.position", "producer", "users", "consumer", "members"));
        assertEquals(5, gauge("strongzero.producer.consumer.lag.messages", "producer", "users", "consumer", "members"));
        assertTrue(gauge("strongzero.producer.consumer.lag.seconds", "producer", "users", "consumer", "members") >= 0);
        for (int i = 0; i < 100; i++) {
            gauge("strongzero.producer.journal.rows", "producer", "users");
            gauge("strongzero.producer.consumer.lag.messages", "producer", "users", "consumer", "members");
        }
        assertEquals(1, gauges.statusQueries(), "every read within the cache interval reuses one status query");

        p.send(H2Pipeline.TYPE, 16);
        Await.until(Duration.ofSeconds(10), "head gauge follows the pump at once",
                () -> gauge("strongzero.producer.head", "producer", "users") == 16);
        assertEquals(15, gauge("strongzero.producer.journal.rows", "producer", "users"), "still the cached status");
        p.producer.registerConsumer("reports");
        ticker.addAndGet(Duration.ofSeconds(5).toNanos());
        assertEquals(16, gauge("strongzero.producer.journal.rows", "producer", "users"));
        assertEquals(2, gauges.statusQueries());
        assertEquals(6, gauge("strongzero.producer.consumer.lag.messages", "producer", "users", "consumer", "members"));
        assertEquals(16, gauge("strongzero.producer.consumer.lag.messages", "producer", "users", "consumer", "reports"),
                "a consumer registered later gets its gauges at the next status read");

        assertTrue(p.producer.removeConsumer("members"));
        ticker.addAndGet(Duration.ofSeconds(5).toNanos());
        gauge("strongzero.producer.journal.rows", "producer", "users");
        assertEquals(java.util.Set.of("reports"), gauges.consumersWithGauges());
        assertNull(registry.find("strongzero.producer.consumer.lag.messages").tags("consumer", "members").gauge(),
                "a GONE consumer's lag is not reported (it would grow for ever)");

        gauges.close();
        assertNull(registry.find("strongzero.producer.head").gauge());
        assertNull(registry.find("strongzero.producer.consumer.lag.messages").gauge());
        gauges.close(); // idempotent
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void producerGaugesCountConsumersByStateWithIdleAndGiveUnregisteredNamesNoPerConsumerMeters() {
        p = new H2Pipeline(metrics).startProducer(b -> b.consumerIdleAfter(Duration.ofSeconds(60)));
        p.producer.registerConsumer("members");
        p.producer.registerConsumer("reports");
        p.producer.registerConsumer("old");
        p.producer.removeConsumer("old");
        StrongZeroConsumer members = p.startConsumer("members", b -> { });
        p.startConsumer("stranger", b -> { });   // plaintext, never registered
        for (int i = 1; i <= 5; i++) {
            p.send(H2Pipeline.TYPE, i);
        }
        Await.until(Duration.ofSeconds(20), "members ACTIVE at 5, stranger UNREGISTERED at 5", () -> p.producer.consumers()
                .stream().filter(c -> c.position() == 5 && (c.name().equals("members")
                        && c.state() == io.strongzero.pump.JournalAdmin.ConsumerState.ACTIVE || c.name().equals("stranger")
                        && c.state() == io.strongzero.pump.JournalAdmin.ConsumerState.UNREGISTERED)).count() == 2,
                p.producer::consumers);
        members.close();

        AtomicLong wall = new AtomicLong(System.currentTimeMillis());
        ProducerGauges gauges = new ProducerGauges(registry, p.producer, p.producer.admin()::status,
                Duration.ofSeconds(5), ticker::get, wall::get);
        assertEquals(java.util.Set.of("members", "reports"), gauges.consumersWithGauges(),
                "per-consumer gauges only for consumers that hold retention");
        assertNull(registry.find("strongzero.producer.consumer.lag.messages").tags("consumer", "stranger").gauge());
        assertEquals(1, gauge("strongzero.producer.consumers", "producer", "users", "state", "active"));
        assertEquals(0, gauge("strongzero.producer.consumers", "producer", "users", "state", "idle"));
        assertEquals(1, gauge("strongzero.producer.consumers", "producer", "users", "state", "registered"));
        assertEquals(1, gauge("strongzero.producer.consumers", "producer", "users", "state", "unregistered"));
        assertEquals(1, gauge("strongzero.producer.consumers", "producer", "users", "state", "gone"));
        assertEquals(0, gauge("strongzero.producer.consumer.idle", "producer", "users", "consumer", "members"));
        assertEquals(5, count("strongzero.producer.served.messages", "producer", "users", "consumer", "members"));
        assertEquals(5, count("strongzero.producer.served.messages", "producer", "users", "consumer",
                io.strongzero.producer.StrongZeroProducer.UNREGISTERED_CONSUMERS), "made-up names share one counter");
        assertNull(registry.find("strongzero.producer.served.messages").tags("consumer", "stranger").counter());

        wall.addAndGet(Duration.ofSeconds(61).toMillis());   // members stopped pulling a minute ago
        ticker.addAndGet(Duration.ofSeconds(5).toNanos());
        assertEquals(0, gauge("strongzero.producer.consumers", "producer", "users", "state", "active"));
        assertEquals(1, gauge("strongzero.producer.consumers", "producer", "users", "state", "idle"));
        assertEquals(1, gauge("strongzero.producer.consumer.idle", "producer", "users", "consumer", "members"));
        assertEquals(0, gauge("strongzero.producer.consumer.idle", "producer", "users", "consumer", "reports"),
                "registered, never pulled: not idle");
        gauges.close();
        assertNull(registry.find("strongzero.producer.consumers").gauge());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void producerGaugesShowNaNWhileTheJournalDatabaseIsDownWithoutAskingItOnEveryRead() {
        p = new H2Pipeline(metrics).startProducer(b -> { });
        p.send(H2Pipeline.TYPE, 1);
        Await.until(Duration.ofSeconds(10), "head 1", () -> p.pump.head() == 1);
        AtomicLong calls = new AtomicLong();
        ProducerGauges gauges = new ProducerGauges(registry, p.producer, () -> {
            calls.incrementAndGet();
            throw new io.strongzero.core.StrongZeroStorageException("journal admin operation failed",
                    new java.sql.SQLException("connection refused"));
        }, Duration.ofSeconds(5), ticker::get);
        for (int i = 0; i < 10; i++) {
            assertTrue(Double.isNaN(gauge("strongzero.producer.journal.rows", "producer", "users")));
        }
        assertEquals(1, calls.get(), "a failed status is remembered for the cache interval too");
        assertEquals(1, gauge("strongzero.producer.head", "producer", "users"), "the head needs no query");
        gauges.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void countsBusyRepliesAndRefusedRequestsWithTheirCode() {
        p = new H2Pipeline(metrics).startProducer(b -> b.maxParked(1));
        for (String name : java.util.List.of("first", "second", "lost")) {
            p.producer.registerConsumer(name); // plaintext: per-consumer gauges are for registered consumers
        }
        // two idle consumers long-polling: only one pull may be parked, the other is answered BUSY
        p.startConsumer("first", b -> { });
        p.startConsumer("second", b -> { });
        // a consumer asking this endpoint for another producer's stream is refused with WRONG_PRODUCER
        p.startConsumer("lost", b -> b.producer("orders", p.endpoint()).handler("order.placed",
                H2Pipeline.User.class, (m, ctx) -> { }));
        Await.until(Duration.ofSeconds(20), "BUSY and WRONG_PRODUCER counted", () ->
                registry.find("strongzero.producer.busy").tags("producer", "users").counter() != null
                        && registry.find("strongzero.producer.refused").tags("producer", "users", "code", "WRONG_PRODUCER")
                        .counter() != null);
        assertTrue(count("strongzero.producer.busy", "producer", "users") >= 1);
        assertTrue(count("strongzero.producer.refused", "producer", "users", "code", "WRONG_PRODUCER") >= 1);
        Await.until(Duration.ofSeconds(10), "progress of the three consumers recorded", () -> p.producer.consumers()
                .stream().allMatch(c -> c.state() == io.strongzero.pump.JournalAdmin.ConsumerState.ACTIVE), p.producer::consumers);
        try (ProducerGauges gauges = metrics.bindProducer(p.producer)) {
            assertEquals(0, gauge("strongzero.producer.head", "producer", "users"), "an empty journal's head is 0");
            assertEquals(0, gauge("strongzero.producer.journal.rows", "producer", "users"));
            assertEquals(java.util.Set.of("first", "second", "lost"), gauges.consumersWithGauges());
        }
    }
}
