package io.strongzero.it;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.producer.ProducerSecurity;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link Pipeline} on H2 whose producer is built here, optionally with {@link ProducerSecurity}, and
 * whose consumers (the pipeline's recording consumer, {@link Pipeline#consumerBuilder}) are customized
 * per test, for example with CURVE keys.
 */
final class SecureStream implements AutoCloseable {

    final Pipeline pipeline;
    final StrongZeroProducer producer;
    private final List<StrongZeroConsumer> consumers = new ArrayList<>();

    /** A producer on {@code tcp://127.0.0.1:*}, with CURVE if {@code security} is not null. */
    SecureStream(ProducerSecurity security) {
        this(security, p -> { });
    }

    SecureStream(ProducerSecurity security, Consumer<StrongZeroProducer.Builder> customize) {
        pipeline = new Pipeline(TestDatabase.H2);
        try {
            pipeline.pump = StrongZeroPump.builder().name(Pipeline.PRODUCER).dataSource(pipeline.producerDb.dataSource())
                    .pollInterval(Duration.ofMillis(100)).build();
            StrongZeroProducer.Builder b = StrongZeroProducer.builder().pump(pipeline.pump).bind("tcp://127.0.0.1:*")
                    .heartbeat(Duration.ofMillis(500));
            if (security != null) {
                b.security(security);
            }
            customize.accept(b);
            producer = b.build().start();
            pipeline.producer = producer;
            pipeline.sender = StrongZeroSender.builder().producer(producer).dataSource(pipeline.producerDb.dataSource())
                    .build();
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    String endpoint() {
        return producer.endpoints().get(0);
    }

    /** Starts a recording consumer (see {@link Pipeline#consumerBuilder}) pulling from {@code endpoint}. */
    StrongZeroConsumer consumer(String name, String endpoint, Consumer<StrongZeroConsumer.Builder> customize) {
        StrongZeroConsumer.Builder b = Pipeline.consumerBuilder(name, pipeline.consumerDb.dataSource(), endpoint, 0);
        customize.accept(b);
        StrongZeroConsumer c = b.build().start();
        consumers.add(c);
        return c;
    }

    StrongZeroConsumer consumer(String name, Consumer<StrongZeroConsumer.Builder> customize) {
        return consumer(name, endpoint(), customize);
    }

    /** Sends {@code n} messages of {@link Pipeline#TYPE}, each in its own transaction; returns their ids. */
    List<String> send(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(pipeline.sendCommitted(prefix + i, i));
        }
        return ids;
    }

    @Override
    public void close() {
        for (StrongZeroConsumer c : consumers) {
            c.close();
        }
        pipeline.close();
    }
}
