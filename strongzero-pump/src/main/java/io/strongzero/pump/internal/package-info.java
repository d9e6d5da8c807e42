/**
 * Machinery of the pump module shared with the producer: the store of the producer's consumer table and the
 * recording of consumer progress from pulls.
 *
 * <p>Internal API: not for use outside StrongZero's modules. The module {@code io.strongzero.pump} exports this
 * package only to the producer and the TCK; it may change without notice.
 */
package io.strongzero.pump.internal;
