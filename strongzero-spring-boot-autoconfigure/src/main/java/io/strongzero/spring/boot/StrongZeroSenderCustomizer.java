package io.strongzero.spring.boot;

import io.strongzero.producer.StrongZeroSender;

/**
 * Changes the sender's builder after the properties were applied, for what properties do not cover (a payload codec
 * with your ObjectMapper, an id generator, ...). Every customizer bean runs, in {@code @Order}.
 */
@FunctionalInterface
public interface StrongZeroSenderCustomizer {
    /** Changes {@code builder}. */
    void customize(StrongZeroSender.Builder builder);
}
