package io.strongzero.pump;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Protocol;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link StrongZeroPump}: values only (the data source, metrics, clock and ticker stay on
 * {@link StrongZeroPump.Builder}). Give it to {@link StrongZeroPump.Builder#config(PumpConfig)}, or to
 * {@code StrongZeroProducer.Builder.pump(PumpConfig)} for the pump a producer builds and owns; read it back from
 * {@link StrongZeroPump#config()}.
 *
 * <pre>{@code
 * PumpConfig config = PumpConfig.builder().name("users").pollInterval(Duration.ofMillis(50)).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #toBuilder()} makes a changed copy.
 */
public final class PumpConfig {

    private final String name;
    private final Dialect dialect;
    private final String tablePrefix;
    private final Duration pollInterval;
    private final int batchSize;
    private final boolean createSchemaIfMissing;
    private final String pokeEndpoint;
    private final String owner;

    private PumpConfig(Builder b) {
        this.name = b.name;
        this.dialect = b.dialect;
        this.tablePrefix = b.tablePrefix;
        this.pollInterval = b.pollInterval;
        this.batchSize = b.batchSize;
        this.createSchemaIfMissing = b.createSchemaIfMissing;
        this.pokeEndpoint = b.pokeEndpoint;
        this.owner = b.owner;
    }

    /** A builder with the defaults; {@code name} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.dialect = dialect;
        b.tablePrefix = tablePrefix;
        b.pollInterval = pollInterval;
        b.batchSize = batchSize;
        b.createSchemaIfMissing = createSchemaIfMissing;
        b.pokeEndpoint = pokeEndpoint;
        b.owner = owner;
        return b;
    }

    /** The journal's name, the same as its producer's. */
    public String name() {
        return name;
    }

    /** The SQL dialect, or {@code null} to detect it from the data source. */
    public Dialect dialect() {
        return dialect;
    }

    /** The table prefix. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** How often the pump looks for committed rows without a wake-up. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Rows stamped per transaction. */
    public int batchSize() {
        return batchSize;
    }

    /** Whether {@code start()} creates missing tables. */
    public boolean createSchemaIfMissing() {
        return createSchemaIfMissing;
    }

    /** The endpoint the pump binds for pokes, or {@code null} for none. */
    public String pokeEndpoint() {
        return pokeEndpoint;
    }

    /** The name recorded as the sequencer's last owner, or {@code null} for {@code host:pid}. */
    public String owner() {
        return owner;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PumpConfig c && name.equals(c.name) && dialect == c.dialect
                && tablePrefix.equals(c.tablePrefix) && pollInterval.equals(c.pollInterval) && batchSize == c.batchSize
                && createSchemaIfMissing == c.createSchemaIfMissing && Objects.equals(pokeEndpoint, c.pokeEndpoint)
                && Objects.equals(owner, c.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dialect, tablePrefix, pollInterval, batchSize, createSchemaIfMissing, pokeEndpoint, owner);
    }

    @Override
    public String toString() {
        return "PumpConfig[name=" + name + ", dialect=" + (dialect == null ? "detected" : dialect.shortName())
                + ", tablePrefix=" + tablePrefix + ", pollInterval=" + pollInterval + ", batchSize=" + batchSize
                + ", createSchemaIfMissing=" + createSchemaIfMissing + ", pokeEndpoint=" + pokeEndpoint
                + ", owner=" + (owner == null ? "host:pid" : owner) + "]";
    }

    /** Builds a {@link PumpConfig}. Each setter validates its value at once. Not thread-safe. */
    public static final class Builder {
        private String name;
        private Dialect dialect;
        private String tablePrefix = Schema.DEFAULT_PREFIX;
        private Duration pollInterval = Duration.ofMillis(200);
        private int batchSize = 1000;
        private boolean createSchemaIfMissing;
        private String pokeEndpoint;
        private String owner;

        private Builder() {
        }

        /** The journal's name, the same as the producer's: {@link Protocol#nameRule()}. Required. */
        public Builder name(String name) {
            this.name = Checks.name("name", name);
            return this;
        }

        /** The SQL dialect; detected from the data source when not set. */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** Table name prefix, default {@code sz_}. */
        public Builder tablePrefix(String prefix) {
            this.tablePrefix = Schema.validatePrefix(prefix);
            return this;
        }

        /** How often to look for committed rows without a wake-up: 1 ms to 60 s, default 200 ms. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Checks.between("pollInterval", interval, 1, 60_000, "1 ms", "60 s");
            return this;
        }

        /** Rows stamped per transaction: 1 to 10000, default 1000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = Checks.between("batchSize", batchSize, 1, 10_000);
            return this;
        }

        /** Runs the producer DDL at start if the tables are missing. Default false. */
        public Builder createSchemaIfMissing(boolean create) {
            this.createSchemaIfMissing = create;
            return this;
        }

        /**
         * A ZeroMQ endpoint to bind for pokes from senders in other processes, for example
         * {@code ipc:///tmp/strongzero-users.poke} or {@code tcp://127.0.0.1:7301}. Optional: in-process
         * senders call {@link StrongZeroPump#wakeUp()} directly.
         */
        public Builder pokeEndpoint(String endpoint) {
            this.pokeEndpoint = Checks.endpoint("pokeEndpoint", endpoint);
            return this;
        }

        /** The name recorded as the sequencer's last owner (for operations); default host:pid. */
        public Builder owner(String owner) {
            Checks.require(owner != null && !owner.isBlank() && owner.length() <= 200, "owner", "'" + owner + "'",
                    "be 1 to 200 characters");
            this.owner = owner;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws StrongZeroConfigException if the name is missing
         */
        public PumpConfig build() {
            if (name == null) {
                throw new StrongZeroConfigException("name is required: the journal's (producer's) name");
            }
            return new PumpConfig(this);
        }
    }
}
