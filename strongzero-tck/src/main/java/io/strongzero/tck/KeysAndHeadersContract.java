package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.DeadLetters;
import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Headers;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.internal.HeaderCodec;
import io.strongzero.testing.Await;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ordering keys and headers end to end, run once per database: what the sender is given is stored (NULL when
 * absent), carried on the wire (protocol version 2) and handed to the handler, a dead letter and its replay exactly;
 * messages without them behave as before.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
public abstract class KeysAndHeadersContract extends PipelineSuite {

    private static final Duration DELIVERY = Duration.ofSeconds(20);
    private static final String TYPE = "order.placed";

    /** What a handler saw of one message. */
    record Seen(String id, String name, Optional<String> key, Map<String, String> headers) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean poisonFails = new AtomicBoolean(true);

    private StrongZeroConsumer startRecordingConsumer() {
        return p.startConsumer("keyed", b -> b.handler(TYPE, Pipeline.User.class, (m, ctx) -> {
            if (m.payload().name().equals("poison") && poisonFails.get()) {
                throw new NonRetryableException("poison message");
            }
            seen.add(new Seen(m.id().toString(), m.payload().name(), m.key(), m.headers()));
        }));
    }

    private String send(String name, String key, Headers headers) {
        return p.sender.inTransaction(c -> p.sender.send(c, TYPE, key, new Pipeline.User(name, 0), headers).toString());
    }

    private static Headers manyHeaders() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
        m.put("tenant", "acme \u00e9\u65e5");
        m.put("empty", "");
        m.put("a", "last in order, first in the alphabet");
        return Headers.of(m);
    }

    @Test
    void theHandlerSeesExactlyTheKeyAndHeadersSentAndNothingForAMessageSentWithout() {
        p.startProducer();
        startRecordingConsumer();
        String plain = p.sender.inTransaction(c -> p.sender.send(c, TYPE, new Pipeline.User("plain", 0)).toString());
        String keyOnly = p.sender.inTransaction(c -> p.sender.send(c, TYPE, "order-1", new Pipeline.User("key", 0))
                .toString());
        String both = send("both", "order-\u00fc-" + "k".repeat(200), manyHeaders());
        String headersOnly = send("headers", null, Headers.of("trace-id", "t-1"));
        Await.until(DELIVERY, "4 messages handled", () -> seen.size() >= 4, seen::toString);

        assertEquals(List.of(
                new Seen(plain, "plain", Optional.empty(), Map.of()),
                new Seen(keyOnly, "key", Optional.of("order-1"), Map.of()),
                new Seen(both, "both", Optional.of("order-\u00fc-" + "k".repeat(200)), manyHeaders().asMap()),
                new Seen(headersOnly, "headers", Optional.empty(), Map.of("trace-id", "t-1"))), seen);
        assertEquals(List.of("trace-id", "tenant", "empty", "a"), new ArrayList<>(seen.get(2).headers().keySet()),
                "the handler sees the headers in the order they were given");
        assertThrows(UnsupportedOperationException.class, () -> seen.get(2).headers().put("x", "y"));

        // each send committed before the next: positions 1 to 4 in sending order
        List<String> keys = new ArrayList<>();
        List<byte[]> headerColumns = new ArrayList<>();
        Pipeline.query(p.producerDb, "SELECT msg_key, headers FROM sz_journal ORDER BY pos", rs -> {
            keys.add(rs.getString(1));
            headerColumns.add(rs.getBytes(2));
        });
        assertEquals(Arrays.asList(null, "order-1", "order-\u00fc-" + "k".repeat(200), null), keys, "no key is NULL");
        assertNull(headerColumns.get(0), "no headers is NULL");
        assertNull(headerColumns.get(1));
        assertEquals(manyHeaders(), HeaderCodec.decode(headerColumns.get(2)), "the column holds the wire encoding");
        assertEquals(Headers.of("trace-id", "t-1"), HeaderCodec.decode(headerColumns.get(3)));
    }

    @Test
    void aDeadLetterKeepsTheKeyAndHeadersAndItsReplayDeliversThemToTheHandlerAgain() {
        p.startProducer();
        StrongZeroConsumer consumer = startRecordingConsumer();
        String plainPoison = p.sender.inTransaction(c -> p.sender.send(c, TYPE, new Pipeline.User("poison", 0))
                .toString());
        String keyedPoison = send("poison", "order-7", manyHeaders());
        String after = send("after", "order-8", Headers.NONE);
        Await.until(DELIVERY, "the message after the poison ones handled", () -> seen.size() >= 1, seen::toString);
        assertEquals(after, seen.get(0).id());

        DeadLetters letters = consumer.deadLetters();
        Await.until(DELIVERY, "two dead letters", () -> letters.count() == 2, () -> letters.open().toString());
        DeadLetter keyed = letters.get(Pipeline.PRODUCER, FlakeId.parse(keyedPoison)).orElseThrow();
        assertEquals("order-7", keyed.key());
        assertEquals(manyHeaders().asMap(), keyed.headers());
        assertEquals(List.of("trace-id", "tenant", "empty", "a"), new ArrayList<>(keyed.headers().keySet()));
        DeadLetter plain = letters.get(Pipeline.PRODUCER, FlakeId.parse(plainPoison)).orElseThrow();
        assertNull(plain.key());
        assertEquals(Map.of(), plain.headers());

        poisonFails.set(false);
        assertTrue(letters.replay(Pipeline.PRODUCER, FlakeId.parse(keyedPoison)).applied());
        assertTrue(letters.replay(Pipeline.PRODUCER, FlakeId.parse(plainPoison)).applied());
        assertEquals(List.of(
                new Seen(after, "after", Optional.of("order-8"), Map.of()),
                new Seen(keyedPoison, "poison", Optional.of("order-7"), manyHeaders().asMap()),
                new Seen(plainPoison, "poison", Optional.empty(), Map.of())), seen);
        assertEquals(List.of("trace-id", "tenant", "empty", "a"), new ArrayList<>(seen.get(1).headers().keySet()),
                "the replay keeps the order");
    }

    @Test
    void anInvalidKeyOrNullHeadersAreRefusedNamingTheRuleAndWriteNothing() throws Exception {
        p.startProducer();
        try (Connection c = p.producerDb.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (String bad : new String[] {"", " ", "k".repeat(256), "order\n1"}) {
                StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                        () -> p.sender.send(c, TYPE, bad, new Pipeline.User("x", 1)), "key '" + bad + "'");
                assertTrue(e.getMessage().startsWith("key must"), e.getMessage());
            }
            StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                    () -> p.sender.send(c, TYPE, "k", new Pipeline.User("x", 1), null));
            assertEquals("headers must not be null", e.getMessage());
            c.commit();
        }
        assertEquals(0, Pipeline.count(p.producerDb, "SELECT COUNT(*) FROM sz_journal"));
    }
}
