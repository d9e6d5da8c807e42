package io.strongzero.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.Dialect;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.internal.CurveKeys;
import java.time.Duration;
import java.util.Base64;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class ConsumerConfigTest {

    private static ConsumerConfig.Builder minimal() {
        return ConsumerConfig.builder().name("members").producer("users", "tcp://127.0.0.1:7300");
    }

    @Test
    void hasTheDocumentedDefaults() {
        ConsumerConfig c = minimal().build();
        assertEquals("sz_", c.tablePrefix());
        assertNull(c.dialect());
        assertEquals(UnknownTypePolicy.FAIL, c.unknownTypePolicy());
        assertEquals(TransactionMode.AUTO, c.transactionMode());
        assertEquals(500, c.maxBatchMessages());
        assertEquals(4 * 1024 * 1024, c.maxBatchBytes());
        assertEquals(100, c.transactionSize());
        assertEquals(Duration.ofSeconds(5), c.longPollWait());
        assertEquals(Duration.ofSeconds(10), c.requestTimeout());
        assertEquals(Duration.ofSeconds(60), c.handlerTimeout());
        assertEquals(Duration.ofMillis(100), c.reconnectBackoffBase());
        assertEquals(Duration.ofSeconds(10), c.reconnectBackoffCap());
        assertEquals(RetryPolicy.defaults(), c.retryPolicy());
        assertTrue(c.prefetch());
    }

    @Test
    void toBuilderCopiesEveryValueAndEqualityFollowsThem() {
        RetryPolicy slow = RetryPolicy.builder().maxAttempts(9).build();
        ConsumerConfig c = minimal().dialect(Dialect.H2).tablePrefix("app_").transactionSize(7).handlerTimeout(null)
                .retryPolicy("t", slow).reconnectBackoff(Duration.ofMillis(5), Duration.ofSeconds(1)).build();
        ConsumerConfig copy = c.toBuilder().build();
        assertEquals(c, copy);
        assertEquals(c.hashCode(), copy.hashCode());
        assertEquals(c.toString(), copy.toString());
        assertSame(slow, copy.retryPolicyFor("t"));
        assertEquals(RetryPolicy.defaults(), copy.retryPolicyFor("other"));
        assertNotEquals(c, c.toBuilder().transactionSize(8).build());
    }

    @Test
    void printsEveryOptionButNeverTheSecretKey() {
        CurveKeyPair keys = CurveKeyPair.generate();
        ConsumerConfig c = minimal().curveKeyPair(keys).producerKey("users", CurveKeyPair.generate().publicKey()).build();
        String text = c.toString();
        assertTrue(text.contains("<secret>"), text);
        assertTrue(text.contains(keys.publicKey().z85()), text);
        assertFalse(text.contains(CurveKeys.encodeZ85(keys.secretKey())), text);
        assertFalse(text.contains(Base64.getEncoder().encodeToString(keys.secretKey())), text);
        for (String option : new String[] {"name=members", "transactionSize=100", "longPollWait=PT5S", "prefetch=true",
                "handshakeTimeout=PT2S", "closeTimeout=PT10S", "reconnectBackoff=PT0.1S..PT10S"}) {
            assertTrue(text.contains(option), option + " in " + text);
        }
    }

    @Test
    void refusesBadValuesNamingOptionRuleAndValue() {
        StrongZeroConfigException x = assertThrows(StrongZeroConfigException.class, () -> minimal().transactionSize(0));
        assertEquals("transactionSize must be between 1 and 10000 but was 0", x.getMessage());
        x = assertThrows(StrongZeroConfigException.class, () -> minimal().handlerTimeout(Duration.ofMillis(5)));
        assertEquals("handlerTimeout must be between 10 ms and 1 h (or null for none) but was PT0.005S", x.getMessage());
        x = assertThrows(StrongZeroConfigException.class, () -> minimal().retryPolicy("", RetryPolicy.defaults()));
        assertTrue(x.getMessage().startsWith("retryPolicy type must not be empty"), x.getMessage());
        x = assertThrows(StrongZeroConfigException.class, () -> ConsumerConfig.builder().name("m").build());
        assertTrue(x.getMessage().contains("at least one producer"), x.getMessage());
        x = assertThrows(StrongZeroConfigException.class, () -> minimal().maxBatchMessages(10).build());
        assertTrue(x.getMessage().contains("transactionSize (100) cannot exceed maxBatchMessages (10)"), x.getMessage());
    }

    @Test
    void theConsumerBuilderWritesItsSettingsIntoTheConfigAndTakesAWholeConfig() {
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:consumerconfig");
        ConsumerConfig given = minimal().dialect(Dialect.H2).transactionSize(10).unknownTypePolicy(UnknownTypePolicy.SKIP)
                .build();
        try (StrongZeroConsumer c = StrongZeroConsumer.builder().transactionSize(20).config(given).dataSource(db)
                .build()) {
            assertEquals(given, c.config());
        }
        try (StrongZeroConsumer c = StrongZeroConsumer.builder().config(given).transactionSize(30).dataSource(db)
                .build()) {
            assertEquals(given.toBuilder().transactionSize(30).build(), c.config());
        }
    }
}
