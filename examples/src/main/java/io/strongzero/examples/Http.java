package io.strongzero.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny JSON-over-HTTP front for the example apps, on the JDK's built-in {@code com.sun.net.httpserver}
 * (no dependency). It listens on the loopback interface only. Thread-safe; {@link #close()} stops it.
 */
final class Http implements AutoCloseable {

    /** Handles one request; returns the response. Thrown exceptions become 500 responses. */
    @FunctionalInterface
    interface Route {
        Response handle(String method, byte[] body) throws Exception;
    }

    /** A response: status code and a value to write as JSON. */
    record Response(int status, Object body) {
        static Response error(int status, String message) {
            return new Response(status, Map.of("error", message));
        }
    }

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor;

    /** Starts serving {@code routes} (exact paths) on {@code 127.0.0.1:port}; port 0 picks a free one. */
    Http(String name, int port, Map<String, Route> routes) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        routes.forEach((path, route) -> server.createContext(path, exchange -> serve(exchange, path, route)));
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "strongzero-example-" + name + "-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL, for example {@code http://127.0.0.1:8080}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, String path, Route route) throws IOException {
        Response response;
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                response = Response.error(404, "no such resource: " + exchange.getRequestURI().getPath());
            } else {
                try {
                    response = route.handle(exchange.getRequestMethod(), exchange.getRequestBody().readAllBytes());
                } catch (Exception e) {
                    response = Response.error(500, e.toString());
                }
            }
            byte[] bytes = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response.body()) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops at once (a request in flight may be cut off). Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes {@code http} unless it is null (an app that never served HTTP). */
    static void closeIfServing(Http http) {
        if (http != null) {
            http.close();
        }
    }
}
