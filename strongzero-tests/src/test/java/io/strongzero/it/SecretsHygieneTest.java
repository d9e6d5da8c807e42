package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.Dialect;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.producer.ProducerSecurity;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.tck.LogCapture;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZMQ;

/** Issue 5, part 4: secret keys and database passwords never reach logs, exceptions or toString(). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SecretsHygieneTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "hunter2-8c1f";
    private static final String URL = "jdbc:postgresql://db.internal:5432/app?user=app&password=" + PASSWORD;

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.start();
    }

    @AfterEach
    void restoreLog() {
        log.close();
    }

    private String logged() {
        return log.text();
    }

    @Test
    void noSecretKeyInTheLogOfACurveSessionWithRefusedAndMisledClients() {
        CurveKeyPair producerKeys = CurveKeyPair.generate();
        CurveKeyPair memberKeys = CurveKeyPair.generate();
        CurveKeyPair strangerKeys = CurveKeyPair.generate();
        ProducerSecurity security = ProducerSecurity.builder().keyPair(producerKeys).allow(memberKeys.publicKey()).build();
        try (SecureStream s = new SecureStream(security)) {
            s.consumer("members", b -> b.curveKeyPair(memberKeys).producerKey(Pipeline.PRODUCER, producerKeys.publicKey()));
            StrongZeroConsumer stranger = s.consumer("stranger", b -> b.longPollWait(Duration.ZERO)
                    .requestTimeout(Duration.ofMillis(300)).curveKeyPair(strangerKeys)
                    .producerKey(Pipeline.PRODUCER, producerKeys.publicKey()));
            StrongZeroConsumer misled = s.consumer("misled", b -> b.longPollWait(Duration.ZERO)
                    .requestTimeout(Duration.ofMillis(300)).curveKeyPair(memberKeys)
                    .producerKey(Pipeline.PRODUCER, strangerKeys.publicKey()));
            s.send("u", 10);
            Await.until(WAIT, "members streamed, stranger and misled refused with WARNs", () ->
                    s.pipeline.receivedCount("members") == 10 && stranger.failureCount() >= 2 && misled.failureCount() >= 2
                            && logged().contains("refused CURVE key " + strangerKeys.publicKey().z85())
                            && logged().contains("CURVE handshake on"));
            for (String text : List.of(s.producer.toString(), security.toString(), producerKeys.toString(),
                    stranger.lastError(Pipeline.PRODUCER), misled.lastError(Pipeline.PRODUCER))) {
                assertNoSecret(text, producerKeys, memberKeys, strangerKeys);
            }
        }
        String text = logged();
        assertTrue(text.contains(producerKeys.publicKey().z85()), "the capture works: the start line shows the public key");
        assertNoSecret(text, producerKeys, memberKeys, strangerKeys);
    }

    private static void assertNoSecret(String text, CurveKeyPair... pairs) {
        for (CurveKeyPair p : pairs) {
            String secret = ZMQ.Curve.z85Encode(p.secretKey());
            for (int i = 0; i + 10 <= secret.length(); i += 10) {
                assertFalse(text.contains(secret.substring(i, i + 10)), "a secret key (part) in: " + text);
            }
        }
    }

    @Test
    void noDatabasePasswordInExceptionsLogsOrLastErrorWhenTheDriverQuotesItsUrl() throws Exception {
        // Dialect detection in the caller's thread: the exception and its whole cause chain
        StrongZeroException detect = assertThrows(StrongZeroStorageException.class,
                () -> StrongZeroConsumer.builder().name("c").dataSource(failing(t -> true)).producer("users", "inproc://x")
                        .handler("t", String.class, (m, ctx) -> { }).build());
        assertNoPassword(stackTrace(detect));
        assertTrue(detect.getMessage().contains("password=***"), detect.getMessage());

        // Schema checks at start
        StrongZeroException pumpStart = assertThrows(StrongZeroStorageException.class,
                () -> StrongZeroPump.builder().name("users").dataSource(failing(t -> true)).dialect(Dialect.POSTGRESQL)
                        .build().start());
        assertNoPassword(stackTrace(pumpStart));

        // Failures inside the components' own threads: logged and kept in lastError
        try (Pipeline p = new Pipeline(TestDatabase.H2);
             StrongZeroPump pump = StrongZeroPump.builder().name("users").dialect(Dialect.H2)
                     .dataSource(failing(p.producerDb.dataSource(), t -> t.getName().startsWith("strongzero-pump")))
                     .pollInterval(Duration.ofMillis(50)).build().start();
             StrongZeroConsumer consumer = StrongZeroConsumer.builder().name("c").dialect(Dialect.H2)
                     .dataSource(failing(p.consumerDb.dataSource(), t -> t.getName().startsWith("strongzero-consumer")))
                     .producer("users", "inproc://nowhere").handler("t", String.class, (m, ctx) -> { })
                     .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build().start()) {
            Await.until(WAIT, "both failed in their threads", () -> pump.lastError() != null
                    && consumer.lastError("users") != null && logged().contains("cannot load the offset")
                    && logged().contains("sequencing failed"));
            assertNotNull(pump.lastError());
            assertNoPassword(pump.lastError());
            assertNoPassword(consumer.lastError("users"));
        }
        String text = logged();
        assertTrue(text.contains("password=***"), "the capture works and shows the redacted driver message");
        assertNoPassword(text);
    }

    private static void assertNoPassword(String text) {
        assertFalse(text.contains(PASSWORD), "a password in: " + text);
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** A data source that fails, quoting a URL with a password as some drivers do, when {@code failIn} says so. */
    private static DataSource failing(java.util.function.Predicate<Thread> failIn) {
        return failing(null, failIn);
    }

    private static DataSource failing(DataSource delegate, java.util.function.Predicate<Thread> failIn) {
        return (DataSource) Proxy.newProxyInstance(SecretsHygieneTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && (delegate == null || failIn.test(Thread.currentThread()))) {
                        throw new SQLException("Connection to " + URL + " refused", "08001",
                                new IllegalStateException("could not open " + URL));
                    }
                    if (method.getName().equals("getConnection")) {
                        return (Connection) method.invoke(delegate, args);
                    }
                    if (method.getName().equals("toString")) {
                        return "failing DataSource";
                    }
                    return method.invoke(delegate, args);
                });
    }
}
