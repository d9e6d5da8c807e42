/**
 * Machinery of the producer's frontend: request framing and routing, the ZAP handler that checks
 * CURVE keys against the allow-list, and per-key message type filters. Internal API: not for use
 * outside StrongZero; may change without notice.
 */
package io.strongzero.producer.internal;
