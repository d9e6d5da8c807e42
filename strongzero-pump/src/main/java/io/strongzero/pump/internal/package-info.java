/**
 * Machinery of the pump module shared with the producer: the store of the producer's consumer table and the
 * recording of consumer progress from pulls. Internal API: not for use outside StrongZero; may change without
 * notice.
 */
package io.strongzero.pump.internal;
