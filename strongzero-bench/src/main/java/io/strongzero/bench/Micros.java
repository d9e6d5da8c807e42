package io.strongzero.bench;

import java.time.Instant;

/**
 * Wall-clock time in epoch microseconds. Producer and consumer run in different JVMs, so cross-process
 * intervals are measured with the (shared) system clock, not {@code System.nanoTime()}, whose origin is
 * per JVM.
 */
final class Micros {

    private Micros() {
    }

    static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }
}
