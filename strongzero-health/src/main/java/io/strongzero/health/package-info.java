/**
 * An optional HTTP endpoint for Kubernetes probes: {@link io.strongzero.health.HealthEndpoint} serves
 * the {@link io.strongzero.core.Health} checks of producers, consumers and pumps as JSON on the JDK's
 * built-in HTTP server ({@code jdk.httpserver}), with no other dependency than {@code strongzero-core}.
 */
package io.strongzero.health;
