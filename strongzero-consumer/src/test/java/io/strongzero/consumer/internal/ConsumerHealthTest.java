package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.consumer.DeadLetterListener;
import io.strongzero.consumer.PositionStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.Health;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.testing.ManualTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class ConsumerHealthTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ConsumerConfig config = ConsumerConfig.builder().name("members")
            .producer("users", "tcp://127.0.0.1:7300").build();
    private final JdbcDataSource db = new JdbcDataSource();
    private final ConsumerStores stores;
    private final StreamWorker stream;

    ConsumerHealthTest() {
        db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Schema.create(db, Dialect.H2, Schema.Side.CONSUMER, "sz_");
        stores = new ConsumerStores("members", db, "sz_", ConsumerTransactions.jdbc(), PositionStore.jdbc(Dialect.H2, "sz_"),
                new DeadLetterStore("sz_"), Clock.fixed(Instant.ofEpochMilli(10_000), ZoneOffset.UTC));
        stream = new StreamWorker(new StreamWorker.Shared(config, stores, null, new ConsumerCounters(), ticker, () -> 0.5,
                StrongZeroMetrics.NONE, DeadLetterListener.NONE, () -> true, (p, id) -> false), "users",
                "tcp://127.0.0.1:7300");
    }

    private Health health(boolean running) {
        return ConsumerHealth.of(config, stores, List.of(stream), new ConsumerCounters(), running, false, ticker);
    }

    @Test
    void aStreamThatHeardFromItsProducerWithinTheLongPollAndRequestTimeIsConnected() {
        StreamState s = stream.state();
        s.replied = true;
        s.lastReplyMonotonic = ticker.millis();
        s.position = 4;
        s.head = 10;
        s.lastAppliedProducedAt = 7_000;
        assertTrue(health(false).toString().contains("connected=true"), health(false).toString());
        assertEquals(6, s.lagMessages());
        assertEquals(3_000, s.lagMillis(10_000));
        ticker.advance(Duration.ofSeconds(16));   // longPollWait 5 s + requestTimeout 10 s
        String text = health(true).toString();
        assertTrue(text.contains("connected=false") && text.contains("no reply from producer users"), text);
    }

    @Test
    void aRefusalAndABlockedStreamDegradeWithTheirReasons() {
        StreamState s = stream.state();
        s.refusal = ErrorCode.NOT_AUTHORIZED;
        s.lastError = "not allowed";
        s.blocked = true;
        String text = health(true).toString();
        assertTrue(text.contains("refuses this consumer's pulls (NOT_AUTHORIZED)"), text);
        assertTrue(text.contains("blocked by a dead letter"), text);
    }

    @Test
    void notStartedIsNotReady() {
        assertTrue(health(false).toString().contains("not started"), health(false).toString());
    }
}
