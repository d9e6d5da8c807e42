/**
 * StrongZero's core: message ids ({@link io.strongzero.core.FlakeId}), envelopes, payload codecs, CURVE
 * keys, database dialects and schema, health values and the exception family. The public API is
 * {@code io.strongzero.core}; {@code io.strongzero.core.internal} (stores, wire protocol, checks, backoff)
 * is shared with StrongZero's own modules only.
 */
// "module": the qualified export below names sibling modules that are not observable while core compiles
// (javac warns "module not found"); they are StrongZero's own modules, built after core.
// "requires-automatic": jackson-dataformat-msgpack (org.msgpack, 0.9.8) has neither a module-info nor an
// Automatic-Module-Name, so its name comes from the jar's file name; it stays a plain (not transitive)
// requirement because no MessagePack type appears in core's API.
@SuppressWarnings({"module", "requires-automatic"})
module io.strongzero.core {
    // DataSource and Connection appear in Dialect, Schema and the builders' signatures.
    requires transitive java.sql;
    // ObjectMapper appears in PayloadCodec's factory methods.
    requires transitive com.fasterxml.jackson.databind;
    requires jackson.dataformat.msgpack;
    requires org.slf4j;
    requires org.zeromq.jeromq;

    exports io.strongzero.core;
    exports io.strongzero.core.internal to
            io.strongzero.pump,
            io.strongzero.producer,
            io.strongzero.consumer,
            io.strongzero.tck,
            io.strongzero.health;

    // The DDL scripts (resources, no classes): Schema.ddl reads them through the class loader, which finds a
    // resource in a named module only if its package is open. A dialect in another module opens its own.
    opens io.strongzero.sql.h2;
    opens io.strongzero.sql.postgresql;
    opens io.strongzero.sql.mariadb;

    // Dialect.values() and Dialect.detect() find third-party dialects through ServiceLoader.
    uses io.strongzero.core.Dialect;
}
