package io.strongzero.spring.boot;

import io.strongzero.producer.StrongZeroProducer;

/**
 * Changes the producer's builder after the properties were applied, for what properties do not cover (a
 * {@code ProducerSecurity} built in code, a ticker, ...). Every customizer bean runs, in {@code @Order}.
 */
@FunctionalInterface
public interface StrongZeroProducerCustomizer {
    /** Changes {@code builder}. */
    void customize(StrongZeroProducer.Builder builder);
}
