package io.strongzero.producer.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The producer's logger: its parts log under the facade's name, so one logger setting covers the producer. */
final class ProducerLog {
    static final Logger LOG = LoggerFactory.getLogger("io.strongzero.producer.StrongZeroProducer");

    private ProducerLog() {
    }
}
