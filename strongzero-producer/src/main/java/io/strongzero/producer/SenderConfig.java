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

    private SenderConfig(Builder b) {
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
        Builder b = new Builder();
        b.tablePrefix = tablePrefix;
        b.nodeId = nodeId;
        b.pokeEndpoint = pokeEndpoint;
        return b;
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

    /** Builds a {@link SenderConfig}. Each setter validates its value at once. Not thread-safe. */
    public static final class Builder {
        private String tablePrefix;
        private Long nodeId;
        private String pokeEndpoint;

        private Builder() {
        }

        /** Table prefix, default {@code sz_} (or the pump's); must match the pump's. */
        public Builder tablePrefix(String prefix) {
            this.tablePrefix = Schema.validatePrefix(prefix);
            return this;
        }

        /** The 48-bit Flake node id; default {@link FlakeIdGenerator#defaultNodeId()}. */
        public Builder nodeId(long nodeId) {
            this.nodeId = Checks.between("nodeId", nodeId, 0, FlakeId.MAX_NODE);
            return this;
        }

        /**
         * A pump in another process to poke over ZeroMQ after commit ({@code ipc://...} or
         * {@code tcp://...}, the pump's {@code pokeEndpoint}).
         */
        public Builder pokeEndpoint(String endpoint) {
            this.pokeEndpoint = Checks.endpoint("pokeEndpoint", endpoint);
            return this;
        }

        /** The configuration. */
        public SenderConfig build() {
            return new SenderConfig(this);
        }
    }
}
