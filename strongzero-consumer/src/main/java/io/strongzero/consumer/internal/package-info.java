/**
 * Machinery of the consumer: the SQL stores of its offsets, dead letters and processed keys, and the
 * watching and diagnosis of its database connection, with the parts
 * {@link io.strongzero.consumer.StrongZeroConsumer} is built from.
 *
 * <p>Internal API: not for use outside StrongZero's modules. The module {@code io.strongzero.consumer}
 * exports this package only to the TCK (for its store contracts); it may change without notice.
 */
package io.strongzero.consumer.internal;
