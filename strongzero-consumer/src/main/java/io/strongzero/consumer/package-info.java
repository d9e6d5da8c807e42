/**
 * The consumer side: {@link io.strongzero.consumer.StrongZeroConsumer} pulls from one or more
 * producers, hands each message to the {@link io.strongzero.consumer.MessageHandler} registered for its
 * type and records its position in the consumer's own database in the same transaction as the
 * handler's effects.
 */
package io.strongzero.consumer;
