/**
 * StrongZero's producer side: {@link io.strongzero.producer.StrongZeroSender} writes messages into the
 * journal inside the application's transaction, {@link io.strongzero.producer.StrongZeroProducer} serves
 * them to consumers over ZeroMQ. {@code io.strongzero.producer.internal} is not exported.
 */
module io.strongzero.producer {
    // The producer owns or takes a StrongZeroPump, which appears in its builder.
    requires transitive io.strongzero.pump;
    requires transitive io.strongzero.core;
    requires org.slf4j;
    requires org.zeromq.jeromq;

    exports io.strongzero.producer;
}
