package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.Health;
import io.strongzero.core.internal.Protocol;
import io.strongzero.health.HealthEndpoint;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.pump.JournalAdmin;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.Await;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Health, lag, retention and throttling, per database.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
public abstract class OperationsContract extends PipelineSuite {


    private String endpoint() {
        return p.producer.endpoints().get(0);
    }

    /** Waits until {@code producer} has recorded {@code consumer} at {@code position}. */
    private static void awaitRecorded(StrongZeroProducer producer, String consumer, long position, String what) {
        Await.until(Duration.ofSeconds(10), what, () -> producer.consumers().stream()
                .anyMatch(c -> c.name().equals(consumer) && c.position() == position), producer::consumers);
    }

    private static JournalAdmin.ConsumerProgress progressOf(StrongZeroProducer producer, String consumer) {
        return producer.consumers().stream().filter(c -> c.name().equals(consumer)).findFirst().orElse(null);
    }

    /**
     * Sends a PULL of protocol version 2 (which does not report the committed position) as {@code consumer} and waits
     * for its reply (so the producer has handled it).
     */
    private static void pull(RawDealer s, long requestId, long after, int maxMessages, String consumer) {
        s.sendPull(2, new Protocol.PullRequest(requestId, after, maxMessages, 4 << 20, 0, Pipeline.PRODUCER, consumer));
        s.expectBatch(10_000, "pull " + requestId + " as " + consumer, requestId);
    }

    /** Sends a PULL of protocol version 3 reporting {@code committed} as {@code consumer} and waits for its reply. */
    private static void pullReporting(RawDealer s, long requestId, long after, long committed, String consumer) {
        s.sendPull(3, new Protocol.PullRequest(requestId, after, 10, 4 << 20, 0, Pipeline.PRODUCER, consumer, committed));
        s.expectBatch(10_000, "pull " + requestId + " as " + consumer, requestId);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPullThatReportsItsCommittedPositionIsRecordedAtItAndRetentionKeepsEverythingAfterIt() {
        StrongZeroProducer producer = p.startProducer(p.producerDb.dataSource(), b -> b.retention(Duration.ZERO, null)
                .retentionSchedule(Duration.ofHours(1), 7));
        p.sendCommittedSeries("u", 60);
        Await.until(Duration.ofSeconds(20), "60 stamped", () -> p.pump.head() == 60);
        producer.admin().registerConsumer("lanes", 0);     // plaintext: only a registered consumer holds retention
        producer.admin().registerConsumer("restarted", 45);
        try (RawDealer s = new RawDealer(endpoint())) {
            // lanes pull after the highest position dispatched (50) while the lowest lane has committed 20; a
            // version 2 pull after 50 would have been recorded at 40 (50 - maxMessages) on this fresh producer
            pullReporting(s, 1, 50, 20, "lanes");
            // a committed position below the one recorded is recorded too: it is where the consumer resumes
            pullReporting(s, 2, 50, 12, "restarted");
            Await.until(Duration.ofSeconds(10), "both recorded", () -> progressOf(producer, "lanes").position() == 20
                    && progressOf(producer, "restarted").position() == 12, producer::consumers);
            assertEquals(40, progressOf(producer, "lanes").lagMessages(), "lag from the committed position");

            JournalAdmin.RetentionResult kept = producer.cleanUpJournal();
            assertEquals(12, kept.deletedRows(), "only what both consumers committed");
            assertEquals(13, producer.admin().status().minPosition());
            producer.removeConsumer("restarted");
            assertEquals(8, producer.cleanUpJournal().deletedRows(), "up to the lowest lane's position, not beyond");
            assertEquals(21, producer.admin().status().minPosition(), "everything the lanes have not committed is kept");

            // the lanes catch up: the next pull reports it, and the rest may go up to there
            pullReporting(s, 3, 60, 60, "lanes");
            Await.until(Duration.ofSeconds(10), "recorded at 60", () -> progressOf(producer, "lanes").position() == 60,
                    producer::consumers);
            assertEquals(40, producer.cleanUpJournal().deletedRows());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theFirstPullAFreshProducerSeesMovesRecordedProgressOnlyWithinWhatItProves() {
        StrongZeroProducer producer = p.startProducer(p.producerDb.dataSource(), b -> { });
        p.sendCommittedSeries("u", 60);
        Await.until(Duration.ofSeconds(20), "60 stamped", () -> p.pump.head() == 60);
        // positions recorded by an earlier producer instance (here: registered)
        producer.admin().registerConsumer("inside", 25);
        producer.admin().registerConsumer("below", 5);
        producer.admin().registerConsumer("above", 45);
        try (RawDealer s = new RawDealer(endpoint())) {   // retries a stalled jeromq handshake (see RawDealer)
            // a first pull after 30 for at most 10 messages may be a prefetch: it proves 20..30 committed
            pull(s, 1, 30, 10, "inside");
            pull(s, 2, 50, 10, "below");
            pull(s, 3, 12, 10, "above");
            pull(s, 4, 30, 10, "newcomer");
            Await.until(Duration.ofSeconds(10), "first pulls recorded", () -> progressOf(producer, "newcomer") != null
                    && progressOf(producer, "inside").state() == JournalAdmin.ConsumerState.ACTIVE
                    && progressOf(producer, "below").state() == JournalAdmin.ConsumerState.ACTIVE
                    && progressOf(producer, "above").state() == JournalAdmin.ConsumerState.ACTIVE, producer::consumers);
            assertEquals(25, progressOf(producer, "inside").position(), "a recorded position within 20..30 stays");
            assertEquals(40, progressOf(producer, "below").position(), "below the proven floor: moves up to 50 - 10");
            assertEquals(12, progressOf(producer, "above").position(), "above what it pulls after: moves down to 12");
            assertEquals(20, progressOf(producer, "newcomer").position(), "unknown: recorded at the floor");
            assertEquals(JournalAdmin.ConsumerState.UNREGISTERED, progressOf(producer, "newcomer").state(),
                    "a name first seen on a plaintext endpoint is recorded, but nobody vouched for it");
            // the second pull proves the first one's position committed
            pull(s, 5, 40, 10, "inside");
            Await.until(Duration.ofSeconds(10), "second pull recorded", () -> progressOf(producer, "inside").position() == 30,
                    producer::consumers);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void healthTurnsNotReadyWhileADatabaseIsDownAndReadyWhenItIsBackAlsoOverHttp() throws Exception {
        SwitchableDataSource journal = new SwitchableDataSource(p.producerDb.dataSource());
        StrongZeroProducer producer = p.startProducer(journal, b -> { });
        SwitchableDataSource consumerDb = new SwitchableDataSource(p.consumerDb.dataSource());
        StrongZeroConsumer consumer = Pipeline.consumerBuilder("members", consumerDb, endpoint(), 0).build().start();
        try (HealthEndpoint http = HealthEndpoint.start(new InetSocketAddress("127.0.0.1", 0), producer, consumer)) {
            p.sendCommitted("a", 1);
            Await.until(Duration.ofSeconds(20), "both ready", () -> producer.health().ready() && consumer.health().ready()
                    && consumer.position(Pipeline.PRODUCER) == 1, () -> producer.health() + " / " + consumer.health());
            HttpClient client = HttpClient.newHttpClient();
            URI ready = URI.create("http://127.0.0.1:" + http.address().getPort() + "/health/ready");
            URI live = URI.create("http://127.0.0.1:" + http.address().getPort() + "/health/live");
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"status\" : \"UP\"") && r.body().contains("consumer:members")
                    && r.body().contains("lagMessages"), r.body());

            consumerDb.down();
            Health h = consumer.health();
            assertFalse(h.ready());
            assertTrue(h.live(), "a database outage does not ask for a restart");
            assertTrue(h.reasons().stream().anyMatch(x -> x.contains("consumer database")), h.reasons().toString());
            r = client.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertEquals(200, client.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            consumerDb.up();
            assertTrue(consumer.health().ready());

            journal.down();
            Await.until(Duration.ofSeconds(10), "producer not ready", () -> !producer.health().ready(),
                    () -> producer.health());
            journal.up();
            Await.until(Duration.ofSeconds(10), "producer ready again", () -> producer.health().ready(),
                    () -> producer.health());
            p.sendCommitted("b", 2);
            Await.until(Duration.ofSeconds(20), "stream continues", () -> consumer.position(Pipeline.PRODUCER) == 2);
            r = client.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        } finally {
            consumer.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void lagIsReportedInMessagesAndSecondsOnBothSidesForAKnownBacklog() throws Exception {
        StrongZeroProducer producer = p.startProducer(p.producerDb.dataSource(), b -> { });
        StrongZeroConsumer first = p.startConsumer("members");
        p.sendCommittedSeries("a", 10);
        Await.until(Duration.ofSeconds(20), "10 applied", () -> first.position(Pipeline.PRODUCER) == 10);
        awaitRecorded(producer, "members", 10, "producer saw position 10");
        first.close();
        long before = System.currentTimeMillis();
        p.sendCommittedSeries("b", 50);
        Await.until(Duration.ofSeconds(10), "all 60 stamped", () -> producer.pump().head() == 60);
        Thread.sleep(50); // let the backlog age measurably
        JournalAdmin.ConsumerProgress lag = producer.consumers().stream().filter(c -> c.name().equals("members"))
                .findFirst().orElseThrow();
        assertEquals(50, lag.lagMessages());
        assertTrue(lag.lagMillis() >= 50 && lag.lagMillis() <= System.currentTimeMillis() - before + 1000,
                "lag in ms is the age of message 11: " + lag.lagMillis());

        CountDownLatch release = new CountDownLatch(1);
        StrongZeroConsumer second = p.startConsumer("members2", b -> b.transactionSize(1)
                .handler("user.hold", Pipeline.User.class, (m, ctx) -> release.await()));
        p.sender.inTransaction(c -> p.sender.send(c, "user.hold", new Pipeline.User("hold", 0)));
        Await.until(Duration.ofSeconds(20), "consumer side sees its lag", () -> second.lagMessages(Pipeline.PRODUCER) > 0
                && second.position(Pipeline.PRODUCER) == 60, () -> second.position(Pipeline.PRODUCER));
        assertEquals(1, second.lagMessages(Pipeline.PRODUCER));
        release.countDown();
        Await.until(Duration.ofSeconds(20), "caught up", () -> second.lagMessages(Pipeline.PRODUCER) == 0);
        assertEquals(0, second.lagMillis(Pipeline.PRODUCER));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void retentionDeletesExactlyWhatEveryKnownConsumerPassedAndMaxRetentionOverrunsLaggards() {
        StrongZeroProducer producer = p.startProducer(p.producerDb.dataSource(), b -> b.retention(Duration.ZERO, null)
                .retentionSchedule(Duration.ofHours(1), 7));
        // on a plaintext endpoint only registered consumers hold retention (a name nobody vouched for is UNREGISTERED)
        producer.registerConsumer("fast");
        producer.registerConsumer("slow");
        StrongZeroConsumer fast = p.startConsumer("fast");
        StrongZeroConsumer slow = p.startConsumer("slow");
        p.sendCommittedSeries("a", 20);
        Await.until(Duration.ofSeconds(20), "slow at 20", () -> slow.position(Pipeline.PRODUCER) == 20);
        // the producer records the committed position each pull reports (a prefetching pull's is behind it)
        awaitRecorded(producer, "slow", 20, "slow recorded at 20");
        slow.close();
        p.sendCommittedSeries("b", 40);
        Await.until(Duration.ofSeconds(20), "fast at 60", () -> fast.position(Pipeline.PRODUCER) == 60);
        awaitRecorded(producer, "fast", 60, "progress recorded");
        producer.registerConsumer("newcomer-later"); // registered at 0 ...
        assertEquals(0, producer.cleanUpJournal().deletedRows(), "... holds everything");
        producer.removeConsumer("newcomer-later");

        JournalAdmin.RetentionResult r = producer.cleanUpJournal();
        assertEquals(20, r.deletedRows(), "only what the slowest consumer has passed");
        assertEquals(21, producer.admin().status().minPosition());
        assertEquals(40, producer.admin().status().rows());
        assertEquals(40L, producer.pump().health().details().get("journalRows"), "the probe's count without COUNT(*)");

        producer.removeConsumer("slow");
        r = producer.cleanUpJournal();
        assertEquals(40, r.deletedRows(), "with the slow consumer gone, everything the fast one passed");
        assertEquals(0, producer.admin().status().rows());
        assertEquals(0L, producer.pump().health().details().get("journalRows"));
        assertTrue(r.consumersOverrun().isEmpty());

        // a consumer far behind and a maximum retention of zero: its messages go, it is named
        producer.admin().registerConsumer("laggard", 0);
        p.sendCommittedSeries("c", 5);
        Await.until(Duration.ofSeconds(20), "fast at 65", () -> fast.position(Pipeline.PRODUCER) == 65);
        awaitRecorded(producer, "fast", 65, "progress 65 recorded");
        JournalAdmin.RetentionResult forced = producer.admin().cleanUp(Duration.ofDays(1), Duration.ZERO, 100);
        assertEquals(5, forced.deletedRows());
        assertEquals(List.of("laggard"), forced.consumersOverrun());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pullsBeyondTheInflightLimitGetBusyWithARetryAfterAndConsumersStillComplete() throws Exception {
        // without the in-memory tail every pull is a journal read, which is what the limit protects
        p.startProducer(p.producerDb.dataSource(), b -> b.maxInflightPulls(1).readers(1).tailCache(0, 0));
        p.sendCommittedSeries("a", 200);
        int busy = 0;
        int batches = 0;
        try (ZContext ctx = new ZContext(1)) {
            List<ZMQ.Socket> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ZMQ.Socket s = ctx.createSocket(SocketType.DEALER);
                s.setLinger(0);
                s.setHandshakeIvl(300);   // jeromq now and then stalls a fresh handshake; this retries it (see RawDealer)
                s.setReceiveTimeOut(5000);
                s.connect(endpoint());
                clients.add(s);
            }
            for (int i = 0; i < clients.size(); i++) {
                ZMQ.Socket s = clients.get(i);
                s.send(new byte[0], ZMQ.SNDMORE);
                s.send(Protocol.header(Protocol.CMD_PULL), ZMQ.SNDMORE);
                s.send(Protocol.encodePull(new Protocol.PullRequest(i + 1, 0, 200, 4 << 20, 0, Pipeline.PRODUCER, "raw" + i)), 0);
            }
            for (ZMQ.Socket s : clients) {
                byte[] delimiter = s.recv(0);
                assertTrue(delimiter != null, "every pull is answered");
                byte command = Protocol.parseHeader(s.recv(0));
                byte[] body = s.recv(0);
                while (s.hasReceiveMore()) {
                    s.recv(0);
                }
                if (command == Protocol.CMD_ERROR) {
                    Protocol.ErrorReply e = Protocol.decodeError(body);
                    assertEquals(ErrorCode.BUSY, e.code());
                    assertTrue(e.retryAfterMillis() > 0);
                    busy++;
                } else {
                    batches++;
                }
            }
        }
        assertTrue(busy > 0, "some pulls were refused as BUSY");
        assertTrue(batches > 0, "some pulls were served");
        StrongZeroConsumer c = p.startConsumer("members");
        Await.until(Duration.ofSeconds(30), "a real consumer backs off and completes",
                () -> c.position(Pipeline.PRODUCER) == 200, () -> c.position(Pipeline.PRODUCER));
    }

    /** Counts every metrics event by name. */
    static final class CountingMetrics implements io.strongzero.core.StrongZeroMetrics {
        final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> counts = new java.util.concurrent.ConcurrentHashMap<>();

        private void count(String event, long n) {
            counts.computeIfAbsent(event, k -> new java.util.concurrent.atomic.AtomicLong()).addAndGet(n);
        }

        long get(String event) {
            java.util.concurrent.atomic.AtomicLong v = counts.get(event);
            return v == null ? 0 : v.get();
        }

        @Override
        public void sent(String type, int payloadBytes, long nanos) {
            count("sent", 1);
        }

        @Override
        public void sequenced(String producer, int rows, long nanos) {
            count("sequenced", rows);
        }

        @Override
        public void served(String producer, String consumer, int messages, long bytes) {
            count("served", messages);
        }

        @Override
        public void handled(String consumer, String producer, String type, long nanos) {
            count("handled", 1);
        }

        @Override
        public void committed(String consumer, String producer, int messages, long nanos) {
            count("committed", messages);
        }

        @Override
        public void retried(String consumer, String producer, String type) {
            count("retried", 1);
        }

        @Override
        public void deadLettered(String consumer, String producer, String type, boolean blocking) {
            count("deadLettered", 1);
        }
    }

    /** Issue 12, item 8: MANUAL mode records strongzero.consumer.transaction* too (through committed(...)). */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manualModeRecordsOneCommittedTransactionPerAppliedMessage() {
        List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> nanos = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.strongzero.core.StrongZeroMetrics m = new io.strongzero.core.StrongZeroMetrics() {
            @Override
            public void committed(String consumer, String producer, int messages, long elapsed) {
                if (consumer.equals("manual") && producer.equals(Pipeline.PRODUCER)) {
                    sizes.add(messages);
                    nanos.add(elapsed);
                }
            }
        };
        p.startProducer(p.producerDb.dataSource(), b -> { });
        javax.sql.DataSource ds = p.consumerDb.dataSource();
        StrongZeroConsumer c = p.startConsumer("manual", b -> b.transactionMode(io.strongzero.consumer.TransactionMode.MANUAL)
                .metrics(m).handler("user.manual", Pipeline.User.class, (msg, ctx) -> {
                    try (java.sql.Connection own = ds.getConnection()) {
                        own.setAutoCommit(false);
                        Pipeline.record(own, "manual", msg);
                        ctx.consumed(own);
                        own.commit();
                    }
                }));
        for (int i = 0; i < 5; i++) {
            int n = i;
            p.sender.inTransaction(tx -> p.sender.send(tx, "user.manual", new Pipeline.User("m" + n, n)));
        }
        Await.until(Duration.ofSeconds(30), "5 messages applied in MANUAL mode", () -> c.position(Pipeline.PRODUCER) == 5,
                () -> c.position(Pipeline.PRODUCER) + ", " + c.lastError(Pipeline.PRODUCER));
        assertEquals(5, p.receivedCount("manual"));
        assertEquals(List.of(1, 1, 1, 1, 1), sizes, "one committed transaction of one message per applied message");
        assertTrue(nanos.stream().allMatch(t -> t > 0), nanos.toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void metricsListenersSeeSendsSequencingServingHandlingRetriesAndDeadLetters() {
        CountingMetrics m = new CountingMetrics();
        p.pump = StrongZeroPump.builder().name(Pipeline.PRODUCER).dataSource(p.producerDb.dataSource()).metrics(m).build();
        p.producer = StrongZeroProducer.builder().pump(p.pump).bind("tcp://127.0.0.1:*").metrics(m).build().start();
        p.sender = io.strongzero.producer.StrongZeroSender.builder().producer(p.producer)
                .dataSource(p.producerDb.dataSource()).metrics(m).build();
        StrongZeroConsumer c = p.startConsumer("members", b -> b.metrics(m).retryPolicy(io.strongzero.consumer.RetryPolicy
                .builder().maxAttempts(2).backoff(Duration.ofMillis(5), Duration.ofMillis(10)).build())
                .handler("user.bad", Pipeline.User.class, (msg, ctx) -> {
                    throw new IllegalStateException("bad");
                }));
        p.sendCommittedSeries("a", 10);
        p.sender.inTransaction(tx -> p.sender.send(tx, "user.bad", new Pipeline.User("bad", 0)));
        Await.until(Duration.ofSeconds(30), "all done", () -> c.position(Pipeline.PRODUCER) == 11
                && m.get("deadLettered") == 1, m.counts::toString);
        assertEquals(11, m.get("sent"));
        assertEquals(11, m.get("sequenced"));
        assertTrue(m.get("served") >= 11, m.counts.toString());
        assertEquals(10, m.get("committed"), "committed counts applied messages");
        assertTrue(m.get("handled") >= 10, m.counts.toString());
        assertEquals(1, m.get("retried"), "two attempts: one retry");
    }
}
