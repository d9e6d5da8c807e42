package io.strongzero.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A component's health: liveness (restart me if false), readiness (send me no work if false), the
 * reasons for either being false or for a degraded state, and details (numbers an operator wants to
 * see). Immutable.
 *
 * @param component a name such as {@code producer:users} or {@code consumer:members}
 * @param live      false only if the component cannot recover by itself (its threads died)
 * @param ready     false while it cannot do its work (database unreachable, not started, socket not bound)
 * @param reasons   human-readable problems, empty when all is well
 * @param details   figures such as lag, head, dead-letter count (JSON-friendly values)
 */
public record Health(String component, boolean live, boolean ready, List<String> reasons, Map<String, Object> details) {

    public Health {
        Objects.requireNonNull(component, "component");
        reasons = List.copyOf(reasons);
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A source of health reports; implementations must be thread-safe and answer within a few seconds. */
    @FunctionalInterface
    public interface Check {
        Health health();
    }

    /** Collects reasons and details while a check runs. Not thread-safe. */
    public static final class Builder {
        private final String component;
        private boolean live = true;
        private boolean ready = true;
        private final List<String> reasons = new ArrayList<>();
        private final Map<String, Object> details = new LinkedHashMap<>();

        public Builder(String component) {
            this.component = component;
        }

        /** Not live, with a reason. */
        public Builder dead(String reason) {
            live = false;
            ready = false;
            reasons.add(reason);
            return this;
        }

        /** Not ready, with a reason. */
        public Builder notReady(String reason) {
            ready = false;
            reasons.add(reason);
            return this;
        }

        /** Live and ready, but worth a look. */
        public Builder degraded(String reason) {
            reasons.add(reason);
            return this;
        }

        public Builder detail(String key, Object value) {
            details.put(key, value);
            return this;
        }

        public Health build() {
            return new Health(component, live, ready, reasons, details);
        }
    }
}
