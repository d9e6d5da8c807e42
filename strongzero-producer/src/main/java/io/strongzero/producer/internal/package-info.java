/**
 * Machinery of the producer's frontend: request framing and routing, the ZAP handler that checks
 * CURVE keys against the allow-list, per-key message type filters, the recording of consumer progress
 * (with the cap on names nobody vouched for) and the rate-limited, summarized WARNs about hostile input.
 *
 * <p>Internal API: not for use outside StrongZero's modules. The module {@code io.strongzero.producer} does
 * not export this package; it may change without notice.
 */
package io.strongzero.producer.internal;
