package io.strongzero.spring.boot;

import io.strongzero.consumer.MessageHandler;
import java.util.Objects;

/**
 * A handler declared as a bean, the alternative to a {@link StrongZeroHandler} method:
 *
 * <pre>{@code
 * @Bean
 * StrongZeroHandlerRegistration<User> userCreated(JdbcTemplate jdbc) {
 *     return StrongZeroHandlerRegistration.of("user.created", User.class,
 *             (message, ctx) -> jdbc.update("INSERT INTO members (id, name) VALUES (?, ?)",
 *                     message.payload().id(), message.payload().name()));
 * }
 * }</pre>
 *
 * @param type        the message type, as the producer's {@code send(type, ...)} names it
 * @param payloadType the class the payload decodes to
 * @param handler     the handler
 * @param <T>         the payload type
 */
public record StrongZeroHandlerRegistration<T>(String type, Class<T> payloadType, MessageHandler<T> handler) {

    /** Checks that nothing is null. */
    public StrongZeroHandlerRegistration {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(handler, "handler");
    }

    /** A handler for {@code type}, whose payload decodes to {@code payloadType}. */
    public static <T> StrongZeroHandlerRegistration<T> of(String type, Class<T> payloadType, MessageHandler<T> handler) {
        return new StrongZeroHandlerRegistration<>(type, payloadType, handler);
    }
}
