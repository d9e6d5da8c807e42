package io.strongzero.micrometer;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A producer database (pump, producer, sender) and a consumer database on H2, all reporting to one metrics sink. */
final class H2Pipeline implements AutoCloseable {

    static final String PRODUCER = "users";
    static final String TYPE = "user.created";

    record User(String name, int n) {
    }

    private final TestDatabase.Instance producerInstance = TestDatabase.H2.create("mm_prod");
    private final TestDatabase.Instance consumerInstance = TestDatabase.H2.create("mm_cons");
    final HikariDataSource producerDb = producerInstance.dataSource();
    final HikariDataSource consumerDb = consumerInstance.dataSource();
    final StrongZeroMetrics metrics;
    StrongZeroPump pump;
    StrongZeroProducer producer;
    StrongZeroSender sender;
    private final List<StrongZeroConsumer> consumers = new ArrayList<>();

    H2Pipeline(StrongZeroMetrics metrics) {
        this.metrics = metrics;
        Schema.create(producerDb, Dialect.H2, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
        Schema.create(consumerDb, Dialect.H2, Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
    }

    H2Pipeline startProducer(Consumer<StrongZeroProducer.Builder> customize) {
        pump = StrongZeroPump.builder().name(PRODUCER).dataSource(producerDb).pollInterval(Duration.ofMillis(50))
                .metrics(metrics).build();
        StrongZeroProducer.Builder b = StrongZeroProducer.builder().pump(pump).bind("tcp://127.0.0.1:*")
                .progressInterval(Duration.ofMillis(50)).metrics(metrics);
        customize.accept(b);
        producer = b.build().start();
        sender = StrongZeroSender.builder().producer(producer).dataSource(producerDb).metrics(metrics).build();
        return this;
    }

    String endpoint() {
        return producer.endpoints().get(0);
    }

    /** A consumer of {@link #PRODUCER} whose {@link #TYPE} handler does nothing; customizable. */
    StrongZeroConsumer startConsumer(String name, Consumer<StrongZeroConsumer.Builder> customize) {
        StrongZeroConsumer.Builder b = StrongZeroConsumer.builder().name(name).dataSource(consumerDb)
                .producer(PRODUCER, endpoint()).metrics(metrics)
                .longPollWait(Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofMillis(5), Duration.ofMillis(20)).build())
                .handler(TYPE, User.class, (m, ctx) -> { });
        customize.accept(b);
        StrongZeroConsumer c = b.build().start();
        consumers.add(c);
        return c;
    }

    void send(String type, int n) {
        sender.inTransaction(c -> sender.send(c, type, new User("u" + n, n)));
    }

    @Override
    public void close() {
        consumers.forEach(StrongZeroConsumer::close);
        if (sender != null) {
            sender.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (pump != null) {
            pump.close();
        }
        producerInstance.close();
        consumerInstance.close();
    }
}
