/**
 * Micrometer meters for StrongZero: {@link io.strongzero.micrometer.MicrometerMetrics} receives the
 * components' measurements (counters, timers, summaries) and registers the gauges of a producer
 * ({@link io.strongzero.micrometer.ProducerGauges}) or a consumer ({@link io.strongzero.micrometer.ConsumerGauges}).
 * Optional: the other StrongZero modules do not depend on Micrometer. The meters are listed in
 * docs/operations.md.
 */
package io.strongzero.micrometer;
