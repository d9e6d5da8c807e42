package io.strongzero.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strongzero.core.Health;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.internal.Threads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny HTTP endpoint for Kubernetes probes, on the JDK's built-in server (no extra dependency):
 * {@code GET /health/live} and {@code GET /health/ready} answer 200 or 503 with a JSON body listing each
 * component's health. It is in the optional module {@code strongzero-health} (it was
 * {@code io.strongzero.core.HealthEndpoint} before issue 14); the {@link Health} checks it serves are in core.
 *
 * <pre>{@code
 * HealthEndpoint health = HealthEndpoint.start(new InetSocketAddress("0.0.0.0", 8081), producer, consumer);
 * ...
 * health.close();
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} stops the server and its thread.
 */
public final class HealthEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Health.Check> checks;

    private HealthEndpoint(HttpServer server, ExecutorService executor, List<Health.Check> checks) {
        this.server = server;
        this.executor = executor;
        this.checks = checks;
    }

    /**
     * Starts serving on {@code address} (port 0 picks a free port).
     *
     * @throws StrongZeroConfigException if the address cannot be bound
     */
    public static HealthEndpoint start(InetSocketAddress address, Health.Check... checks) {
        if (checks.length == 0) {
            throw new StrongZeroConfigException("HealthEndpoint needs at least one component to report on");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new StrongZeroConfigException("cannot bind the health endpoint to " + address + ": " + e.getMessage());
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(Threads.factory("health", String.valueOf(address.getPort())));
        HealthEndpoint endpoint = new HealthEndpoint(server, executor, List.of(checks));
        server.createContext("/health/live", ex -> endpoint.answer(ex, true));
        server.createContext("/health/ready", ex -> endpoint.answer(ex, false));
        server.setExecutor(executor);
        server.start();
        log.info("strongzero-health: serving /health/live and /health/ready on {}", endpoint.address());
        return endpoint;
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Runs every check; {@code liveness} selects which flag decides the overall status. */
    public Map<String, Object> report(boolean liveness) {
        boolean ok = true;
        List<Map<String, Object>> components = new ArrayList<>();
        for (Health.Check check : checks) {
            Health h;
            try {
                h = check.health();
            } catch (RuntimeException e) {
                h = new Health.Builder(check.toString()).notReady("health check threw " + e).build();
            }
            ok &= liveness ? h.live() : h.ready();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("component", h.component());
            c.put("live", h.live());
            c.put("ready", h.ready());
            c.put("reasons", h.reasons());
            c.put("details", h.details());
            components.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", ok ? "UP" : "DOWN");
        out.put("components", components);
        return out;
    }

    private void answer(HttpExchange ex, boolean liveness) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            Map<String, Object> report = report(liveness);
            byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders("UP".equals(report.get("status")) ? 200 : 503, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
