package io.strongzero.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the consumer's handler for one message type:
 *
 * <pre>{@code
 * @Component
 * class Members {
 *     @StrongZeroHandler("user.created")
 *     void on(User user, HandlerContext ctx) {
 *         jdbc.update("INSERT INTO members (id, name) VALUES (?, ?)", user.id(), user.name());
 *     }
 * }
 * }</pre>
 *
 * <p>The method takes the payload (decoded to the parameter's type: a record, a bean, {@code Map} ...) or the whole
 * {@code Message<T>} (its type argument is the payload type), and optionally the {@code HandlerContext}, in any order.
 * Its return value is ignored. In {@code AUTO} mode (the default) it runs inside the consumer's Spring transaction, so
 * JdbcTemplate, JPA or jOOQ writes on the consumer's DataSource commit with the offset; a thrown exception rolls them
 * back and the message is retried, then dead-lettered or blocking as the type's retry policy says.
 *
 * <p>One handler per type in the application; a second one fails start-up naming both methods.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StrongZeroHandler {
    /** The message type this method handles, as the producer's {@code send(type, ...)} names it. */
    String value();
}
