package io.strongzero.producer;

import io.strongzero.core.FlakeId;
import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.Schema;
import io.strongzero.core.internal.Checks;
import java.util.Objects;

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
    private final String pokeEndpoint;

    private SenderConfig(Setters<?> b) {
        this.tablePrefix = b.tablePrefix;
        this.nodeId = b.nodeId;
        this.pokeEndpoint = b.pokeEndpoint;
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

    /** The poke endpoint of a pump in another process, or {@code null}. */
    public String pokeEndpoint() {
        return pokeEndpoint;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SenderConfig c && Objects.equals(tablePrefix, c.tablePrefix) && Objects.equals(nodeId, c.nodeId)
                && Objects.equals(pokeEndpoint, c.pokeEndpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tablePrefix, nodeId, pokeEndpoint);
    }

    @Override
    public String toString() {
        return "SenderConfig[tablePrefix=" + (tablePrefix == null ? "the pump's" : tablePrefix) + ", nodeId="
                + (nodeId == null ? "default" : nodeId) + ", pokeEndpoint=" + pokeEndpoint + "]";
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
        private String pokeEndpoint;

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
            pokeEndpoint = c.pokeEndpoint;
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
         * {@code tcp://...}, the pump's {@code pokeEndpoint}).
         */
        public B pokeEndpoint(String endpoint) {
            this.pokeEndpoint = Checks.endpoint("pokeEndpoint", endpoint);
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
