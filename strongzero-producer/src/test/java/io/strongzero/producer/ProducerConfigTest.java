package io.strongzero.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.internal.CurveKeys;
import io.strongzero.pump.PumpConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {

    private static String refused(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(StrongZeroConfigException.class, e).getMessage();
    }

    @Test
    void holdsTheDefaultsAndRequiresAnEndpoint() {
        ProducerConfig c = ProducerConfig.builder().bind("tcp://127.0.0.1:7300").build();
        assertNull(c.pump());
        assertEquals(List.of("tcp://127.0.0.1:7300"), c.endpoints());
        assertEquals(4, c.readers());
        assertEquals(1000, c.maxBatchMessages());
        assertEquals(4 * 1024 * 1024, c.maxBatchBytes());
        assertEquals(10_000, c.maxParked());
        assertEquals(1_000, c.maxQueuedReads());
        assertEquals(Duration.ofSeconds(5), c.heartbeat());
        assertEquals(256, c.maxInflightPulls());
        assertEquals(256L * 1024 * 1024, c.maxInflightBytes());
        assertEquals(10_000, c.tailCacheMessages());
        assertEquals(16L * 1024 * 1024, c.tailCacheBytes());
        assertEquals(Duration.ofSeconds(1), c.progressInterval());
        assertNull(c.retentionMin());
        assertNull(c.retentionMax());
        assertEquals(Duration.ofMinutes(1), c.retentionInterval());
        assertEquals(1000, c.retentionChunk());
        assertEquals(100, c.maxUnregisteredConsumers());
        assertEquals(Duration.ofSeconds(60), c.consumerIdleAfter());
        assertNull(c.security());
        assertTrue(refused(() -> ProducerConfig.builder().build()).startsWith("at least one bind endpoint is required"));
    }

    @Test
    void settersRefuseBadValuesWithTheMessagesTheyAlwaysHad() {
        assertEquals("tailCache messages must be between 0 and 1000000 but was -1",
                refused(() -> ProducerConfig.builder().tailCache(-1, 0)));
        assertEquals("tailCache bytes must be between 0 and 4 GiB but was -1",
                refused(() -> ProducerConfig.builder().tailCache(0, -1)));
        assertEquals("maxInflightBytes must be between 1 MiB and 16 GiB but was 1",
                refused(() -> ProducerConfig.builder().maxInflightBytes(1)));
        assertEquals("progressInterval must be between 10 ms and 1 min but was PT0.009S",
                refused(() -> ProducerConfig.builder().progressInterval(Duration.ofMillis(9))));
        assertEquals("retention min must be zero or more but was null",
                refused(() -> ProducerConfig.builder().retention(null, null)));
        assertEquals("retention max (PT1S) cannot be shorter than min (PT2S)",
                refused(() -> ProducerConfig.builder().retention(Duration.ofSeconds(2), Duration.ofSeconds(1))));
        assertEquals("retention interval must be between 10 ms and 24 h but was PT25H",
                refused(() -> ProducerConfig.builder().retentionSchedule(Duration.ofHours(25), 1)));
        assertEquals("retention chunk must be between 1 and 100000 but was 0",
                refused(() -> ProducerConfig.builder().retentionSchedule(Duration.ofMinutes(1), 0)));
        assertEquals("readers must be between 1 and 64 but was 0", refused(() -> ProducerConfig.builder().readers(0)));
    }

    @Test
    void toBuilderCopiesEveryValueAndToStringNeverShowsTheSecretKey() {
        CurveKeyPair keys = CurveKeyPair.generate();
        ProducerConfig c = ProducerConfig.builder().pump(PumpConfig.builder().name("users").build())
                .bind("tcp://127.0.0.1:7300").bind("ipc:///tmp/users.sz").readers(8).maxBatchMessages(10)
                .maxBatchBytes(2048).maxParked(5).maxQueuedReads(6).heartbeat(Duration.ofSeconds(1)).maxInflightPulls(7)
                .maxInflightBytes(2L << 20).tailCache(0, 0).progressInterval(Duration.ofMillis(50))
                .retention(Duration.ofDays(1), Duration.ofDays(2)).retentionSchedule(Duration.ofSeconds(30), 10)
                .maxUnregisteredConsumers(0).consumerIdleAfter(Duration.ofSeconds(5))
                .security(ProducerSecurity.builder().keyPair(keys).allow(CurveKeyPair.generate().publicKey()).build())
                .build();
        ProducerConfig copy = c.toBuilder().build();
        assertEquals(c, copy);
        assertEquals(c.hashCode(), copy.hashCode());
        assertEquals(c.toString(), copy.toString());
        assertNotEquals(c, c.toBuilder().readers(9).build());
        assertEquals(List.of("tcp://127.0.0.1:7300", "ipc:///tmp/users.sz", "tcp://127.0.0.1:7301"),
                c.toBuilder().bind("tcp://127.0.0.1:7301").build().endpoints(), "bind adds to the copied endpoints");
        String text = c.toString();
        assertTrue(text.contains("<secret>"), text);
        assertTrue(text.contains("readers=8") && text.contains("pump=PumpConfig[name=users"), text);
        assertFalse(text.contains(CurveKeys.encodeZ85(keys.secretKey())), "the secret key never shows: " + text);
    }
}
