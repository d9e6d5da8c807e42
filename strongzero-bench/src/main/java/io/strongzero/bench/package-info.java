/**
 * The benchmark harness: {@link io.strongzero.bench.BenchMain} runs the scenarios of GitHub issue 6
 * (throughput against a raw-insert baseline, latency at fixed offered rates, catch-up, memory, fan-out)
 * with the producer and the consumer in child JVMs ({@link io.strongzero.bench.ProducerChild},
 * {@link io.strongzero.bench.ConsumerChild}) connected over loopback TCP, and writes a JSON result, a
 * Markdown summary and a PNG chart per run. Start it with {@code bench/run.sh <db> <profile>}; see
 * {@code docs/benchmarks.md}. Not a published artifact.
 */
package io.strongzero.bench;
