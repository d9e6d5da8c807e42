package io.strongzero.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.micrometer.MicrometerMetrics;
import io.strongzero.producer.StrongZeroProducer;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * StrongZero's meters ({@code strongzero.*}, see the operations guide) in the application's {@link MeterRegistry}, when
 * there is one and {@code strongzero-micrometer} is on the class path: the producer, sender and consumer report to a
 * {@link MicrometerMetrics}, and their gauges (lag, journal size, dead letters) are registered.
 */
@AutoConfiguration(before = StrongZeroAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
public class StrongZeroMetricsAutoConfiguration {

    /** Creates the auto-configuration (Spring does). */
    public StrongZeroMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(StrongZeroMetrics.class)
    MicrometerMetrics strongZeroMetrics(MeterRegistry registry) {
        return MicrometerMetrics.of(registry);
    }

    /**
     * Binds the gauges once the producer and consumer have started (a gauge bound earlier reads the journal before
     * {@code strongzero.create-schema-if-missing} has created it, and logs a WARN), and removes them before those stop.
     */
    @Bean
    SmartLifecycle strongZeroGauges(ObjectProvider<StrongZeroMetrics> metrics,
                                    ObjectProvider<StrongZeroProducer> producers,
                                    ObjectProvider<StrongZeroConsumer> consumers) {
        return new Gauges(metrics, producers, consumers);
    }

    /** The gauges' lifecycle: bound after the consumer's phase has started, removed before it stops. */
    private static final class Gauges implements SmartLifecycle {
        private final ObjectProvider<StrongZeroMetrics> metrics;
        private final ObjectProvider<StrongZeroProducer> producers;
        private final ObjectProvider<StrongZeroConsumer> consumers;
        private final List<Runnable> unbind = new ArrayList<>();
        private volatile boolean running;

        Gauges(ObjectProvider<StrongZeroMetrics> metrics, ObjectProvider<StrongZeroProducer> producers,
               ObjectProvider<StrongZeroConsumer> consumers) {
            this.metrics = metrics;
            this.producers = producers;
            this.consumers = consumers;
        }

        @Override
        public void start() {
            if (metrics.getIfUnique() instanceof MicrometerMetrics m) {
                producers.orderedStream().forEach(p -> unbind.add(m.bindProducer(p)::close));
                consumers.orderedStream().forEach(c -> unbind.add(m.bindConsumer(c,
                        c.config().producers().keySet().toArray(new String[0]))::close));
            }
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            unbind.forEach(Runnable::run);
            unbind.clear();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return StrongZeroAutoConfiguration.CONSUMER_PHASE + 1;
        }
    }
}
