/**
 * StrongZero's producer side: {@link io.strongzero.producer.StrongZeroSender} writes messages into the
 * journal inside the application's transaction, {@link io.strongzero.producer.StrongZeroProducer} serves
 * them to consumers over ZeroMQ. {@code io.strongzero.producer.internal} is not exported.
 */
module io.strongzero.producer {
    // StrongZeroProducer.pump() returns the StrongZeroPump that sequences its journal.
    requires transitive io.strongzero.pump;
    requires transitive io.strongzero.core;
    requires org.slf4j;
    requires org.zeromq.jeromq;

    exports io.strongzero.producer;
}
