package io.strongzero.spring.boot;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.Health;
import io.strongzero.producer.StrongZeroProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code strongzero} (readiness) and {@code strongzeroLiveness} health indicators, when Spring Boot's health
 * support is present; see {@link StrongZeroHealthIndicator}. Off with {@code management.health.strongzero.enabled=false}.
 */
@AutoConfiguration(after = StrongZeroAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(StrongZeroProperties.class)
@ConditionalOnEnabledHealthIndicator("strongzero")
public class StrongZeroHealthAutoConfiguration {

    /** Creates the auto-configuration (Spring does). */
    public StrongZeroHealthAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = "strongzeroHealthIndicator")
    StrongZeroHealthIndicator strongzeroHealthIndicator(ObjectProvider<StrongZeroProducer> producers,
                                                        ObjectProvider<StrongZeroConsumer> consumers,
                                                        StrongZeroProperties properties) {
        return new StrongZeroHealthIndicator(checks(producers, consumers), false,
                properties.getHealth().isReadinessRequiresProducers());
    }

    @Bean
    @ConditionalOnMissingBean(name = "strongzeroLivenessHealthIndicator")
    StrongZeroHealthIndicator strongzeroLivenessHealthIndicator(ObjectProvider<StrongZeroProducer> producers,
                                                                ObjectProvider<StrongZeroConsumer> consumers) {
        return new StrongZeroHealthIndicator(checks(producers, consumers), true, false);
    }

    private static Supplier<List<Health.Check>> checks(ObjectProvider<StrongZeroProducer> producers,
                                                       ObjectProvider<StrongZeroConsumer> consumers) {
        return () -> {
            List<Health.Check> checks = new ArrayList<>();
            producers.orderedStream().forEach(checks::add);
            consumers.orderedStream().forEach(checks::add);
            return checks;
        };
    }
}
