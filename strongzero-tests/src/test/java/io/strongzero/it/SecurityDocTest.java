package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.producer.ProducerSecurity;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code in docs/security.md runs here; the document quotes each tagged region of this file
 * ({@code DocSnippetsTest} in the examples module checks that it quotes them exactly).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityDocTest {

    @TempDir
    Path keys;

    @Test
    void theDocumentedSetUpStreamsOverCurveAndRestrictsTheReportsKey() {
        for (String name : List.of("users", "members", "reports")) {
            // what 'strongzero keys generate DIR NAME' does
            CurveKeyPair.generate().writeCertificates(keys.resolve(name + ".key_secret"), keys.resolve(name + ".key"));
        }
        try (Pipeline p = new Pipeline(TestDatabase.H2)) {
            StrongZeroProducer producer = startProducer(p.producerDb.dataSource(), "tcp://127.0.0.1:*");
            p.producer = producer;
            p.sender = StrongZeroSender.builder().producer(producer).dataSource(p.producerDb.dataSource()).build();
            String usersEndpoint = producer.endpoints().get(0);
            List<StrongZeroConsumer> consumers = new ArrayList<>();
            try {
                consumers.add(startConsumer(p.consumerDb.dataSource(), usersEndpoint, "members"));
                consumers.add(startConsumer(p.consumerDb.dataSource(), usersEndpoint, "reports"));
                p.sendCommitted("ann", 1);
                p.sender.inTransaction(c -> p.sender.send(c, "user.deleted", new Pipeline.User("ann", 1)));
                p.sendCommitted("bob", 2);
                for (StrongZeroConsumer c : consumers) {
                    Await.until(Duration.ofSeconds(30), c.name() + " at position 3", () -> c.position("users") == 3,
                            () -> c.position("users"));
                }
                assertEquals(3, p.receivedCount("members"), "members reads every type");
                assertEquals(2, p.receivedCount("reports"), "reports reads user.created only, though it handles user.deleted");
                assertEquals(1, consumers.get(1).skippedCount());
            } finally {
                consumers.forEach(StrongZeroConsumer::close);
            }
        }
    }

    private StrongZeroProducer startProducer(DataSource producerDb, String endpoint) {
        // tag::producer[]
        CurvePublicKey members = CurvePublicKey.load(keys.resolve("members.key"));
        CurvePublicKey reports = CurvePublicKey.load(keys.resolve("reports.key"));
        ProducerSecurity security = ProducerSecurity.builder()
                .keyPair(CurveKeyPair.load(keys.resolve("users.key_secret")))   // the producer's key pair
                .allow(members)                                                 // may read every type
                .allow(reports, Set.of("user.created"))                         // only this type
                .consumerNames(members, Set.of("members"))                      // may pull only as these consumers
                .consumerNames(reports, Set.of("reports"))
                .build();
        StrongZeroProducer producer = StrongZeroProducer.builder()
                .dataSource(producerDb).pump(PumpConfig.builder().name("users").build()).bind(endpoint)
                .security(security)
                .build().start();
        // end::producer[]
        return producer;
    }

    private StrongZeroConsumer startConsumer(DataSource consumerDb, String usersEndpoint, String name) {
        // tag::consumer[]
        StrongZeroConsumer consumer = StrongZeroConsumer.builder()
                .name(name).dataSource(consumerDb)
                .producer("users", usersEndpoint)
                .curveKeyPair(CurveKeyPair.load(keys.resolve(name + ".key_secret")))   // this consumer's key pair
                .producerKey("users", CurvePublicKey.load(keys.resolve("users.key")))  // the producer it trusts
                .handler("user.created", User.class, (message, ctx) -> insertMember(ctx.connection(), name, message.payload()))
                .handler("user.deleted", User.class, (message, ctx) -> removeMember(ctx.connection(), name, message.payload()))
                .build();
        consumer.start();
        // end::consumer[]
        return consumer;
    }

    @Test
    void keysCanComeFromConfigurationInsteadOfFiles() {
        CurveKeyPair generated = CurveKeyPair.generate();
        String secretFromConfig = io.strongzero.core.internal.CurveKeys.encodeZ85(generated.secretKey());
        String producerKeyFromConfig = CurveKeyPair.generate().publicKey().z85();
        // tag::config[]
        CurveKeyPair ownKeys = CurveKeyPair.fromSecretZ85(secretFromConfig);    // e.g. System.getenv("SZ_SECRET_KEY")
        CurvePublicKey producerKey = CurvePublicKey.fromZ85(producerKeyFromConfig);
        // end::config[]
        assertEquals(generated.publicKey(), ownKeys.publicKey());
        assertEquals(producerKeyFromConfig, producerKey.z85());
    }

    /** The payload of user.created, as the consumer reads it. */
    record User(String name, int n) {
    }

    private static void removeMember(Connection c, String consumer, User user) throws SQLException {
        insertMember(c, consumer, new User("removed " + user.name(), user.n()));
    }

    private static void insertMember(Connection c, String consumer, User user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO received (consumer_name, id, pos, name) VALUES (?, 'x', 0, ?)")) {
            ps.setString(1, consumer);
            ps.setString(2, user.name());
            ps.executeUpdate();
        }
    }
}
