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
    private final int vacuumEvery;
    private final boolean createSchemaIfMissing;
    private final String pokeEndpoint;
    private final boolean headNotifications;
    private final String owner;

    private PumpConfig(Setters<?> b) {
        this.name = b.name;
        this.dialect = b.dialect;
        this.tablePrefix = b.tablePrefix;
        this.pollInterval = b.pollInterval;
        this.batchSize = b.batchSize;
        this.vacuumEvery = b.vacuumEvery;
        this.createSchemaIfMissing = b.createSchemaIfMissing;
        this.pokeEndpoint = b.pokeEndpoint;
        this.headNotifications = b.headNotifications;
        this.owner = b.owner;
    }

    /** A builder with the defaults; {@code name} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().copyFrom(this);
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

    /**
     * Stamped rows between two journal upkeeps (PostgreSQL: {@code VACUUM} of the journal), 0 for none; databases
     * whose own purge keeps up (H2, MariaDB) need none and ignore it.
     */
    public int vacuumEvery() {
        return vacuumEvery;
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

    /**
     * Whether the pump listens for the head notifications other instances' stampings send (PostgreSQL; other databases
     * have none and ignore it). Default true.
     */
    public boolean headNotifications() {
        return headNotifications;
    }

    /** The name recorded as the sequencer's last owner, or {@code null} for {@code host:pid}. */
    public String owner() {
        return owner;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PumpConfig c && name.equals(c.name) && dialect == c.dialect
                && tablePrefix.equals(c.tablePrefix) && pollInterval.equals(c.pollInterval) && batchSize == c.batchSize
                && vacuumEvery == c.vacuumEvery
                && createSchemaIfMissing == c.createSchemaIfMissing && Objects.equals(pokeEndpoint, c.pokeEndpoint)
                && headNotifications == c.headNotifications && Objects.equals(owner, c.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dialect, tablePrefix, pollInterval, batchSize, vacuumEvery, createSchemaIfMissing, pokeEndpoint,
                headNotifications, owner);
    }

    @Override
    public String toString() {
        return "PumpConfig[name=" + name + ", dialect=" + (dialect == null ? "detected" : dialect.shortName())
                + ", tablePrefix=" + tablePrefix + ", pollInterval=" + pollInterval + ", batchSize=" + batchSize
                + ", vacuumEvery=" + vacuumEvery
                + ", createSchemaIfMissing=" + createSchemaIfMissing + ", pokeEndpoint=" + pokeEndpoint
                + ", headNotifications=" + headNotifications + ", owner=" + (owner == null ? "host:pid" : owner) + "]";
    }

    /**
     * The setters of every option, each validating its value at once, shared by {@link Builder} and
     * {@link StrongZeroPump.Builder}. Not thread-safe.
     *
     * @param <B> the builder type the setters return
     */
    public abstract static class Setters<B extends Setters<B>> {
        private String name;
        private Dialect dialect;
        private String tablePrefix = Schema.DEFAULT_PREFIX;
        private Duration pollInterval = Duration.ofMillis(200);
        private int batchSize = 1000;
        private int vacuumEvery = 100_000;
        private boolean createSchemaIfMissing;
        private String pokeEndpoint;
        private boolean headNotifications = true;
        private String owner;

        Setters() {
        }

        /** This builder. */
        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }

        /** Takes every value of {@code c}. */
        final B copyFrom(PumpConfig c) {
            name = c.name;
            dialect = c.dialect;
            tablePrefix = c.tablePrefix;
            pollInterval = c.pollInterval;
            batchSize = c.batchSize;
            vacuumEvery = c.vacuumEvery;
            createSchemaIfMissing = c.createSchemaIfMissing;
            pokeEndpoint = c.pokeEndpoint;
            headNotifications = c.headNotifications;
            owner = c.owner;
            return self();
        }

        /** The journal's name, the same as the producer's: {@link Protocol#nameRule()}. Required. */
        public B name(String name) {
            this.name = Checks.name("name", name);
            return self();
        }

        /** The SQL dialect; detected from the data source when not set. */
        public B dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return self();
        }

        /** Table name prefix, default {@code sz_}. */
        public B tablePrefix(String prefix) {
            this.tablePrefix = Schema.validatePrefix(prefix);
            return self();
        }

        /** How often to look for committed rows without a wake-up: 1 ms to 60 s, default 200 ms. */
        public B pollInterval(Duration interval) {
            this.pollInterval = Checks.between("pollInterval", interval, 1, 60_000, "1 ms", "60 s");
            return self();
        }

        /** Rows stamped per transaction: 1 to 10000, default 1000. */
        public B batchSize(int batchSize) {
            this.batchSize = Checks.between("batchSize", batchSize, 1, 10_000);
            return self();
        }

        /**
         * Stamped rows between two journal upkeeps, 0 to 1,000,000,000, default 100,000; 0 turns them off. On
         * PostgreSQL the upkeep is a {@code VACUUM} of the journal, run on its own thread and connection: every stamp
         * leaves a dead row version and index entry that later batches walk until a vacuum removes them, and
         * autovacuum may be off or too rare for the journal's rate. It needs the pump's database user to own the
         * journal; if the database refuses it, the pump logs a warning and goes on without. H2 and MariaDB need
         * none and ignore the setting.
         */
        public B vacuumEvery(int rows) {
            this.vacuumEvery = Checks.between("vacuumEvery", rows, 0, 1_000_000_000);
            return self();
        }

        /** Runs the producer DDL at start if the tables are missing. Default false. */
        public B createSchemaIfMissing(boolean create) {
            this.createSchemaIfMissing = create;
            return self();
        }

        /**
         * A ZeroMQ endpoint to bind for pokes from senders in other processes, for example
         * {@code ipc:///tmp/strongzero-users.poke} or {@code tcp://127.0.0.1:7301}. Optional: in-process
         * senders call {@link StrongZeroPump#wakeUp()} directly.
         */
        public B pokeEndpoint(String endpoint) {
            this.pokeEndpoint = Checks.endpoint("pokeEndpoint", endpoint);
            return self();
        }

        /**
         * Whether the pump learns of positions other instances of the journal stamped from database notifications,
         * within milliseconds, instead of at its next poll. Default true. On PostgreSQL every stamping transaction
         * notifies the channel {@code <prefix>journal:<name>} on commit (whatever this setting), and a pump with head
         * notifications holds one more connection of its data source, {@code LISTEN}ing on it on its own thread
         * ({@code strongzero-pump-<name>-notifications}): size the pool for it. It needs the PostgreSQL JDBC driver
         * (pgjdbc) and a data source whose connections unwrap to its {@code PGConnection}; without, the pump logs
         * once and polls. Databases without notifications (H2, MariaDB) ignore it: let senders poke every instance
         * instead ({@code SenderConfig.pokeEndpoints}). Notifications are a latency hint only: polling every
         * {@link #pollInterval} stays the backstop.
         */
        public B headNotifications(boolean listen) {
            this.headNotifications = listen;
            return self();
        }

        /** The name recorded as the sequencer's last owner (for operations); default host:pid. */
        public B owner(String owner) {
            Checks.require(owner != null && !owner.isBlank() && owner.length() <= 200, "owner", "'" + owner + "'",
                    "be 1 to 200 characters");
            this.owner = owner;
            return self();
        }

        /** The configuration; refuses a missing name. */
        final PumpConfig buildConfig() {
            Checks.required("name", name, "the journal's (producer's) name");
            return new PumpConfig(this);
        }
    }

    /** Builds a {@link PumpConfig}. Each setter validates its value at once. Not thread-safe. */
    public static final class Builder extends Setters<Builder> {
        private Builder() {
        }

        /**
         * The configuration.
         *
         * @throws StrongZeroConfigException if the name is missing
         */
        public PumpConfig build() {
            return buildConfig();
        }
    }
}
