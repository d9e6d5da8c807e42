package io.strongzero.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.unit.DataSize;

/** The producer side: the journal's pump and the ZeroMQ producer that serves it. Enabled by {@code strongzero.producer.name}. */
public class StrongZeroProducerProperties {
    /** The journal's name, which consumers pull from; setting it turns the producer, its pump and the sender on. */
    private String name;

    /** Endpoints the producer binds for consumers, for example tcp://*:7300 (at least one). */
    private List<String> bind = new ArrayList<>();

    /** Threads (and so database connections) reading the journal for consumers concurrently. */
    private int readers = 4;

    /** Most messages per reply, whatever a consumer asks for. */
    private int maxBatchMessages = 1000;

    /** Most payload bytes per reply; a single larger message is still sent, alone. */
    private DataSize maxBatchBytes = DataSize.ofMegabytes(4);

    /** Most long-poll requests parked at once; beyond it consumers are told BUSY. */
    private int maxParked = 10_000;

    /** Most journal reads waiting for a reader thread; beyond it consumers are told BUSY. */
    private int maxQueuedReads = 1_000;

    /** ZeroMQ heartbeat interval towards consumers; a peer silent for three intervals is dropped. */
    private Duration heartbeat = Duration.ofSeconds(5);

    /** Pulls being read or sent at once; beyond it consumers are told BUSY. */
    private int maxInflightPulls = 256;

    /** Reply bytes read but not yet sent; beyond it new pulls are told BUSY. */
    private DataSize maxInflightBytes = DataSize.ofMegabytes(256);

    /** Last stamped messages kept in memory to answer consumers at the head without a journal read; 0 turns the cache off. */
    private int tailCacheMessages = 10_000;

    /** Most payload bytes the tail cache keeps. */
    private DataSize tailCacheBytes = DataSize.ofMegabytes(16);

    /** How often the positions consumers report are written to the consumer table (lag, health, retention). */
    private Duration progressInterval = Duration.ofSeconds(1);

    /** Most consumers recorded as UNREGISTERED (names first seen in pulls nobody vouched for). */
    private int maxUnregisteredConsumers = 100;

    /** An ACTIVE consumer whose last pull is older than this is reported as idle. */
    private Duration consumerIdleAfter = Duration.ofSeconds(60);

    private final Pump pump = new Pump();

    private final Retention retention = new Retention();

    private final ProducerSecurity security = new ProducerSecurity();

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<String> getBind() {
        return bind;
    }

    public void setBind(List<String> bind) {
        this.bind = bind;
    }

    public int getReaders() {
        return readers;
    }

    public void setReaders(int readers) {
        this.readers = readers;
    }

    public int getMaxBatchMessages() {
        return maxBatchMessages;
    }

    public void setMaxBatchMessages(int maxBatchMessages) {
        this.maxBatchMessages = maxBatchMessages;
    }

    public DataSize getMaxBatchBytes() {
        return maxBatchBytes;
    }

    public void setMaxBatchBytes(DataSize maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
    }

    public int getMaxParked() {
        return maxParked;
    }

    public void setMaxParked(int maxParked) {
        this.maxParked = maxParked;
    }

    public int getMaxQueuedReads() {
        return maxQueuedReads;
    }

    public void setMaxQueuedReads(int maxQueuedReads) {
        this.maxQueuedReads = maxQueuedReads;
    }

    public Duration getHeartbeat() {
        return heartbeat;
    }

    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    public int getMaxInflightPulls() {
        return maxInflightPulls;
    }

    public void setMaxInflightPulls(int maxInflightPulls) {
        this.maxInflightPulls = maxInflightPulls;
    }

    public DataSize getMaxInflightBytes() {
        return maxInflightBytes;
    }

    public void setMaxInflightBytes(DataSize maxInflightBytes) {
        this.maxInflightBytes = maxInflightBytes;
    }

    public int getTailCacheMessages() {
        return tailCacheMessages;
    }

    public void setTailCacheMessages(int tailCacheMessages) {
        this.tailCacheMessages = tailCacheMessages;
    }

    public DataSize getTailCacheBytes() {
        return tailCacheBytes;
    }

    public void setTailCacheBytes(DataSize tailCacheBytes) {
        this.tailCacheBytes = tailCacheBytes;
    }

    public Duration getProgressInterval() {
        return progressInterval;
    }

    public void setProgressInterval(Duration progressInterval) {
        this.progressInterval = progressInterval;
    }

    public int getMaxUnregisteredConsumers() {
        return maxUnregisteredConsumers;
    }

    public void setMaxUnregisteredConsumers(int maxUnregisteredConsumers) {
        this.maxUnregisteredConsumers = maxUnregisteredConsumers;
    }

    public Duration getConsumerIdleAfter() {
        return consumerIdleAfter;
    }

    public void setConsumerIdleAfter(Duration consumerIdleAfter) {
        this.consumerIdleAfter = consumerIdleAfter;
    }

    public Pump getPump() {
        return pump;
    }

    public Retention getRetention() {
        return retention;
    }

    public ProducerSecurity getSecurity() {
        return security;
    }

    /** The pump: stamps committed journal rows with positions. */
    public static class Pump {
        /** How often the pump looks for committed rows without a wake-up. */
        private Duration pollInterval = Duration.ofMillis(200);

        /** Rows stamped per transaction. */
        private int batchSize = 1000;

        /** PostgreSQL: VACUUM the journal after this many stamped rows; 0 turns it off. */
        private int vacuumEvery = 100_000;

        /** Endpoint of a ZeroMQ PULL socket on which any message wakes the pump (for senders in other processes). */
        private String pokeEndpoint;

        /** PostgreSQL: learn of positions other instances of the journal stamped from database notifications (one more connection). */
        private boolean headNotifications = true;

        /** Written to the sequencer row by every stamping transaction; empty for host:pid. */
        private String owner;

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public int getVacuumEvery() {
            return vacuumEvery;
        }

        public void setVacuumEvery(int vacuumEvery) {
            this.vacuumEvery = vacuumEvery;
        }

        public String getPokeEndpoint() {
            return pokeEndpoint;
        }

        public void setPokeEndpoint(String pokeEndpoint) {
            this.pokeEndpoint = pokeEndpoint;
        }

        public boolean isHeadNotifications() {
            return headNotifications;
        }

        public void setHeadNotifications(boolean headNotifications) {
            this.headNotifications = headNotifications;
        }

        public String getOwner() {
            return owner;
        }

        public void setOwner(String owner) {
            this.owner = owner;
        }
    }

    /** Journal retention: off unless {@code min} is set. */
    public static class Retention {
        /** Delete journal rows older than this that every registered or active consumer has pulled past; empty keeps the journal whole. */
        private Duration min;

        /** Also delete rows older than this whatever the consumers (they then get POSITION_EXPIRED); empty for no limit. */
        private Duration max;

        /** How often retention runs. */
        private Duration interval = Duration.ofMinutes(1);

        /** How many positions one delete covers. */
        private int chunk = 1000;

        public Duration getMin() {
            return min;
        }

        public void setMin(Duration min) {
            this.min = min;
        }

        public Duration getMax() {
            return max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public int getChunk() {
            return chunk;
        }

        public void setChunk(int chunk) {
            this.chunk = chunk;
        }
    }

    /** CurveZMQ for the producer: encrypted, only to the listed consumer keys. Off (plaintext) unless a secret key is set. */
    public static class ProducerSecurity {
        /** The producer's CurveZMQ secret key as Z85 text (40 characters), for example from an environment variable; or use secret-key-file. */
        private String secretKey;

        /** The producer's secret certificate file (written by "strongzero keys generate"). */
        private Path secretKeyFile;

        /** The consumers allowed to connect. */
        private List<AllowedConsumer> allow = new ArrayList<>();

        public String getSecretKey() {
            return secretKey;
        }

        public void setSecretKey(String secretKey) {
            this.secretKey = secretKey;
        }

        public Path getSecretKeyFile() {
            return secretKeyFile;
        }

        public void setSecretKeyFile(Path secretKeyFile) {
            this.secretKeyFile = secretKeyFile;
        }

        public List<AllowedConsumer> getAllow() {
            return allow;
        }

        public void setAllow(List<AllowedConsumer> allow) {
            this.allow = allow;
        }
    }

    /** A consumer key allowed to connect to the producer. */
    public static class AllowedConsumer {
        /** The consumer's public key as Z85 text; or use public-key-file. */
        private String publicKey;

        /** The consumer's public certificate file. */
        private Path publicKeyFile;

        /** The message types this key may read (others reach it redacted); empty for every type. */
        private List<String> types = new ArrayList<>();

        /** The consumer names this key may pull under; empty for any. */
        private List<String> consumerNames = new ArrayList<>();

        public String getPublicKey() {
            return publicKey;
        }

        public void setPublicKey(String publicKey) {
            this.publicKey = publicKey;
        }

        public Path getPublicKeyFile() {
            return publicKeyFile;
        }

        public void setPublicKeyFile(Path publicKeyFile) {
            this.publicKeyFile = publicKeyFile;
        }

        public List<String> getTypes() {
            return types;
        }

        public void setTypes(List<String> types) {
            this.types = types;
        }

        public List<String> getConsumerNames() {
            return consumerNames;
        }

        public void setConsumerNames(List<String> consumerNames) {
            this.consumerNames = consumerNames;
        }
    }
}
