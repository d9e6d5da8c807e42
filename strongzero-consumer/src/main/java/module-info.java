/**
 * StrongZero's consumer side: {@link io.strongzero.consumer.StrongZeroConsumer} pulls messages from
 * producers and applies them exactly once in the consumer's database; dead letters and idempotency
 * helpers. {@code io.strongzero.consumer.internal} (the stores and connection parts) is shared with the
 * TCK only, for its store contracts.
 */
// "module": the qualified export names a module that is not observable while the consumer compiles.
@SuppressWarnings("module")
module io.strongzero.consumer {
    requires transitive io.strongzero.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires org.zeromq.jeromq;

    exports io.strongzero.consumer;
    exports io.strongzero.consumer.internal to
            io.strongzero.tck;
}
