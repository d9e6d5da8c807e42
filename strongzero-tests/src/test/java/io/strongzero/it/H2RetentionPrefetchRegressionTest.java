package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.consumer.internal.LaneHash;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.pump.JournalAdmin;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression: with prefetch a consumer asks for the messages after a batch as soon as the batch arrives,
 * before it commits it. The producer recorded that position as the consumer's progress, so retention
 * deleted the batch; a consumer that then crashed before its commit restarted behind the deleted prefix and
 * got POSITION_EXPIRED: messages it had never applied were gone. The producer now records the committed position
 * each pull reports (protocol version 3; an older consumer's pulls: what its previous pull proves committed).
 *
 * <p>The same for a consumer applying in lanes ({@code concurrency(n)}, issue 17): it pulls after the highest position
 * it dispatched while a lane whose key does not move has committed far less; retention keeps everything after the
 * lowest lane's position, where the consumer resumes after a crash.
 */
class H2RetentionPrefetchRegressionTest {

    private final Pipeline p = new Pipeline(TestDatabase.H2);

    @AfterEach
    void tearDown() {
        p.close();
    }

    private JournalAdmin.ConsumerProgress members(StrongZeroProducer producer) {
        return producer.consumers().stream().filter(c -> c.name().equals("members")).findFirst().orElse(null);
    }

    /** Polls {@code condition} every 10 ms for {@code period}; fails as soon as it does not hold. */
    private static void holdsFor(Duration period, String description, BooleanSupplier condition, Supplier<?> observed) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            assertTrue(condition.getAsBoolean(), () -> description + "; observed: " + observed.get());
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while checking " + description, e);
            }
        }
    }

    /** A producer that records progress every 20 ms and serves every pull from the journal. */
    private StrongZeroProducer startProducer() {
        p.pump = StrongZeroPump.builder().name(Pipeline.PRODUCER).dataSource(p.producerDb.dataSource())
                .pollInterval(Duration.ofMillis(20)).build();
        StrongZeroProducer producer = StrongZeroProducer.builder().pump(p.pump).bind("tcp://127.0.0.1:*")
                .progressInterval(Duration.ofMillis(20)).tailCache(0, 0).build().start();
        p.producer = producer;
        p.sender = io.strongzero.producer.StrongZeroSender.builder().producer(producer)
                .dataSource(p.producerDb.dataSource()).build();
        return producer;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void retentionNeverDeletesABatchAConsumerHasReceivedButNotCommitted() {
        StrongZeroProducer producer = startProducer();
        for (int i = 1; i <= 20; i++) {
            p.sendCommitted("u" + i, i);
        }
        Await.until(Duration.ofSeconds(10), "20 stamped", () -> p.pump.head() == 20);
        producer.registerConsumer("members"); // plaintext: only a registered consumer holds retention

        CountDownLatch release = new CountDownLatch(1);
        StrongZeroConsumer consumer = StrongZeroConsumer.builder().name("members").dataSource(p.consumerDb.dataSource())
                .producer(Pipeline.PRODUCER, p.endpoint()).longPollWait(Duration.ofMillis(500))
                .maxBatchMessages(10).transactionSize(10).prefetch(true)
                .handler(Pipeline.TYPE, Pipeline.User.class, (m, ctx) -> release.await()).build().start();
        try {
            // the consumer holds 1..10 uncommitted and has already asked for what follows 10 (prefetch): the
            // producer answered that pull with 11..20, and records progress after it. At least 20, not exactly: when
            // the consumer's first connection is made again under load, it sends its first pull again and the
            // producer answers both (the stale reply is dropped by its request id), serving 1..10 twice (seen in CI:
            // 30 served). Every answered pull serves a full batch of 10 here.
            Await.until(Duration.ofSeconds(10), "the prefetching pull answered", () -> producer.servedCount() >= 20,
                    producer::servedCount);
            Await.until(Duration.ofSeconds(10), "the consumer recorded", () -> members(producer) != null);
            // 25 progress intervals after the prefetching pull was handled, the recorded position is still 0
            holdsFor(Duration.ofMillis(500), "the producer records only a committed position",
                    () -> members(producer).position() == 0, () -> members(producer));
            assertEquals(0, consumer.position(Pipeline.PRODUCER), "nothing committed yet");
            JournalAdmin.RetentionResult kept = producer.admin().cleanUp(Duration.ZERO, null, 1000);
            assertEquals(0, kept.deletedRows(), "nothing the consumer has not committed is deleted");

            release.countDown();
            Await.until(Duration.ofSeconds(20), "all applied", () -> consumer.position(Pipeline.PRODUCER) == 20);
            Await.until(Duration.ofSeconds(20), "the producer recorded position 20", () -> members(producer).position() == 20,
                    () -> members(producer));
            JournalAdmin.RetentionResult deleted = producer.admin().cleanUp(Duration.ZERO, null, 1000);
            assertEquals(20, deleted.deletedRows(), "once committed, everything may go");
            assertTrue(deleted.consumersOverrun().isEmpty());
        } finally {
            release.countDown();
            consumer.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void retentionKeepsEverythingAfterTheLowestLanesPositionWhileAKeyDoesNotMove() {
        StrongZeroProducer producer = startProducer();
        String slow = "slow";
        String fast = IntStream.range(0, 100).mapToObj(i -> "fast-" + i)
                .filter(k -> LaneHash.laneOf(k, 2) != LaneHash.laneOf(slow, 2)).findFirst().orElseThrow();
        p.sender.inTransaction(c -> p.sender.send(c, Pipeline.TYPE, slow, new Pipeline.User("s", 1)));
        for (int i = 2; i <= 30; i++) {
            int n = i;
            p.sender.inTransaction(c -> p.sender.send(c, Pipeline.TYPE, fast, new Pipeline.User("f" + n, n)));
        }
        Await.until(Duration.ofSeconds(10), "30 stamped", () -> p.pump.head() == 30);
        producer.registerConsumer("members"); // plaintext: only a registered consumer holds retention

        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger fastApplied = new AtomicInteger();
        StrongZeroConsumer consumer = StrongZeroConsumer.builder().name("members").dataSource(p.consumerDb.dataSource())
                .producer(Pipeline.PRODUCER, p.endpoint()).longPollWait(Duration.ofMillis(500))
                .maxBatchMessages(10).transactionSize(10).concurrency(2)
                .handler(Pipeline.TYPE, Pipeline.User.class, (m, ctx) -> {
                    if (slow.equals(m.key().orElse(null))) {
                        release.await();
                    } else {
                        fastApplied.incrementAndGet();
                    }
                }).build().start();
        try {
            // the fast key's lane applied 2..30 and the consumer pulls after 30, while the slow key's lane has not
            // committed position 1: the consumer's committed position (its lowest lane's) is 0
            Await.until(Duration.ofSeconds(20), "the fast lane done", () -> fastApplied.get() == 29, fastApplied::get);
            Await.until(Duration.ofSeconds(10), "all 30 served", () -> producer.servedCount() >= 30, producer::servedCount);
            Await.until(Duration.ofSeconds(10), "the consumer recorded", () -> members(producer) != null);
            // a version 2 consumer would have been recorded at 20 (the pull after 30 proved the one after 20 committed)
            holdsFor(Duration.ofMillis(500), "the producer records the lowest lane's position",
                    () -> members(producer).position() == 0, () -> members(producer));
            assertEquals(0, consumer.position(Pipeline.PRODUCER), "the lowest lane's position");
            JournalAdmin.RetentionResult kept = producer.admin().cleanUp(Duration.ZERO, null, 1000);
            assertEquals(0, kept.deletedRows(), "the slow key's message, not applied yet, and everything after it stay");

            release.countDown();
            Await.until(Duration.ofSeconds(20), "all applied", () -> consumer.position(Pipeline.PRODUCER) == 30);
            Await.until(Duration.ofSeconds(20), "the producer recorded position 30", () -> members(producer).position() == 30,
                    () -> members(producer));
            assertEquals(30, producer.admin().cleanUp(Duration.ZERO, null, 1000).deletedRows(), "once committed, all");
        } finally {
            release.countDown();
            consumer.close();
        }
    }
}
