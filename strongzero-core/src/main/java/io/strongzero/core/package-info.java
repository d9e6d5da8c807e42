/**
 * StrongZero's core API, shared by every other module: message ids ({@link io.strongzero.core.FlakeId},
 * {@link io.strongzero.core.FlakeIdGenerator}) and envelopes, payload codecs ({@link io.strongzero.core.PayloadCodec}),
 * CurveZMQ keys ({@link io.strongzero.core.CurveKeyPair}, {@link io.strongzero.core.CurvePublicKey}), the
 * database dialects and their DDL ({@link io.strongzero.core.Dialect}, {@link io.strongzero.core.Schema}), the
 * health values components report ({@link io.strongzero.core.Health}), the metrics SPI
 * ({@link io.strongzero.core.StrongZeroMetrics}), the monotonic time source ({@link io.strongzero.core.Ticker}),
 * the producer and consumer name rule ({@link io.strongzero.core.Names}), credential redaction
 * ({@link io.strongzero.core.Redaction}) and the exception family rooted at
 * {@link io.strongzero.core.StrongZeroException}.
 */
package io.strongzero.core;
