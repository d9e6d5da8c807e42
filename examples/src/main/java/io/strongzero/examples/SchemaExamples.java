package io.strongzero.examples;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/** Schema management, as shown in {@code docs/schema.md}. */
public final class SchemaExamples {

    private SchemaExamples() {
    }

    /** Writes the DDL of both sides, with a table prefix, as Flyway migrations into {@code migrations}. */
    public static void writeMigrations(Path migrations) throws IOException {
        // tag::migration-files[]
        String producer = Schema.ddl(Dialect.POSTGRESQL, Schema.Side.PRODUCER, "billing_sz_");  // your prefix
        String consumer = Schema.ddl(Dialect.POSTGRESQL, Schema.Side.CONSUMER, "billing_sz_");
        Files.writeString(migrations.resolve("V7__strongzero_producer.sql"), producer);
        Files.writeString(migrations.resolve("V8__strongzero_consumer.sql"), consumer);
        // end::migration-files[]
    }

    /** Creates the tables at start-up, as {@code createSchemaIfMissing(true)} does. */
    public static void createAtStartup(DataSource dataSource) {
        // tag::create[]
        Dialect dialect = Dialect.detect(dataSource);                               // H2, POSTGRESQL or MARIADB
        Schema.create(dataSource, dialect, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);   // IF NOT EXISTS: idempotent
        Schema.create(dataSource, dialect, Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        // end::create[]
    }

    /** Every component of one database uses the same prefix. */
    public static StrongZeroConsumer prefixed(DataSource db, String endpoint, String bind) {
        // tag::prefix[]
        StrongZeroProducer producer = StrongZeroProducer.builder()
                .dataSource(db).bind(bind)
                .pump(PumpConfig.builder().name("invoices")
                        .tablePrefix("billing_sz_")                    // billing_sz_journal, billing_sz_sequencer
                        .build())
                .build();
        StrongZeroSender sender = StrongZeroSender.builder()
                .producer(producer)                                    // adopts the pump's prefix
                .build();
        StrongZeroConsumer consumer = StrongZeroConsumer.builder()
                .name("billing").dataSource(db).producer("payments", endpoint)
                .handler("payment.captured", Object.class, (message, ctx) -> { })
                .tablePrefix("billing_sz_")                            // billing_sz_offset, _dead_letter, _processed
                .build();
        // end::prefix[]
        sender.close();
        producer.close();
        return consumer;
    }
}
