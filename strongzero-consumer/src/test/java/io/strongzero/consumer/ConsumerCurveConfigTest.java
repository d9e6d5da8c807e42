package io.strongzero.consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.Dialect;
import io.strongzero.core.StrongZeroConfigException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ConsumerCurveConfigTest {

    private final CurveKeyPair keys = CurveKeyPair.generate();
    private final CurvePublicKey producerKey = CurveKeyPair.generate().publicKey();

    private StrongZeroConsumer.Builder base() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:curveconfig");
        return StrongZeroConsumer.builder().name("c").dataSource(ds).dialect(Dialect.H2)
                .producer("users", "tcp://10.0.0.5:7300").handler("t", String.class, (m, ctx) -> { });
    }

    @Test
    void buildsWithAKeyPairAndAProducerKey() {
        base().curveKeyPair(keys).producerKey("users", producerKey).build();
    }

    @Test
    void refusesHalfAConfigurationAndKeysForUnknownProducers() {
        assertMessage("but curveKeyPair is not", () -> base().producerKey("users", producerKey).build());
        assertMessage("but no producerKey", () -> base().curveKeyPair(keys).build());
        assertMessage("no producer('orders', endpoint) is configured",
                () -> base().curveKeyPair(keys).producerKey("users", producerKey).producerKey("orders", producerKey).build());
        assertMessage("is already set", () -> base().producerKey("users", producerKey).producerKey("users", producerKey));
        assertMessage("producer name must be", () -> base().producerKey("bad name", producerKey));
        assertThrows(NullPointerException.class, () -> base().producerKey("users", null));
        assertThrows(NullPointerException.class, () -> base().curveKeyPair(null));
    }

    private static void assertMessage(String part, Executable e) {
        StrongZeroConfigException x = assertThrows(StrongZeroConfigException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }
}
