/**
 * Machinery the StrongZero modules share: the wire protocol's frames ({@code Protocol}), the SQL stores of
 * the journal, the sequencer and the schema probe, JDBC and transaction helpers, the one validation helper
 * ({@code Checks}), the one backoff ({@code Backoff}), endpoint parsing, CURVE key encoding and key files,
 * credential scrubbing of SQL exceptions, and named threads.
 *
 * <p>Internal API: not for use outside StrongZero's modules. The module {@code io.strongzero.core} exports
 * this package only to the pump, producer, consumer, TCK and health modules; it may change without notice.
 */
package io.strongzero.core.internal;
