package io.strongzero.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.micrometer.MicrometerMetrics;
import io.strongzero.producer.StrongZeroProducer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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

    @Bean
    SmartInitializingSingleton strongZeroGauges(ObjectProvider<StrongZeroMetrics> metrics,
                                                ObjectProvider<StrongZeroProducer> producers,
                                                ObjectProvider<StrongZeroConsumer> consumers) {
        return () -> {
            if (!(metrics.getIfUnique() instanceof MicrometerMetrics m)) {
                return;
            }
            producers.orderedStream().forEach(m::bindProducer);
            consumers.orderedStream().forEach(c -> m.bindConsumer(c,
                    c.config().producers().keySet().toArray(new String[0])));
        };
    }
}
