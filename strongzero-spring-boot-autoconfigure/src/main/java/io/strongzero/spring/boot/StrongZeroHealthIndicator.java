package io.strongzero.spring.boot;

import io.strongzero.core.Health.Check;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * StrongZero's health for Spring Boot Actuator, from the core's checks of the application's producer and consumer.
 *
 * <p>Two indicators are registered: {@code strongzero} reports readiness: {@code DOWN} when a component cannot recover
 * by itself (a thread died), {@code OUT_OF_SERVICE} when one cannot do its work (not started, its database
 * unreachable), and, only with {@code strongzero.health.readiness-requires-producers=true}, while a consumer gets no
 * reply from one of its producers. {@code strongzeroLiveness} reports liveness: {@code DOWN} only when a component
 * cannot recover by itself, never because of a remote producer or a database. Both carry every component's reasons
 * and details (lag, positions, dead letters ...).
 */
public final class StrongZeroHealthIndicator implements HealthIndicator {

    private final Supplier<List<Check>> checks;
    private final boolean liveness;
    private final boolean producersRequired;

    /**
     * An indicator over the checks {@code checks} supplies; {@code liveness} selects liveness (else readiness),
     * {@code producersRequired} makes an unreachable producer a readiness failure.
     */
    public StrongZeroHealthIndicator(Supplier<List<Check>> checks, boolean liveness, boolean producersRequired) {
        this.checks = checks;
        this.liveness = liveness;
        this.producersRequired = producersRequired;
    }

    @Override
    public Health health() {
        boolean live = true;
        boolean ready = true;
        List<Map<String, Object>> components = new ArrayList<>();
        for (Check check : checks.get()) {
            io.strongzero.core.Health h;
            try {
                h = check.health();
            } catch (RuntimeException e) {
                h = new io.strongzero.core.Health.Builder(check.toString()).notReady("health check threw " + e).build();
            }
            live &= h.live();
            boolean componentReady = h.ready() && (!producersRequired || producersConnected(h));
            ready &= componentReady;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("component", h.component());
            c.put("live", h.live());
            c.put("ready", componentReady);
            c.put("reasons", h.reasons());
            c.put("details", h.details());
            components.add(c);
        }
        Status status = !live ? Status.DOWN : liveness || ready ? Status.UP : Status.OUT_OF_SERVICE;
        return Health.status(status).withDetail("components", components).build();
    }

    /** Whether every producer of a consumer's health answers (true for other components). */
    private static boolean producersConnected(io.strongzero.core.Health h) {
        if (!(h.details().get("producers") instanceof List<?> producers)) {
            return true;
        }
        for (Object p : producers) {
            if (p instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("connected"))) {
                return false;
            }
        }
        return true;
    }
}
