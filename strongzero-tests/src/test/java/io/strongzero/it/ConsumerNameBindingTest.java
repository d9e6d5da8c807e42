package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.Health;
import io.strongzero.producer.ProducerSecurity;
import io.strongzero.pump.JournalAdmin;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5: a key bound to consumer names ({@link ProducerSecurity.Builder#consumerNames}) cannot pull, or
 * report progress that retention trusts, under another consumer's name; an unbound key still can.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerNameBindingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String P = Pipeline.PRODUCER;

    private final CurveKeyPair producerKeys = CurveKeyPair.generate();
    private final CurveKeyPair membersKeys = CurveKeyPair.generate();
    private final CurveKeyPair reportsKeys = CurveKeyPair.generate();
    private SecureStream s;

    @BeforeEach
    void setUp() {
        s = new SecureStream(ProducerSecurity.builder().keyPair(producerKeys)
                .allow(membersKeys.publicKey()).consumerNames(membersKeys.publicKey(), Set.of("members"))
                .allow(reportsKeys.publicKey())
                .build());
    }

    @AfterEach
    void tearDown() {
        if (s != null) {
            s.close();
        }
    }

    private StrongZeroConsumer start(String name, CurveKeyPair keys) {
        return s.consumer(name, b -> b.longPollWait(Duration.ZERO).requestTimeout(Duration.ofSeconds(2))
                .curveKeyPair(keys).producerKey(P, producerKeys.publicKey()));
    }

    @Test
    void keyBoundToAConsumerNameIsRefusedUnderAnotherNameAndItsProgressIsNeverRecorded() {
        StrongZeroConsumer members = start("members", membersKeys);
        List<String> sent = new ArrayList<>(s.send("a", 20));
        StrongZeroConsumer impostor = start("billing", membersKeys);   // the members service's key, another name
        Await.until(WAIT, "the impostor's pulls refused with the reason in its lastError",
                () -> impostor.failureCount() >= 2
                        && String.valueOf(impostor.lastError(P)).contains("may pull only as consumer members, not 'billing'"),
                () -> impostor.failureCount() + " failures, " + impostor.lastError(P));
        sent.addAll(s.send("b", 20));
        Await.until(WAIT, "members has everything", () -> s.pipeline.receivedCount("members") >= sent.size(),
                () -> s.pipeline.receivedCount("members"));
        assertEquals(sent, s.pipeline.receivedIds("members"), "every message, in order, once");
        Await.until(WAIT, "members' progress recorded", () -> s.producer.consumers().stream()
                .anyMatch(c -> c.name().equals("members") && c.position() == sent.size()), s.producer::consumers);

        assertEquals(0, s.pipeline.receivedCount("billing"));
        assertEquals(0, impostor.position(P));
        assertTrue(s.producer.consumers().stream().noneMatch(c -> c.name().equals("billing")),
                "a refused pull is not recorded as progress: " + s.producer.consumers());
        assertTrue(s.producer.malformedCount() >= 2, "refusals are counted: " + s.producer.malformedCount());
        assertEquals(0, members.failureCount());
    }

    @Test
    void refusedConsumerReportsTheRefusalInItsHealthRatherThanASilentProducer() {
        StrongZeroConsumer members = start("members", membersKeys);
        List<String> sent = s.send("a", 5);
        StrongZeroConsumer impostor = start("billing", membersKeys);
        Await.until(WAIT, "the impostor refused", () -> impostor.failureCount() >= 1 && impostor.lastError(P) != null,
                impostor::failureCount);
        Await.until(WAIT, "members has everything", () -> s.pipeline.receivedCount("members") >= sent.size(),
                () -> s.pipeline.receivedCount("members"));

        Health refused = impostor.health();
        assertTrue(refused.live() && refused.ready(), "a refused consumer is degraded, not dead: " + refused);
        assertTrue(refused.reasons().stream().anyMatch(r -> r.contains("refuses this consumer's pulls (NOT_AUTHORIZED)")
                && r.contains("may pull only as consumer members")), "the reason names the refusal: " + refused.reasons());
        assertTrue(refused.reasons().stream().noneMatch(r -> r.startsWith("no reply")),
                "the producer did reply, with a refusal: " + refused.reasons());
        assertEquals("NOT_AUTHORIZED", stream(refused).get("refused"));

        Health fine = members.health();
        assertTrue(fine.reasons().stream().noneMatch(r -> r.contains("refuses")), fine.reasons().toString());
        assertTrue(stream(fine).containsKey("refused"), "the detail is always present: " + stream(fine));
        assertNull(stream(fine).get("refused"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stream(Health h) {
        List<Map<String, Object>> producers = (List<Map<String, Object>>) h.details().get("producers");
        assertEquals(1, producers.size(), h.toString());
        return producers.get(0);
    }

    @Test
    void nameFromAKeyBoundToItIsRecordedAsARealConsumerAndANameFromAnUnboundKeyAsUnregistered() {
        start("members", membersKeys);
        start("reports", reportsKeys);
        List<String> sent = s.send("a", 10);
        Await.until(WAIT, "both recorded at the end", () -> s.producer.consumers().stream()
                .filter(c -> c.position() == sent.size()).count() == 2, s.producer::consumers);
        Map<String, JournalAdmin.ConsumerState> states = new java.util.TreeMap<>();
        s.producer.consumers().forEach(c -> states.put(c.name(), c.state()));
        assertEquals(Map.of("members", JournalAdmin.ConsumerState.ACTIVE, "reports", JournalAdmin.ConsumerState.UNREGISTERED),
                states, "the bound key vouches for members; nobody vouches for the name the unbound key chose");
    }

    @Test
    void unboundKeyMayPullUnderTheNameItChooses() {
        start("reports", reportsKeys);
        List<String> sent = s.send("a", 20);
        Await.until(WAIT, "reports has everything", () -> s.pipeline.receivedCount("reports") >= sent.size(),
                () -> s.pipeline.receivedCount("reports"));
        assertEquals(sent, s.pipeline.receivedIds("reports"));
    }
}
