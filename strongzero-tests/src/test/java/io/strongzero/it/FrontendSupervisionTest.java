package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The producer's frontend thread must not stop serving for good when something fails in it that nobody
 * anticipated (here a metrics implementation that throws, against its contract; in CI once an
 * AssertionError inside jeromq on the consumer side).
 */
class FrontendSupervisionTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void frontendThatFailsUnexpectedlyIsStartedAgainOnItsOwnPortAndTheStreamCompletes() {
        AtomicBoolean thrown = new AtomicBoolean();
        StrongZeroMetrics throwsOnceInTheFrontend = new StrongZeroMetrics() {
            @Override
            public void served(String producer, String consumer, int messages, long bytes) {
                if (Thread.currentThread().getName().contains("-frontend") && thrown.compareAndSet(false, true)) {
                    throw new IllegalStateException("test: a metrics bug in the frontend thread");
                }
            }
        };
        try (Pipeline p = new Pipeline(TestDatabase.H2)) {
            p.pump = StrongZeroPump.builder().name(Pipeline.PRODUCER).dataSource(p.producerDb.dataSource())
                    .pollInterval(Duration.ofMillis(50)).build();
            p.producer = StrongZeroProducer.builder().pump(p.pump).bind("tcp://127.0.0.1:*")
                    .heartbeat(Duration.ofMillis(500)).metrics(throwsOnceInTheFrontend).build().start();
            p.sender = StrongZeroSender.builder().producer(p.producer).dataSource(p.producerDb.dataSource()).build();
            String endpoint = p.producer.endpoints().get(0);
            p.startConsumer("members");
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(p.sendCommitted("u" + i, i)); // served from the in-memory tail, on the frontend thread
            }
            Await.until(Duration.ofSeconds(45), "all 20 applied after the frontend restarted",
                    () -> p.receivedCount("members") == 20, () -> p.receivedCount("members"));
            assertTrue(thrown.get(), "the frontend did fail once");
            assertEquals(1, p.producer.frontendRestartCount());
            assertEquals(List.of(endpoint), p.producer.endpoints(), "the same port, so consumers find it again");
            assertEquals(sent, p.receivedIds("members"), "each once, in order");
        }
    }
}
