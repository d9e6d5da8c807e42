/**
 * Micrometer meters for StrongZero: {@link io.strongzero.micrometer.MicrometerMetrics} implements the
 * metrics SPI; gauges for producers and consumers.
 */
// "requires-automatic", "requires-transitive-automatic": micrometer-core (1.14.x) is an automatic module
// (Automatic-Module-Name micrometer.core, no module-info). It is transitive because MeterRegistry appears in
// this module's signatures.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.strongzero.micrometer {
    requires transitive io.strongzero.core;
    requires transitive micrometer.core;
    // Optional in the pom: the gauges of a producer or a consumer need that component's module, which the
    // application has anyway; StrongZeroProducer and StrongZeroConsumer appear in bindProducer/bindConsumer.
    requires static transitive io.strongzero.producer;
    requires static transitive io.strongzero.consumer;
    requires org.slf4j;

    exports io.strongzero.micrometer;
}
