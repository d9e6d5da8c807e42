package io.strongzero.spring.boot;

import io.strongzero.consumer.StrongZeroConsumer;

/**
 * Changes the consumer's builder after the properties, handlers and transactions were applied, for what properties do
 * not cover (a retry policy with exception types from code, a codec, a position store, ...). Every customizer bean
 * runs, in {@code @Order}.
 */
@FunctionalInterface
public interface StrongZeroConsumerCustomizer {
    /** Changes {@code builder}. */
    void customize(StrongZeroConsumer.Builder builder);
}
