package io.strongzero.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Health;
import io.strongzero.core.StrongZeroConfigException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The endpoint on its own, over fake checks; OperationsContract (tck) runs it against a real producer and consumer. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HealthEndpointTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void readyAnswers200WhileEveryCheckIsReadyAnd503WhenOneIsNotWhileLiveStays200() throws Exception {
        AtomicReference<Health> worker = new AtomicReference<>(new Health.Builder("worker").build());
        Health.Check fixed = () -> new Health.Builder("fixed").detail("lagMessages", 0).build();
        try (HealthEndpoint endpoint = HealthEndpoint.start(new InetSocketAddress("127.0.0.1", 0), fixed, worker::get)) {
            HttpResponse<String> ready = get(endpoint, "/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("application/json", ready.headers().firstValue("Content-Type").orElse(""));
            assertTrue(ready.body().contains("\"status\" : \"UP\"") && ready.body().contains("\"component\" : \"worker\"")
                    && ready.body().contains("lagMessages"), ready.body());

            worker.set(new Health.Builder("worker").notReady("database down").build());
            ready = get(endpoint, "/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"status\" : \"DOWN\"") && ready.body().contains("database down"), ready.body());
            assertEquals(200, get(endpoint, "/health/live").statusCode(), "not ready is still live");

            worker.set(new Health.Builder("worker").dead("thread died").build());
            assertEquals(503, get(endpoint, "/health/live").statusCode());
        }
    }

    @Test
    void aCheckThatThrowsIsReportedNotReadyAndOtherMethodsThanGetAreRefused() throws Exception {
        Health.Check throwing = () -> {
            throw new IllegalStateException("boom");
        };
        try (HealthEndpoint endpoint = HealthEndpoint.start(new InetSocketAddress("127.0.0.1", 0), throwing)) {
            HttpResponse<String> ready = get(endpoint, "/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("health check threw java.lang.IllegalStateException: boom"), ready.body());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri(endpoint, "/health/ready"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void startingWithoutAnyCheckIsRefused() {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                () -> HealthEndpoint.start(new InetSocketAddress("127.0.0.1", 0)));
        assertTrue(e.getMessage().contains("at least one component"), e.getMessage());
    }

    private HttpResponse<String> get(HealthEndpoint endpoint, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(endpoint, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(HealthEndpoint endpoint, String path) {
        return URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
    }
}
