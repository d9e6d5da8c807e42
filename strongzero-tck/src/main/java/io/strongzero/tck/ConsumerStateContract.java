package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Health;
import io.strongzero.core.internal.Protocol;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.pump.JournalAdmin;
import io.strongzero.pump.JournalAdmin.ConsumerState;
import io.strongzero.pump.internal.ConsumerProgressWriter;
import io.strongzero.pump.internal.ConsumerProgressWriter.ProgressBounds;
import io.strongzero.pump.internal.ConsumerProgressWriter.RecordOutcome;
import io.strongzero.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a consumer name nobody vouched for may do, per database (recorded as
 * UNREGISTERED, capped, never holding back retention or crowding out a real consumer's lag), and the idle rule in
 * the producer's health. It reads the producer's warnings from {@code System.err}, where slf4j-simple writes them:
 * run it with {@code org.slf4j:slf4j-simple} as the logging binding.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ConsumerStateContract extends PipelineSuite {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.start();
    }

    @AfterEach
    void stopCapturingLog() {
        log.close();
    }

    private JournalAdmin admin() {
        return new JournalAdmin(p.producerDb.dataSource(), "sz_", Clock.systemUTC());
    }

    /** Starts the producer, sends {@code n} messages (stamped) and returns an admin on its journal. */
    private JournalAdmin startAndSend(int n) {
        p.startProducer(p.producerDb.dataSource(), b -> { });
        send(n);
        return admin();
    }

    /** Records pulls the way the producer does (its internal progress writer). */
    private RecordOutcome recordPulls(Map<String, ProgressBounds> bounds, Set<String> vouched, int maxUnregistered) {
        return new ConsumerProgressWriter(p.producerDb.dataSource(), database().dialect(), "sz_", Clock.systemUTC())
                .recordPulls(bounds, vouched, maxUnregistered);
    }

    private void send(int n) {
        long head = p.pump.head();
        p.sendCommittedSeries("u", n);
        Await.until(WAIT, "head " + (head + n), () -> p.pump.head() == head + n, p.pump::head);
    }

    private static JournalAdmin.ConsumerProgress progressOf(List<JournalAdmin.ConsumerProgress> all, String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    private static long count(List<JournalAdmin.ConsumerProgress> all, ConsumerState state) {
        return all.stream().filter(c -> c.state() == state).count();
    }

    /**
     * Sends a valid PULL as {@code consumer} that reports {@code committed} and waits for its reply (so the producer
     * has handled it).
     */
    private static void pull(RawDealer s, long requestId, long after, long committed, String consumer) {
        s.sendPull(new Protocol.PullRequest(requestId, after, 10, 4 << 20, 0, Pipeline.PRODUCER, consumer, committed));
        s.expectBatch(10_000, "pull " + requestId + " as " + consumer, requestId);
    }

    @Test
    void tenThousandMadeUpNamesStayWithinTheCapAndLeaveARegisteredConsumersRetentionAndLagUnchanged() {
        JournalAdmin admin = startAndSend(40);
        admin.registerConsumer("billing", 0);
        recordPulls(Map.of("billing", new ProgressBounds(30, 30)), Set.of(), 100);
        JournalAdmin.ConsumerProgress before = progressOf(admin.consumers(), "billing");
        assertEquals(ConsumerState.ACTIVE, before.state(), "a registered consumer's pull makes it ACTIVE");
        assertEquals(10, before.lagMessages());

        // 10,000 made-up names in valid pulls nobody vouched for, recorded the way the producer does it: in flushes
        long notRecorded = 0;
        int recorded = 0;
        for (int flush = 0; flush < 10; flush++) {
            Map<String, ProgressBounds> pulls = new LinkedHashMap<>();
            for (int i = 0; i < 1_000; i++) {
                pulls.put("made-up-" + flush + "-" + i, new ProgressBounds(0, 0));   // each would hold everything
            }
            RecordOutcome outcome = recordPulls(pulls, Set.of(), 100);
            notRecorded += outcome.notRecorded();
            recorded += outcome.recordedUnregistered().size();
        }
        List<JournalAdmin.ConsumerProgress> all = admin.consumers();
        assertEquals(101, all.size(), "billing and the cap of 100 unregistered names");
        assertEquals(100, count(all, ConsumerState.UNREGISTERED));
        assertEquals(100, recorded);
        assertEquals(9_900, notRecorded);

        JournalAdmin.ConsumerProgress after = progressOf(all, "billing");
        assertEquals(ConsumerState.ACTIVE, after.state());
        assertEquals(30, after.position());
        assertEquals(10, after.lagMessages(), "billing's lag unchanged");
        JournalAdmin.RetentionResult r = admin.cleanUp(Duration.ZERO, null, 1000);
        assertEquals(30, r.deletedRows(), "up to billing's position: the made-up names at 0 hold nothing back");
        assertTrue(r.consumersOverrun().isEmpty());
    }

    @Test
    void madeUpNamesOverRealSocketsAreServedCappedAndWarnedAboutWhileARegisteredConsumersLagAndRetentionHold() {
        StrongZeroProducer producer = p.startProducer(p.producerDb.dataSource(), b -> b.maxUnregisteredConsumers(5).retention(Duration.ZERO, null)
                .retentionSchedule(Duration.ofHours(1), 1000));
        send(30);
        producer.registerConsumer("billing");
        try (RawDealer s = new RawDealer(producer.endpoints().get(0))) {
            pull(s, 1, 25, 20, "billing");   // pulls after 25 with 20 committed
            Await.until(WAIT, "billing recorded at 20", () -> progressOf(producer.consumers(), "billing").position() == 20,
                    producer::consumers);
            for (int i = 0; i < 50; i++) {
                pull(s, 100 + i, 0, 0, "made-up-" + i);   // valid pulls, every one served
            }
        }
        Await.until(WAIT, "5 recorded, 45 not", () -> producer.unrecordedConsumerNameCount() == 45
                && count(producer.consumers(), ConsumerState.UNREGISTERED) == 5, producer::consumers);
        List<JournalAdmin.ConsumerProgress> all = producer.consumers();
        assertEquals(6, all.size(), all.toString());
        JournalAdmin.ConsumerProgress billing = progressOf(all, "billing");
        assertEquals(ConsumerState.ACTIVE, billing.state());
        assertEquals(10, billing.lagMessages(), "billing's lag is its own");

        Await.until(WAIT, "the WARNs", () -> log.text().contains("as UNREGISTERED")
                && log.text().contains("did not record "), log::text);
        String text = log.text();
        assertTrue(text.contains("retention does NOT wait for") && text.contains("strongzero consumers register"), text);
        assertTrue(text.contains("maxUnregisteredConsumers") && text.contains("5 UNREGISTERED consumers"), text);

        Health h = producer.health();
        assertEquals(5, h.details().get("unregisteredConsumers"), h.toString());
        assertEquals(45L, h.details().get("unrecordedConsumerNames"), h.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) h.details().get("consumers");
        assertEquals(List.of("billing"), listed.stream().map(m -> m.get("name")).toList(),
                "made-up names do not crowd the health's consumer list");

        JournalAdmin.RetentionResult r = producer.cleanUpJournal();
        assertEquals(20, r.deletedRows(), "up to billing's position; the made-up names at 0 hold nothing back");
        assertTrue(r.consumersOverrun().isEmpty());
    }

    @Test
    void anUnregisteredNameDoesNotHoldBackRetentionUntilItIsRegistered() {
        JournalAdmin admin = startAndSend(20);
        admin.registerConsumer("billing", 0);
        recordPulls(Map.of("billing", new ProgressBounds(15, 15), "ghost", new ProgressBounds(5, 5)), Set.of(), 100);
        assertEquals(ConsumerState.UNREGISTERED, progressOf(admin.consumers(), "ghost").state());
        assertEquals(15, admin.cleanUp(Duration.ZERO, null, 1000).deletedRows(), "ghost at 5 holds nothing back");

        send(10);
        recordPulls(Map.of("billing", new ProgressBounds(30, 30), "ghost", new ProgressBounds(20, 20)), Set.of(), 100);
        admin.registerConsumer("ghost", 25);
        JournalAdmin.ConsumerProgress ghost = progressOf(admin.consumers(), "ghost");
        assertEquals(ConsumerState.REGISTERED, ghost.state());
        assertEquals(20, ghost.position(), "registered from the lower of its recorded and the given position");
        assertEquals(5, admin.cleanUp(Duration.ZERO, null, 1000).deletedRows(), "now it counts: 16..20 only");

        recordPulls(Map.of("ghost", new ProgressBounds(30, 30)), Set.of(), 100);
        assertEquals(ConsumerState.ACTIVE, progressOf(admin.consumers(), "ghost").state(),
                "a registered consumer's next pull, authenticated or not, makes it ACTIVE");
        assertEquals(10, admin.cleanUp(Duration.ZERO, null, 1000).deletedRows());
    }

    @Test
    void aNameVouchedForByABoundKeyTurnsAnUnregisteredRowIntoARealConsumerAndRemovingAnUnregisteredOneDeletesIt() {
        JournalAdmin admin = startAndSend(10);
        recordPulls(Map.of("members", new ProgressBounds(3, 3), "ghost", new ProgressBounds(1, 1)), Set.of(), 2);
        recordPulls(Map.of("members", new ProgressBounds(4, 4), "bound", new ProgressBounds(2, 2)),
                Set.of("members", "bound"), 0);
        List<JournalAdmin.ConsumerProgress> all = admin.consumers();
        assertEquals(ConsumerState.ACTIVE, progressOf(all, "members").state());
        assertEquals(4, progressOf(all, "members").position());
        assertEquals(ConsumerState.ACTIVE, progressOf(all, "bound").state(), "vouched names are not capped");
        assertEquals(ConsumerState.UNREGISTERED, progressOf(all, "ghost").state());

        assertTrue(admin.removeConsumer("ghost"));
        assertEquals(null, progressOf(admin.consumers(), "ghost"), "an unregistered row is deleted, freeing its place");
        assertTrue(admin.removeConsumer("members"));
        assertEquals(ConsumerState.GONE, progressOf(admin.consumers(), "members").state());
        recordPulls(Map.of("members", new ProgressBounds(9, 9)), Set.of("members"), 0);
        assertEquals(ConsumerState.GONE, progressOf(admin.consumers(), "members").state(), "GONE stays GONE");
    }

    @Test
    void healthReportsAnActiveConsumerWithoutARecentPullAsIdle() {
        StrongZeroProducer producer = p.startProducer(p.producerDb.dataSource(), b -> b.consumerIdleAfter(Duration.ofSeconds(1)));
        send(5);
        producer.registerConsumer("billing");
        producer.registerConsumer("reports");
        try (RawDealer s = new RawDealer(producer.endpoints().get(0))) {
            pull(s, 1, 5, 5, "billing");
            Await.until(WAIT, "billing ACTIVE", () -> progressOf(producer.consumers(), "billing").state()
                    == ConsumerState.ACTIVE, producer::consumers);
            assertEquals("ACTIVE", stateInHealth(producer, "billing"), "pulled just now");
            assertEquals("REGISTERED", stateInHealth(producer, "reports"), "never pulled: registered, not idle");
            Await.until(WAIT, "billing idle after 1 s without a pull", () -> "IDLE".equals(stateInHealth(producer, "billing")),
                    producer::health);
            assertEquals(1, producer.health().details().get("idleConsumers"));
            JournalAdmin.ConsumerProgress billing = progressOf(producer.consumers(), "billing");
            assertEquals(ConsumerState.ACTIVE, billing.state(), "idle is a reading, not a stored state");
            assertTrue(billing.idle(System.currentTimeMillis(), Duration.ofSeconds(1)));
            assertFalse(billing.idle(billing.lastSeen() + 1000, Duration.ofSeconds(1)), "idle only after more than that");

            pull(s, 2, 5, 5, "billing");
            Await.until(WAIT, "active again after a pull", () -> "ACTIVE".equals(stateInHealth(producer, "billing")),
                    producer::health);
        }
    }

    @SuppressWarnings("unchecked")
    private static String stateInHealth(StrongZeroProducer producer, String consumer) {
        List<Map<String, Object>> listed = (List<Map<String, Object>>) producer.health().details().get("consumers");
        return listed.stream().filter(m -> consumer.equals(m.get("name"))).map(m -> (String) m.get("state")).findFirst()
                .orElse(null);
    }
}
