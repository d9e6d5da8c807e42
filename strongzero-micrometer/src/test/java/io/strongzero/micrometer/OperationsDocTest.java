package io.strongzero.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.health.HealthEndpoint;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import io.strongzero.testing.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The code of docs/operations.md, compiled and run here: the document shows the {@code tag::NAME[]} regions
 * below (DocSnippetsTest in the examples module checks that they match), and every meter this module
 * registers is listed in it.
 */
class OperationsDocTest {

    private static final Path DOC = Path.of("../docs/operations.md");

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theWiringShownInTheDocumentRecordsMetersAndServesHealth() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (H2Pipeline dbs = new H2Pipeline(io.strongzero.core.StrongZeroMetrics.NONE)) {
            HikariDataSource journalDb = dbs.producerDb;
            HikariDataSource ownDb = dbs.consumerDb;
            // tag::metrics[]
            MicrometerMetrics metrics = MicrometerMetrics.of(registry);       // any MeterRegistry
            StrongZeroProducer producer = StrongZeroProducer.builder().dataSource(journalDb)
                    .pump(PumpConfig.builder().name("users").build()).bind("tcp://127.0.0.1:*").metrics(metrics).build().start();
            StrongZeroSender sender = StrongZeroSender.builder().producer(producer).dataSource(journalDb)
                    .metrics(metrics).build();
            ProducerGauges producerGauges = metrics.bindProducer(producer);   // head, lag per consumer, journal size

            StrongZeroConsumer consumer = StrongZeroConsumer.builder().name("billing").dataSource(ownDb)
                    .producer("users", producer.endpoints().get(0))
                    .handler("user.created", H2Pipeline.User.class, (message, ctx) -> { /* ... */ })
                    .metrics(metrics).build().start();
            ConsumerGauges consumerGauges = metrics.bindConsumer(consumer, "users");   // position, lag, dead letters
            // end::metrics[]
            // tag::retention[]
            StrongZeroProducer withRetention = StrongZeroProducer.builder().dataSource(journalDb)
                    .pump(PumpConfig.builder().name("users").build()).bind("tcp://0.0.0.0:7300")
                    .retention(Duration.ofDays(1), Duration.ofDays(14))   // min, max (null: no max)
                    .retentionSchedule(Duration.ofMinutes(1), 1000)       // how often, positions per delete (the defaults)
                    .build();
            // end::retention[]
            assertEquals("users", withRetention.name(), "built, never started: the snippet only shows the settings");
            withRetention.close();
            InetSocketAddress probeAddress = new InetSocketAddress("127.0.0.1", 0); // in production: ("0.0.0.0", 8081)
            try {
                // tag::health[]
                HealthEndpoint health = HealthEndpoint.start(probeAddress, producer, consumer);
                // GET /health/live and /health/ready: 200 with "status" : "UP", or 503 with "DOWN"
                // end::health[]
                try (health) {
                    sender.inTransaction(c -> sender.send(c, "user.created", new H2Pipeline.User("a", 1)));
                    Await.until(Duration.ofSeconds(20), "applied", () -> consumer.position("users") == 1);
                    HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + health.address().getPort() + "/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, ready.statusCode(), ready.body());
                    assertTrue(ready.body().contains("\"component\" : \"consumer:billing\""), ready.body());
                }
                assertEquals(1, registry.get("strongzero.sender.sent").counter().count());
                assertEquals(1, registry.get("strongzero.producer.head").gauge().value());
                assertEquals(1, registry.get("strongzero.consumer.position").gauge().value());
            } finally {
                consumerGauges.close();
                producerGauges.close();
                consumer.close();
                sender.close();
                producer.close();
            }
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void everyMeterNameInTheSourcesIsListedInTheDocument() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        int found = 0;
        for (String file : List.of("MicrometerMetrics.java", "ProducerGauges.java", "ConsumerGauges.java")) {
            String src = Files.readString(Path.of("src/main/java/io/strongzero/micrometer", file), StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(strongzero\\.[a-z.]+)\"").matcher(src);
            while (m.find()) {
                found++;
                if (!doc.contains("`" + m.group(1) + "`")) {
                    missing.add(m.group(1));
                }
            }
        }
        assertTrue(found >= 30, "meter names found in the sources: " + found);
        assertTrue(missing.isEmpty(), "meters not listed in docs/operations.md: " + missing);
        assertFalse(doc.contains("TODO"), "no TODO left in the document");
    }
}
