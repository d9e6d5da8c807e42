/**
 * The producer side: {@link io.strongzero.producer.StrongZeroSender} writes messages into the journal
 * inside the caller's transaction; {@link io.strongzero.producer.StrongZeroProducer} serves the
 * sequenced journal to pulling consumers over ZeroMQ.
 */
package io.strongzero.producer;
