package io.strongzero.producer;

import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Protocol;
import io.strongzero.pump.JournalAdmin;
import io.strongzero.pump.PumpConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings of a {@link StrongZeroProducer}: values only (the data source, an existing pump, metrics and the
 * ticker stay on {@link StrongZeroProducer.Builder}). Written by the producer's builder, or given whole with
 * {@link StrongZeroProducer.Builder#config(ProducerConfig)}; read back from {@link StrongZeroProducer#config()}.
 *
 * <pre>{@code
 * ProducerConfig config = ProducerConfig.builder()
 *         .pump(PumpConfig.builder().name("users").build())
 *         .bind("tcp://0.0.0.0:7300").readers(8)
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #toBuilder()} makes a changed copy; {@link #toString()} never shows the
 * producer's secret key.
 */
public final class ProducerConfig {

    private final PumpConfig pump;
    private final List<String> endpoints;
    private final int readers;
    private final int maxBatchMessages;
    private final int maxBatchBytes;
    private final int maxParked;
    private final int maxQueuedReads;
    private final Duration heartbeat;
    private final int maxInflightPulls;
    private final long maxInflightBytes;
    private final int tailCacheMessages;
    private final long tailCacheBytes;
    private final Duration progressInterval;
    private final Duration retentionMin;
    private final Duration retentionMax;
    private final Duration retentionInterval;
    private final int retentionChunk;
    private final int maxUnregisteredConsumers;
    private final Duration consumerIdleAfter;
    private final ProducerSecurity security;

    private ProducerConfig(Setters<?> b) {
        this.pump = b.pump;
        this.endpoints = List.copyOf(b.endpoints);
        this.readers = b.readers;
        this.maxBatchMessages = b.maxBatchMessages;
        this.maxBatchBytes = b.maxBatchBytes;
        this.maxParked = b.maxParked;
        this.maxQueuedReads = b.maxQueuedReads;
        this.heartbeat = b.heartbeat;
        this.maxInflightPulls = b.maxInflightPulls;
        this.maxInflightBytes = b.maxInflightBytes;
        this.tailCacheMessages = b.tailCacheMessages;
        this.tailCacheBytes = b.tailCacheBytes;
        this.progressInterval = b.progressInterval;
        this.retentionMin = b.retentionMin;
        this.retentionMax = b.retentionMax;
        this.retentionInterval = b.retentionInterval;
        this.retentionChunk = b.retentionChunk;
        this.maxUnregisteredConsumers = b.maxUnregisteredConsumers;
        this.consumerIdleAfter = b.consumerIdleAfter;
        this.security = b.security;
    }

    /** A builder with the defaults; at least one {@link Builder#bind} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().copyFrom(this);
    }

    /**
     * The settings of the pump the producer builds and owns, or {@code null} when it is given an existing pump
     * (a running producer reports its pump's settings either way).
     */
    public PumpConfig pump() {
        return pump;
    }

    /** The endpoints to bind, in order ({@link Builder#bind}). */
    public List<String> endpoints() {
        return endpoints;
    }

    /** Reader threads. */
    public int readers() {
        return readers;
    }

    /** Most messages per reply. */
    public int maxBatchMessages() {
        return maxBatchMessages;
    }

    /** Most bytes per reply. */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** Most pulls parked at once. */
    public int maxParked() {
        return maxParked;
    }

    /** Most reads waiting for a reader thread. */
    public int maxQueuedReads() {
        return maxQueuedReads;
    }

    /** ZeroMQ heartbeat interval. */
    public Duration heartbeat() {
        return heartbeat;
    }

    /** Pulls being read or sent at once. */
    public int maxInflightPulls() {
        return maxInflightPulls;
    }

    /** Reply bytes read but not yet sent. */
    public long maxInflightBytes() {
        return maxInflightBytes;
    }

    /** Messages kept in the in-memory tail (0: off). */
    public int tailCacheMessages() {
        return tailCacheMessages;
    }

    /** Bytes kept in the in-memory tail. */
    public long tailCacheBytes() {
        return tailCacheBytes;
    }

    /** How often consumer progress is written. */
    public Duration progressInterval() {
        return progressInterval;
    }

    /** Retention's minimum age, or {@code null} when retention is off. */
    public Duration retentionMin() {
        return retentionMin;
    }

    /** Retention's maximum age, or {@code null} for none. */
    public Duration retentionMax() {
        return retentionMax;
    }

    /** How often retention runs. */
    public Duration retentionInterval() {
        return retentionInterval;
    }

    /** Positions one retention delete covers. */
    public int retentionChunk() {
        return retentionChunk;
    }

    /** Most consumers recorded as UNREGISTERED. */
    public int maxUnregisteredConsumers() {
        return maxUnregisteredConsumers;
    }

    /** How long after its last pull an ACTIVE consumer is reported as idle. */
    public Duration consumerIdleAfter() {
        return consumerIdleAfter;
    }

    /** CurveZMQ security, or {@code null} for plaintext. */
    public ProducerSecurity security() {
        return security;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProducerConfig c && Objects.equals(pump, c.pump) && endpoints.equals(c.endpoints)
                && readers == c.readers && maxBatchMessages == c.maxBatchMessages && maxBatchBytes == c.maxBatchBytes
                && maxParked == c.maxParked && maxQueuedReads == c.maxQueuedReads && heartbeat.equals(c.heartbeat)
                && maxInflightPulls == c.maxInflightPulls && maxInflightBytes == c.maxInflightBytes
                && tailCacheMessages == c.tailCacheMessages && tailCacheBytes == c.tailCacheBytes
                && progressInterval.equals(c.progressInterval) && Objects.equals(retentionMin, c.retentionMin)
                && Objects.equals(retentionMax, c.retentionMax) && retentionInterval.equals(c.retentionInterval)
                && retentionChunk == c.retentionChunk && maxUnregisteredConsumers == c.maxUnregisteredConsumers
                && consumerIdleAfter.equals(c.consumerIdleAfter) && Objects.equals(security, c.security);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pump, endpoints, readers, maxBatchMessages, maxBatchBytes, maxParked, maxQueuedReads,
                heartbeat, maxInflightPulls, maxInflightBytes, tailCacheMessages, tailCacheBytes, progressInterval,
                retentionMin, retentionMax, retentionInterval, retentionChunk, maxUnregisteredConsumers,
                consumerIdleAfter, security);
    }

    /** Every option; the security shows its public key and allow-list, never the secret key. */
    @Override
    public String toString() {
        return "ProducerConfig[pump=" + pump + ", endpoints=" + endpoints + ", readers=" + readers
                + ", maxBatchMessages=" + maxBatchMessages + ", maxBatchBytes=" + maxBatchBytes + ", maxParked=" + maxParked
                + ", maxQueuedReads=" + maxQueuedReads + ", heartbeat=" + heartbeat + ", maxInflightPulls="
                + maxInflightPulls + ", maxInflightBytes=" + maxInflightBytes + ", tailCache=" + tailCacheMessages
                + " messages/" + tailCacheBytes + " bytes, progressInterval=" + progressInterval + ", retention="
                + (retentionMin == null ? "off" : retentionMin + ".." + retentionMax) + ", retentionSchedule="
                + retentionInterval + "/" + retentionChunk + ", maxUnregisteredConsumers=" + maxUnregisteredConsumers
                + ", consumerIdleAfter=" + consumerIdleAfter + ", security="
                + (security == null ? "plaintext" : security + " with secret key <secret>") + "]";
    }

    /**
     * The setters of every option, each validating its value at once, shared by {@link Builder} and
     * {@link StrongZeroProducer.Builder}. Not thread-safe.
     *
     * @param <B> the builder type the setters return
     */
    public abstract static class Setters<B extends Setters<B>> {
        private PumpConfig pump;
        private final List<String> endpoints = new ArrayList<>();
        private int readers = 4;
        private int maxBatchMessages = 1000;
        private int maxBatchBytes = 4 * 1024 * 1024;
        private int maxParked = 10_000;
        private int maxQueuedReads = 1_000;
        private Duration heartbeat = Duration.ofSeconds(5);
        private int maxInflightPulls = 256;
        private long maxInflightBytes = 256L * 1024 * 1024;
        private int tailCacheMessages = 10_000;
        private long tailCacheBytes = 16L * 1024 * 1024;
        private Duration progressInterval = Duration.ofSeconds(1);
        private Duration retentionMin;
        private Duration retentionMax;
        private Duration retentionInterval = Duration.ofMinutes(1);
        private int retentionChunk = 1000;
        private int maxUnregisteredConsumers = 100;
        private Duration consumerIdleAfter = JournalAdmin.DEFAULT_IDLE_AFTER;
        private ProducerSecurity security;

        Setters() {
        }

        /** This builder. */
        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }

        /** Takes every value of {@code c}. */
        final B copyFrom(ProducerConfig c) {
            pump = c.pump;
            endpoints.clear();
            endpoints.addAll(c.endpoints);
            readers = c.readers;
            maxBatchMessages = c.maxBatchMessages;
            maxBatchBytes = c.maxBatchBytes;
            maxParked = c.maxParked;
            maxQueuedReads = c.maxQueuedReads;
            heartbeat = c.heartbeat;
            maxInflightPulls = c.maxInflightPulls;
            maxInflightBytes = c.maxInflightBytes;
            tailCacheMessages = c.tailCacheMessages;
            tailCacheBytes = c.tailCacheBytes;
            progressInterval = c.progressInterval;
            retentionMin = c.retentionMin;
            retentionMax = c.retentionMax;
            retentionInterval = c.retentionInterval;
            retentionChunk = c.retentionChunk;
            maxUnregisteredConsumers = c.maxUnregisteredConsumers;
            consumerIdleAfter = c.consumerIdleAfter;
            security = c.security;
            return self();
        }

        /**
         * The settings of the pump the producer builds, starts and closes (its name is the producer's name); the
         * producer's builder then needs a {@code dataSource}. Leave it unset to give the producer an existing pump.
         */
        public B pump(PumpConfig pump) {
            this.pump = Objects.requireNonNull(pump, "pump");
            return self();
        }

        /**
         * An endpoint for consumers, for example {@code tcp://127.0.0.1:7300}, {@code tcp://*:7300} or
         * {@code ipc:///run/app/users.sz}. Call once per endpoint; at least one is required.
         */
        public B bind(String endpoint) {
            endpoints.add(Checks.endpoint("bind endpoint", endpoint));
            return self();
        }

        /** Reader threads (concurrent journal reads), 1 to 64, default 4. */
        public B readers(int readers) {
            this.readers = Checks.between("readers", readers, 1, 64);
            return self();
        }

        /** Upper bound on messages per reply, whatever a consumer asks: 1 to 10000, default 1000. */
        public B maxBatchMessages(int max) {
            this.maxBatchMessages = Checks.between("maxBatchMessages", max, 1, Protocol.MAX_MESSAGES_LIMIT);
            return self();
        }

        /** Upper bound on bytes per reply (a single larger message is still sent alone): 1 KiB to 64 MiB, default 4 MiB. */
        public B maxBatchBytes(int max) {
            this.maxBatchBytes = Checks.between("maxBatchBytes", max, 1024, Protocol.MAX_BYTES_LIMIT);
            return self();
        }

        /** Most pulls parked at once (one per connected consumer); more get BUSY. 1 to 1000000, default 10000. */
        public B maxParked(int max) {
            this.maxParked = Checks.between("maxParked", max, 1, 1_000_000);
            return self();
        }

        /** Most reads waiting for a reader thread; more get BUSY. 1 to 100000, default 1000. */
        public B maxQueuedReads(int max) {
            this.maxQueuedReads = Checks.between("maxQueuedReads", max, 1, 100_000);
            return self();
        }

        /** ZeroMQ heartbeat interval to detect dead peers (timeout is three intervals): 100 ms to 60 s, default 5 s. */
        public B heartbeat(Duration interval) {
            this.heartbeat = Checks.between("heartbeat", interval, 100, 60_000, "100 ms", "60 s");
            return self();
        }

        /**
         * Pulls being read or sent at once; past it the producer answers BUSY with a retry-after and the
         * consumer backs off. 1 to 100000, default 256.
         */
        public B maxInflightPulls(int max) {
            this.maxInflightPulls = Checks.between("maxInflightPulls", max, 1, 100_000);
            return self();
        }

        /** Reply bytes read but not yet sent; past it new pulls get BUSY. 1 MiB to 16 GiB, default 256 MiB. */
        public B maxInflightBytes(long max) {
            this.maxInflightBytes = Checks.require(max >= 1024 * 1024 && max <= 16L * 1024 * 1024 * 1024,
                    "maxInflightBytes", max, "be between 1 MiB and 16 GiB");
            return self();
        }

        /**
         * The in-memory tail: the last {@code messages} stamped messages (at most {@code bytes} of them) are
         * kept so consumers at the head are answered without a journal read. 0 messages turns it off.
         * Default 10,000 messages / 16 MiB.
         */
        public B tailCache(int messages, long bytes) {
            Checks.require(messages >= 0 && messages <= 1_000_000, "tailCache messages", messages,
                    "be between 0 and 1000000");
            Checks.require(bytes >= 0 && bytes <= 4L * 1024 * 1024 * 1024, "tailCache bytes", bytes,
                    "be between 0 and 4 GiB");
            this.tailCacheMessages = messages;
            this.tailCacheBytes = bytes;
            return self();
        }

        /** How often consumers' reported positions are written to the consumer table: 10 ms to 1 min, default 1 s. */
        public B progressInterval(Duration interval) {
            this.progressInterval = Checks.require(interval != null && interval.toMillis() >= 10
                    && interval.toMinutes() <= 1, "progressInterval", interval, "be between 10 ms and 1 min");
            return self();
        }

        /**
         * Journal retention: delete rows every consumer that holds retention (ACTIVE or REGISTERED; not GONE or
         * UNREGISTERED, see {@link #maxUnregisteredConsumers}) has pulled past and that are older than
         * {@code min}; with a non-null {@code max}, also rows older than {@code max} whatever the consumers (a WARN
         * names the consumers that fall behind). Off by default: the journal grows.
         */
        public B retention(Duration min, Duration max) {
            Checks.require(min != null && !min.isNegative(), "retention min", min, "be zero or more");
            Checks.valid(max == null || max.compareTo(min) >= 0,
                    "retention max (" + max + ") cannot be shorter than min (" + min + ")");
            this.retentionMin = min;
            this.retentionMax = max;
            return self();
        }

        /** How often retention runs and how many positions one delete covers. Default 1 min, 1000. */
        public B retentionSchedule(Duration interval, int chunk) {
            Checks.require(interval != null && interval.toMillis() >= 10 && interval.toHours() <= 24,
                    "retention interval", interval, "be between 10 ms and 24 h");
            Checks.require(chunk >= 1 && chunk <= 100_000, "retention chunk", chunk, "be between 1 and 100000");
            this.retentionInterval = interval;
            this.retentionChunk = chunk;
            return self();
        }

        /**
         * Most consumers recorded as UNREGISTERED: names first seen in pulls nobody vouched for (a plaintext
         * endpoint, or a CURVE key not bound to consumer names with {@link ProducerSecurity.Builder#consumerNames}).
         * Such a consumer is served and its progress and lag are recorded, but retention does not wait for it and
         * it is left out of the meters' per-consumer gauges and of the health's consumer list. Past the cap a new
         * name is still served but not recorded, and a WARN (at most once a minute) says how many. Names
         * registered by an operator, recorded before, or pulled with a key bound to them are not capped.
         * 0 to 100000, default 100; 0 records no such name.
         */
        public B maxUnregisteredConsumers(int max) {
            this.maxUnregisteredConsumers = Checks.between("maxUnregisteredConsumers", max, 0, 100_000);
            return self();
        }

        /**
         * How long after its last recorded pull an ACTIVE consumer is reported as idle (state {@code IDLE} in the
         * health details, {@code strongzero.producer.consumer.idle} and the {@code state} tag of
         * {@code strongzero.producer.consumers} in the meters), the rule of
         * {@link JournalAdmin.ConsumerProgress#idle}. It still holds retention. 1 s to 7 days, default 60 s; set it
         * well above the consumers' {@code longPollWait} plus {@code progressInterval}.
         */
        public B consumerIdleAfter(Duration idleAfter) {
            this.consumerIdleAfter = Checks.between("consumerIdleAfter", idleAfter, 1_000, 7L * 24 * 3600 * 1000, "1 s",
                    "7 days");
            return self();
        }

        /**
         * Serve with CurveZMQ: encrypted, only to the consumer keys on the allow-list, each limited to
         * its allowed message types. Without it the producer serves plaintext to anyone who can connect
         * (and warns at start for endpoints that are not on loopback). See {@code docs/security.md}.
         */
        public B security(ProducerSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return self();
        }

        /** The configuration; refuses a configuration without an endpoint. */
        final ProducerConfig buildConfig() {
            Checks.valid(!endpoints.isEmpty(),
                    "at least one bind endpoint is required, for example bind(\"tcp://127.0.0.1:7300\")");
            return new ProducerConfig(this);
        }
    }

    /** Builds a {@link ProducerConfig}. Each setter validates its value at once. Not thread-safe. */
    public static final class Builder extends Setters<Builder> {
        private Builder() {
        }

        /**
         * The configuration.
         *
         * @throws StrongZeroConfigException if no endpoint is bound
         */
        public ProducerConfig build() {
            return buildConfig();
        }
    }
}
