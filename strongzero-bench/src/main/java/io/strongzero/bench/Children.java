package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A scenario's producer and consumer JVMs, each on a database of its own, the producer started ({@code started}
 * is its reply). Closing kills both, the consumer first.
 */
record Children(ChildJvm prod, ChildJvm cons, JsonNode started) implements AutoCloseable {

    /** The endpoint the producer serves. */
    String endpoint() {
        return started.path("endpoint").asText();
    }

    /** Stops the consumer JVM, then the producer JVM. */
    void stop() {
        cons.stop();
        prod.stop();
    }

    @Override
    public void close() {
        try {
            cons.close();
        } finally {
            prod.close();
        }
    }
}
