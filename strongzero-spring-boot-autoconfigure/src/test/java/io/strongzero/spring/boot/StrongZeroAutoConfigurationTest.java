package io.strongzero.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strongzero.consumer.Message;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.micrometer.MicrometerMetrics;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.spring.boot.SpringStarterContract.Greeting;
import io.strongzero.testing.Await;
import io.strongzero.testing.Ports;
import io.strongzero.core.CurveKeyPair;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

/** Conditions, backing off, property errors, handler discovery, health and metrics of the auto-configuration, on H2. */
class StrongZeroAutoConfigurationTest {

    /** A handler bean with a Message parameter. */
    public static class MessageHandlers {
        volatile Message<Greeting> last;

        @StrongZeroHandler("greeting")
        public void on(Message<Greeting> message) {
            last = message;
        }
    }

    /** A second handler of the same type. */
    public static class OtherHandlers {
        @StrongZeroHandler("greeting")
        public void again(Greeting greeting) {
        }
    }

    private final int port = Ports.freeLoopbackPort();

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                        StrongZeroAutoConfiguration.class, StrongZeroHealthAutoConfiguration.class,
                        StrongZeroMetricsAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:autoconfig-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                        "strongzero.create-schema-if-missing=true");
    }

    private ApplicationContextRunner producer() {
        return runner().withPropertyValues("strongzero.producer.name=greetings",
                "strongzero.producer.bind=tcp://127.0.0.1:" + port);
    }

    private ApplicationContextRunner consumer(String endpoint) {
        return runner().withPropertyValues("strongzero.consumer.name=readers",
                "strongzero.consumer.producers.greetings.endpoint=" + endpoint);
    }

    @Test
    void withoutAProducerOrConsumerNameNothingIsCreated() {
        runner().run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(StrongZeroPump.class).doesNotHaveBean(StrongZeroProducer.class)
                    .doesNotHaveBean(StrongZeroSender.class).doesNotHaveBean(StrongZeroConsumer.class);
        });
    }

    @Test
    void withoutADataSourceTheStarterStaysOutOfTheWay() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(StrongZeroAutoConfiguration.class,
                        StrongZeroHealthAutoConfiguration.class, StrongZeroMetricsAutoConfiguration.class))
                .withPropertyValues("strongzero.producer.name=greetings", "strongzero.producer.bind=tcp://127.0.0.1:" + port)
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(StrongZeroProducer.class)
                        .doesNotHaveBean(HealthIndicator.class));
    }

    @Test
    void theHealthIndicatorsCanBeSwitchedOff() {
        producer().withPropertyValues("management.health.strongzero.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(HealthIndicator.class));
    }

    @Test
    void aProducerNameCreatesThePumpTheProducerAndTheSenderAndStartsThem() {
        producer().run(ctx -> {
            assertThat(ctx).hasSingleBean(StrongZeroPump.class).hasSingleBean(StrongZeroProducer.class)
                    .hasSingleBean(StrongZeroSender.class).doesNotHaveBean(StrongZeroConsumer.class);
            assertThat(ctx.getBean(StrongZeroProducer.class).endpoints()).containsExactly("tcp://127.0.0.1:" + port);
            assertThat(ctx.getBean(StrongZeroPump.class).isRunning()).isTrue();
        });
    }

    @Test
    void theSenderCanBeEnabledWithoutAProducer() {
        runner().withPropertyValues("strongzero.sender.enabled=true").run(ctx ->
                assertThat(ctx).hasSingleBean(StrongZeroSender.class).doesNotHaveBean(StrongZeroProducer.class));
    }

    @Test
    void anApplicationsOwnSenderReplacesTheAutoConfiguredOne() {
        StrongZeroSender own = StrongZeroSender.builder().build();
        producer().withBean("mySender", StrongZeroSender.class, () -> own).run(ctx ->
                assertThat(ctx.getBean(StrongZeroSender.class)).isSameAs(own));
    }

    @Test
    void customizersChangeTheBuilders() {
        int extra = Ports.freeLoopbackPort();
        producer().withBean(StrongZeroProducerCustomizer.class, () -> b -> b.bind("tcp://127.0.0.1:" + extra))
                .withBean(StrongZeroSenderCustomizer.class, () -> b -> b.nodeId(4242))
                .run(ctx -> {
                    assertThat(ctx.getBean(StrongZeroProducer.class).endpoints()).hasSize(2);
                    assertThat(ctx.getBean(StrongZeroSender.class).nodeId()).isEqualTo(4242);
                });
    }

    @Test
    void anInvalidValueFailsStartUpWithTheCoresMessageNamingTheProperty() {
        producer().withPropertyValues("strongzero.producer.readers=0").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause()
                    .hasMessageStartingWith("strongzero.producer.readers: ")
                    .hasMessageContaining("readers")
                    .hasMessageContaining("0");
        });
    }

    @Test
    void aProducerWithoutAnEndpointFailsStartUpSayingWhatToSet() {
        runner().withPropertyValues("strongzero.producer.name=greetings").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("strongzero.producer.bind=tcp://*:7300");
        });
    }

    @Test
    void aConsumerWithoutHandlersFailsStartUpSayingHowToDeclareOne() {
        consumer("tcp://127.0.0.1:" + port).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("@StrongZeroHandler(\"<type>\")");
        });
    }

    @Test
    void twoHandlersOfOneTypeFailStartUpNamingBoth() {
        consumer("tcp://127.0.0.1:" + port).withBean(MessageHandlers.class).withBean(OtherHandlers.class).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause()
                    .hasMessageContaining("two handlers for message type 'greeting'")
                    .hasMessageContaining("MessageHandlers.on").hasMessageContaining("OtherHandlers.again");
        });
    }

    @Test
    void aHandlerRegistrationBeanIsAHandlerToo() {
        consumer("tcp://127.0.0.1:" + port)
                .withBean(StrongZeroHandlerRegistration.class, () -> StrongZeroHandlerRegistration.of("greeting",
                        Greeting.class, (m, c) -> { }))
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(StrongZeroConsumer.class));
    }

    @Test
    void aMessageParameterDecodesThePayloadToItsTypeArgument() {
        producer().withPropertyValues("strongzero.consumer.name=readers",
                        "strongzero.consumer.producers.greetings.endpoint=tcp://127.0.0.1:" + port)
                .withBean(MessageHandlers.class)
                .run(ctx -> {
                    StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
                    ctx.getBean(org.springframework.transaction.support.TransactionTemplate.class).executeWithoutResult(
                            s -> sender.send("greeting", "k1", new Greeting("1", "hi")));
                    MessageHandlers h = ctx.getBean(MessageHandlers.class);
                    Await.until(Duration.ofSeconds(30), "the message handled", () -> h.last != null);
                    assertThat(h.last.payload()).isEqualTo(new Greeting("1", "hi"));
                    assertThat(h.last.key()).contains("k1");
                });
    }

    @Test
    void curveKeysFromCertificateFilesEncryptAndAuthorizeTheStream(@TempDir Path dir) {
        CurveKeyPair producerKeys = CurveKeyPair.generate();
        CurveKeyPair consumerKeys = CurveKeyPair.generate();
        producerKeys.writeCertificates(dir.resolve("producer.key_secret"), dir.resolve("producer.key"));
        consumerKeys.writeCertificates(dir.resolve("consumer.key_secret"), dir.resolve("consumer.key"));
        producer().withPropertyValues(
                        "strongzero.producer.security.secret-key-file=" + dir.resolve("producer.key_secret"),
                        "strongzero.producer.security.allow[0].public-key-file=" + dir.resolve("consumer.key"),
                        "strongzero.producer.security.allow[0].consumer-names=readers",
                        "strongzero.consumer.name=readers",
                        "strongzero.consumer.secret-key-file=" + dir.resolve("consumer.key_secret"),
                        "strongzero.consumer.producers.greetings.endpoint=tcp://127.0.0.1:" + port,
                        "strongzero.consumer.producers.greetings.public-key=" + producerKeys.publicKey().z85())
                .withBean(MessageHandlers.class)
                .run(ctx -> {
                    assertThat(ctx.getBean(StrongZeroProducer.class).config().security().allowedKeys())
                            .containsExactly(consumerKeys.publicKey());
                    assertThat(ctx.getBean(StrongZeroConsumer.class).config().producerKeys())
                            .containsEntry("greetings", producerKeys.publicKey());
                    StrongZeroSender sender = ctx.getBean(StrongZeroSender.class);
                    ctx.getBean(org.springframework.transaction.support.TransactionTemplate.class).executeWithoutResult(
                            s -> sender.send("greeting", new Greeting("secret", "over curve")));
                    MessageHandlers h = ctx.getBean(MessageHandlers.class);
                    Await.until(Duration.ofSeconds(30), "the message handled over CURVE", () -> h.last != null);
                });
    }

    @Test
    void allowedConsumerKeysWithoutTheProducersSecretKeyFailStartUp() {
        producer().withPropertyValues("strongzero.producer.security.allow[0].public-key="
                        + CurveKeyPair.generate().publicKey().z85())
                .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
                        .hasMessageContaining("strongzero.producer.security.secret-key-file"));
    }

    @Test
    void readinessIgnoresAnUnreachableProducerByDefaultAndLivenessNeverDependsOnIt() {
        consumer("tcp://127.0.0.1:" + port).withBean(MessageHandlers.class).run(ctx -> {
            HealthIndicator readiness = ctx.getBean("strongzeroHealthIndicator", HealthIndicator.class);
            HealthIndicator liveness = ctx.getBean("strongzeroLivenessHealthIndicator", HealthIndicator.class);
            Await.until(Duration.ofSeconds(10), "the consumer started", () -> readiness.health().getStatus() == Status.UP,
                    readiness::health);
            assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void readinessRequiresProducersWhenConfiguredWhileLivenessStaysUp() {
        consumer("tcp://127.0.0.1:" + port).withBean(MessageHandlers.class)
                .withPropertyValues("strongzero.health.readiness-requires-producers=true")
                .run(ctx -> {
                    StrongZeroConsumer consumer = ctx.getBean(StrongZeroConsumer.class);
                    HealthIndicator readiness = ctx.getBean("strongzeroHealthIndicator", HealthIndicator.class);
                    HealthIndicator liveness = ctx.getBean("strongzeroLivenessHealthIndicator", HealthIndicator.class);
                    Await.until(Duration.ofSeconds(10), "the consumer's database check passes",
                            () -> consumer.health().ready(), consumer::health);
                    assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void withAMeterRegistryTheComponentsReportToMicrometer() {
        producer().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
            assertThat(ctx.getBean(StrongZeroMetrics.class)).isInstanceOf(MicrometerMetrics.class);
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            assertThat(registry.getMeters()).anyMatch(m -> m.getId().getName().startsWith("strongzero.producer."));
        });
    }

    @Test
    void theJournalGaugesReadTheSchemaCreatedAtStartUp() {
        // bound before the producer started (and created the schema), the gauge's first read failed and showed NaN
        // for the cache interval, with a WARN at every start-up
        producer().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            assertThat(registry.get("strongzero.producer.journal.rows").gauge().value()).isEqualTo(0.0);
        });
    }

    @Test
    void withoutAMeterRegistryNoMetricsBeanIsCreated() {
        producer().run(ctx -> assertThat(ctx).doesNotHaveBean(StrongZeroMetrics.class));
    }
}
