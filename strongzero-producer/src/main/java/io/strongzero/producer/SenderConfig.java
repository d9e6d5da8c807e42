package io.strongzero.producer;

import io.strongzero.core.FlakeId;
import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.Schema;
import io.strongzero.core.internal.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of a {@link StrongZeroSender}: values only (the data source, codec, id generator, clock, pump,
 * after-commit registry and metrics stay on {@link StrongZeroSender.Builder}). Written by the sender's builder,
 * or given whole with {@link StrongZeroSender.Builder#config(SenderConfig)}; read back from
 * {@link StrongZeroSender#config()}. Every option is optional.
 *
 * <p>Immutable and thread-safe; {@link #toBuilder()} makes a changed copy.
 */
public final class SenderConfig {

    private final String tablePrefix;
    private final Long nodeId;
    private final List<String> pokeEndpoints;
    private final boolean requireTransaction;

    private SenderConfig(Setters<?> b) {
        this.tablePrefix = b.tablePrefix;
        this.nodeId = b.nodeId;
        this.pokeEndpoints = b.pokeEndpoints;
        this.requireTransaction = b.requireTransaction;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().copyFrom(this);
    }

    /** The table prefix, or {@code null} to adopt the pump's (or the default {@code sz_} without a pump). */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** The Flake node id, or {@code null} for {@link FlakeIdGenerator#defaultNodeId()}. */
    public Long nodeId() {
        return nodeId;
    }

    /** The first of the {@link #pokeEndpoints()}, or {@code null} if there are none. */
    public String pokeEndpoint() {
        return pokeEndpoints.isEmpty() ? null : pokeEndpoints.get(0);
    }

    /** The poke endpoints of the pumps to wake after commit, each poked once per wake-up; empty for none. */
    public List<String> pokeEndpoints() {
        return pokeEndpoints;
    }

    /**
     * Whether {@code send(type, payload)} refuses a data-source connection that is in auto-commit mode (no open
     * transaction): {@code true} (the default) refuses it; {@code false} lets such a message commit on its own.
     */
    public boolean requireTransaction() {
        return requireTransaction;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SenderConfig c && Objects.equals(tablePrefix, c.tablePrefix) && Objects.equals(nodeId, c.nodeId)
                && pokeEndpoints.equals(c.pokeEndpoints) && requireTransaction == c.requireTransaction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tablePrefix, nodeId, pokeEndpoints, requireTransaction);
    }

    @Override
    public String toString() {
        return "SenderConfig[tablePrefix=" + (tablePrefix == null ? "the pump's" : tablePrefix) + ", nodeId="
                + (nodeId == null ? "default" : nodeId) + ", pokeEndpoints=" + pokeEndpoints + ", requireTransaction="
                + requireTransaction + "]";
    }

    /**
     * The setters of every option, each validating its value at once, shared by {@link Builder} and
     * {@link StrongZeroSender.Builder}. Not thread-safe.
     *
     * @param <B> the builder type the setters return
     */
    public abstract static class Setters<B extends Setters<B>> {
        private String tablePrefix;
        private Long nodeId;
        private List<String> pokeEndpoints = List.of();
        private boolean requireTransaction = true;

        Setters() {
        }

        /** This builder. */
        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }

        /** Takes every value of {@code c}. */
        final B copyFrom(SenderConfig c) {
            tablePrefix = c.tablePrefix;
            nodeId = c.nodeId;
            pokeEndpoints = c.pokeEndpoints;
            requireTransaction = c.requireTransaction;
            return self();
        }

        /**
         * Whether {@code send(type, payload)} (the form that takes the connection from the transaction-aware data
         * source) refuses to write when the data source hands out a connection in auto-commit mode, that is when no
         * transaction is open. Default {@code true}: the message would otherwise commit on its own, apart from the
         * business change it describes. {@code false} lets such a send commit the message at once (and wake the
         * pump), for messages that describe no other change. {@code send(connection, ...)} is not affected.
         */
        public B requireTransaction(boolean require) {
            this.requireTransaction = require;
            return self();
        }

        /** Table prefix, default {@code sz_} (or the pump's); must match the pump's. */
        public B tablePrefix(String prefix) {
            this.tablePrefix = Schema.validatePrefix(prefix);
            return self();
        }

        /** The 48-bit Flake node id; default {@link FlakeIdGenerator#defaultNodeId()}; a sender's idGenerator replaces it. */
        public B nodeId(long nodeId) {
            this.nodeId = Checks.between("nodeId", nodeId, 0, FlakeId.MAX_NODE);
            return self();
        }

        /**
         * A pump in another process to poke over ZeroMQ after commit ({@code ipc://...} or
         * {@code tcp://...}, the pump's {@code pokeEndpoint}): the same as {@link #pokeEndpoints(String...)} with
         * this one endpoint (it replaces any set before).
         */
        public B pokeEndpoint(String endpoint) {
            this.pokeEndpoints = List.of(Checks.endpoint("pokeEndpoint", endpoint));
            return self();
        }

        /**
         * The pumps to poke over ZeroMQ after commit, each the {@code pokeEndpoint} of a pump (one per instance serving
         * the journal): every wake-up pokes each of them, through a socket of its own, so every instance looks at
         * once. For databases without head notifications (H2, MariaDB), where an instance otherwise learns of
         * another's stamping only at its poll interval. Each must start with {@code tcp://}, {@code ipc://} or
         * {@code inproc://}; none may repeat. Replaces any set before; none (the default) pokes nothing.
         */
        public B pokeEndpoints(String... endpoints) {
            return pokeEndpoints(Arrays.asList(Checks.notNull("pokeEndpoints", endpoints)));
        }

        /** As {@link #pokeEndpoints(String...)}, from a list. */
        public B pokeEndpoints(List<String> endpoints) {
            Checks.notNull("pokeEndpoints", endpoints);
            List<String> checked = new ArrayList<>(endpoints.size());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < endpoints.size(); i++) {
                String e = Checks.endpoint("pokeEndpoints[" + i + "]", endpoints.get(i));
                String repeated = e;
                Checks.valid(seen.add(e), () -> "pokeEndpoints must not repeat an endpoint but '" + repeated
                        + "' is given twice: each endpoint is poked once, through a socket of its own");
                checked.add(e);
            }
            this.pokeEndpoints = List.copyOf(checked);
            return self();
        }

        /** The configuration. */
        final SenderConfig buildConfig() {
            return new SenderConfig(this);
        }
    }

    /** Builds a {@link SenderConfig}. Each setter validates its value at once. Not thread-safe. */
    public static final class Builder extends Setters<Builder> {
        private Builder() {
        }

        /** The configuration. */
        public SenderConfig build() {
            return buildConfig();
        }
    }
}
