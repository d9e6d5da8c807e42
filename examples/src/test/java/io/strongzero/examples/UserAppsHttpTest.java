package io.strongzero.examples;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.testing.Await;
import io.strongzero.testing.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's curl session, against the producer and consumer apps. */
class UserAppsHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aUserPostedToTheProducerProcessAppearsInTheConsumerProcess() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (JavaProcess producer = JavaProcess.start("users", UserProducerApp.class,
                "jdbc:h2:mem:users-" + run, "tcp://127.0.0.1:*", "0")) {
            String endpoint = producer.await("serving consumers on (\\S+)", WAIT);
            String producerUrl = producer.await("HTTP on (\\S+)", WAIT);
            try (JavaProcess consumer = JavaProcess.start("members", MemberConsumerApp.class,
                    "jdbc:h2:mem:members-" + run, endpoint, "0")) {
                String consumerUrl = consumer.await("HTTP on (\\S+)", WAIT);

                HttpResponse<String> created = post(producerUrl + "/users",
                        "{\"id\":1,\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"}");
                assertEquals(201, created.statusCode(), created.body());
                String messageId = JSON.readTree(created.body()).get("messageId").asText();

                Await.until(WAIT, "the member to appear on the consumer side",
                        () -> get(consumerUrl + "/members").size() == 1, () -> get(consumerUrl + "/members"));
                JsonNode member = get(consumerUrl + "/members").get(0);
                JsonNode status = get(consumerUrl + "/status");
                assertAll(
                        () -> assertEquals(1, member.get("userId").asLong()),
                        () -> assertEquals("Ada Lovelace", member.get("name").asText()),
                        () -> assertEquals(messageId, member.get("messageId").asText()),
                        () -> assertEquals(1, status.get("position").asLong()),
                        () -> assertEquals(0, status.get("deadLetters").asLong()),
                        () -> assertEquals(1, get(producerUrl + "/users").size()));
                consumer.await("members: applying user 1 \\(Ada Lovelace\\) from position 1", WAIT);

                consumer.stop();                               // SIGTERM: closes cleanly
                producer.stop();
                assertTrue(consumer.output().contains("strongzero-consumer[members]: closed"), consumer.output());
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theProducerRefusesInvalidAndDuplicateUsersWithoutPublishing() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (HikariDataSource db = UserSyncDemo.pool("jdbc:h2:mem:users-http-" + run + ";DB_CLOSE_DELAY=-1", null);
             UserProducerApp app = new UserProducerApp(db, "tcp://127.0.0.1:*")) {
            String url = app.serveHttp(0) + "/users";
            assertAll(
                    () -> assertEquals(201, post(url, "{\"id\":7,\"name\":\"Grace\",\"email\":\"grace@example.com\"}")
                            .statusCode()),
                    () -> assertEquals(409, post(url, "{\"id\":7,\"name\":\"Grace\",\"email\":\"g@example.com\"}")
                            .statusCode()),
                    () -> assertEquals(400, post(url, "{\"id\":\"seven\"}").statusCode()),
                    () -> assertEquals(400, post(url, "{\"id\":8,\"name\":\"\",\"email\":\"x@example.com\"}").statusCode()),
                    () -> assertEquals(400, post(url, "not json").statusCode()),
                    () -> assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(url))
                            .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()),
                    () -> assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(url + "/7"))
                            .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()));
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sz_journal")) {
                rs.next();
                assertEquals(1, rs.getLong(1), "only the accepted user was published");
            }
        }
    }

    private HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
