package io.strongzero.spring.boot;

import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.TransactionMode;
import io.strongzero.consumer.UnknownTypePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code strongzero.*} properties. Each default is the core's default for the same setting; the auto-configuration
 * hands the values to the core's configuration builders ({@code PumpConfig}, {@code ProducerConfig},
 * {@code SenderConfig}, {@code ConsumerConfig}, {@code RetryPolicy}), which check them and refuse a bad one with a
 * {@code StrongZeroConfigException} that fails the application's start-up. The property reference is
 * {@code docs/spring-boot.md}.
 */
@ConfigurationProperties("strongzero")
public class StrongZeroProperties {

    /** Prefix of StrongZero's tables (journal, sequencer, consumer, offset, dead letters, ...); all components on one database must agree. */
    private String tablePrefix = "sz_";

    /** Create StrongZero's tables at start-up if they are missing (CREATE ... IF NOT EXISTS); otherwise start-up checks them and fails if they are missing. */
    private boolean createSchemaIfMissing = false;

    private final Producer producer = new Producer();

    private final Sender sender = new Sender();

    private final Consumer consumer = new Consumer();

    private final Health health = new Health();

    public String getTablePrefix() {
        return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    public boolean isCreateSchemaIfMissing() {
        return createSchemaIfMissing;
    }

    public void setCreateSchemaIfMissing(boolean createSchemaIfMissing) {
        this.createSchemaIfMissing = createSchemaIfMissing;
    }

    public Producer getProducer() {
        return producer;
    }

    public Sender getSender() {
        return sender;
    }

    public Consumer getConsumer() {
        return consumer;
    }

    public Health getHealth() {
        return health;
    }

    /** The producer side: the journal's pump and the ZeroMQ producer that serves it. Enabled by {@code strongzero.producer.name}. */
    public static class Producer {
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

    /** The sender that @Transactional code injects: writes messages into the journal in the current transaction. */
    public static class Sender {
        /** Create the sender without a producer in this application (the pump runs elsewhere: set poke-endpoints); with strongzero.producer.name it is always created. */
        private boolean enabled = false;

        /** Refuse send(...) outside a transaction on StrongZero's DataSource; false lets such a message commit on its own. */
        private boolean requireTransaction = true;

        /** The 48-bit Flake node id of the ids this sender makes; empty for the default (process id and random bits). */
        private Long nodeId;

        /** Pumps in other processes to poke after each commit (their poke-endpoint). */
        private List<String> pokeEndpoints = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isRequireTransaction() {
            return requireTransaction;
        }

        public void setRequireTransaction(boolean requireTransaction) {
            this.requireTransaction = requireTransaction;
        }

        public Long getNodeId() {
            return nodeId;
        }

        public void setNodeId(Long nodeId) {
            this.nodeId = nodeId;
        }

        public List<String> getPokeEndpoints() {
            return pokeEndpoints;
        }

        public void setPokeEndpoints(List<String> pokeEndpoints) {
            this.pokeEndpoints = pokeEndpoints;
        }
    }

    /** The consumer: pulls from producers and applies messages with @StrongZeroHandler methods. Enabled by {@code strongzero.consumer.name}. */
    public static class Consumer {
        /** The consumer's name, under which its offsets and dead letters are stored; setting it turns the consumer on. */
        private String name;

        /** The producers to pull from, by producer name. */
        private Map<String, ProducerEndpoint> producers = new LinkedHashMap<>();

        /** This consumer's CurveZMQ secret key as Z85 text, for producers given a public key; or use secret-key-file. */
        private String secretKey;

        /** This consumer's secret certificate file. */
        private Path secretKeyFile;

        /** Messages of one producer applied at once, in lanes by key (1 applies the stream in order on one thread). */
        private int concurrency = 1;

        /** Messages asked for per pull. */
        private int maxBatchMessages = 500;

        /** Bytes asked for per pull. */
        private DataSize maxBatchBytes = DataSize.ofMegabytes(4);

        /** Messages applied per transaction in AUTO mode. */
        private int transactionSize = 100;

        /** AUTO: the consumer runs the transaction (through Spring's transaction manager) and commits the offset with the handler's writes; MANUAL: each handler runs its own and calls ctx.consumed(connection). */
        private TransactionMode transactionMode = TransactionMode.AUTO;

        /** A message of a type without a handler: FAIL (retried, then dead-lettered) or SKIP. */
        private UnknownTypePolicy unknownTypePolicy = UnknownTypePolicy.FAIL;

        /** With concurrency above 1: messages pulled but not yet applied, per producer. */
        private int maxBufferedMessages = 10_000;

        /** With concurrency above 1: payload bytes pulled but not yet applied, per producer. */
        private DataSize maxBufferedBytes = DataSize.ofMegabytes(64);

        /** How long the producer may hold a pull when nothing is new. */
        private Duration longPollWait = Duration.ofSeconds(5);

        /** Extra time, beyond long-poll-wait, to wait for a reply before reconnecting. */
        private Duration requestTimeout = Duration.ofSeconds(10);

        /** ZeroMQ heartbeat interval towards the producer. */
        private Duration heartbeat = Duration.ofSeconds(5);

        /** A new connection whose handshake has not completed by then is made again. */
        private Duration handshakeTimeout = Duration.ofSeconds(2);

        /** How long stopping waits for the transactions in flight before interrupting them. */
        private Duration closeTimeout = Duration.ofSeconds(10);

        /** A transaction whose handler runs longer fails (its connection is aborted); 0 runs handlers without a timeout. */
        private Duration handlerTimeout = Duration.ofSeconds(60);

        /** Ask for the next batch while the current one is applied. */
        private boolean prefetch = true;

        /** First wait between reconnects and database retries (doubling, with jitter). */
        private Duration reconnectBackoffBase = Duration.ofMillis(100);

        /** Longest wait between reconnects and database retries. */
        private Duration reconnectBackoffCap = Duration.ofSeconds(10);

        private final Retry retry = new Retry();

        /** Retry policies of single message types, by type; each unset value is the default policy's (strongzero.consumer.retry). */
        private Map<String, RetryOverride> retryByType = new LinkedHashMap<>();

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Map<String, ProducerEndpoint> getProducers() {
            return producers;
        }

        public void setProducers(Map<String, ProducerEndpoint> producers) {
            this.producers = producers;
        }

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

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
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

        public int getTransactionSize() {
            return transactionSize;
        }

        public void setTransactionSize(int transactionSize) {
            this.transactionSize = transactionSize;
        }

        public TransactionMode getTransactionMode() {
            return transactionMode;
        }

        public void setTransactionMode(TransactionMode transactionMode) {
            this.transactionMode = transactionMode;
        }

        public UnknownTypePolicy getUnknownTypePolicy() {
            return unknownTypePolicy;
        }

        public void setUnknownTypePolicy(UnknownTypePolicy unknownTypePolicy) {
            this.unknownTypePolicy = unknownTypePolicy;
        }

        public int getMaxBufferedMessages() {
            return maxBufferedMessages;
        }

        public void setMaxBufferedMessages(int maxBufferedMessages) {
            this.maxBufferedMessages = maxBufferedMessages;
        }

        public DataSize getMaxBufferedBytes() {
            return maxBufferedBytes;
        }

        public void setMaxBufferedBytes(DataSize maxBufferedBytes) {
            this.maxBufferedBytes = maxBufferedBytes;
        }

        public Duration getLongPollWait() {
            return longPollWait;
        }

        public void setLongPollWait(Duration longPollWait) {
            this.longPollWait = longPollWait;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        public Duration getHeartbeat() {
            return heartbeat;
        }

        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }

        public Duration getHandshakeTimeout() {
            return handshakeTimeout;
        }

        public void setHandshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
        }

        public Duration getCloseTimeout() {
            return closeTimeout;
        }

        public void setCloseTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
        }

        public Duration getHandlerTimeout() {
            return handlerTimeout;
        }

        public void setHandlerTimeout(Duration handlerTimeout) {
            this.handlerTimeout = handlerTimeout;
        }

        public boolean isPrefetch() {
            return prefetch;
        }

        public void setPrefetch(boolean prefetch) {
            this.prefetch = prefetch;
        }

        public Duration getReconnectBackoffBase() {
            return reconnectBackoffBase;
        }

        public void setReconnectBackoffBase(Duration reconnectBackoffBase) {
            this.reconnectBackoffBase = reconnectBackoffBase;
        }

        public Duration getReconnectBackoffCap() {
            return reconnectBackoffCap;
        }

        public void setReconnectBackoffCap(Duration reconnectBackoffCap) {
            this.reconnectBackoffCap = reconnectBackoffCap;
        }

        public Retry getRetry() {
            return retry;
        }

        public Map<String, RetryOverride> getRetryByType() {
            return retryByType;
        }

        public void setRetryByType(Map<String, RetryOverride> retryByType) {
            this.retryByType = retryByType;
        }
    }

    /** A producer a consumer pulls from. */
    public static class ProducerEndpoint {
        /** The endpoint the producer is bound to, for example tcp://users-service:7300. */
        private String endpoint;

        /** The producer's CurveZMQ public key as Z85 text: pull over CurveZMQ (needs the consumer's secret key). */
        private String publicKey;

        /** The producer's public certificate file, instead of public-key. */
        private Path publicKeyFile;

        public String getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint;
        }

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
    }

    /** The consumer's default retry policy and what happens after the last attempt (the dead-letter policy). */
    public static class Retry {
        /** Attempts in total, including the first. */
        private int maxAttempts = 5;

        /** Wait after the first failed attempt, doubling after each. */
        private Duration backoffBase = Duration.ofMillis(100);

        /** Longest wait between attempts. */
        private Duration backoffCap = Duration.ofSeconds(30);

        /** Each wait is shortened by a random fraction of up to this much of itself (0 to 1). */
        private double jitter = 0.5;

        /** After the last attempt: DEAD_LETTER parks the message and goes on; BLOCK stops the stream (or, with concurrency, the key) until it is replayed or discarded. */
        private RetryPolicy.OnExhausted onExhausted = RetryPolicy.OnExhausted.DEAD_LETTER;

        /** Exception types (anywhere in the cause chain) that skip the retries. */
        private List<Class<? extends Throwable>> nonRetryable = new ArrayList<>();

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoffBase() {
            return backoffBase;
        }

        public void setBackoffBase(Duration backoffBase) {
            this.backoffBase = backoffBase;
        }

        public Duration getBackoffCap() {
            return backoffCap;
        }

        public void setBackoffCap(Duration backoffCap) {
            this.backoffCap = backoffCap;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }

        public RetryPolicy.OnExhausted getOnExhausted() {
            return onExhausted;
        }

        public void setOnExhausted(RetryPolicy.OnExhausted onExhausted) {
            this.onExhausted = onExhausted;
        }

        public List<Class<? extends Throwable>> getNonRetryable() {
            return nonRetryable;
        }

        public void setNonRetryable(List<Class<? extends Throwable>> nonRetryable) {
            this.nonRetryable = nonRetryable;
        }
    }

    /** A message type's retry policy: each value left unset is the default policy's. */
    public static class RetryOverride {
        /** Attempts in total, including the first. */
        private Integer maxAttempts;

        /** Wait after the first failed attempt. */
        private Duration backoffBase;

        /** Longest wait between attempts. */
        private Duration backoffCap;

        /** Random shortening of each wait (0 to 1). */
        private Double jitter;

        /** After the last attempt: DEAD_LETTER or BLOCK. */
        private RetryPolicy.OnExhausted onExhausted;

        /** Exception types that skip the retries, in addition to the default policy's. */
        private List<Class<? extends Throwable>> nonRetryable;

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoffBase() {
            return backoffBase;
        }

        public void setBackoffBase(Duration backoffBase) {
            this.backoffBase = backoffBase;
        }

        public Duration getBackoffCap() {
            return backoffCap;
        }

        public void setBackoffCap(Duration backoffCap) {
            this.backoffCap = backoffCap;
        }

        public Double getJitter() {
            return jitter;
        }

        public void setJitter(Double jitter) {
            this.jitter = jitter;
        }

        public RetryPolicy.OnExhausted getOnExhausted() {
            return onExhausted;
        }

        public void setOnExhausted(RetryPolicy.OnExhausted onExhausted) {
            this.onExhausted = onExhausted;
        }

        public List<Class<? extends Throwable>> getNonRetryable() {
            return nonRetryable;
        }

        public void setNonRetryable(List<Class<? extends Throwable>> nonRetryable) {
            this.nonRetryable = nonRetryable;
        }
    }

    /** The strongzero health contributor. */
    public static class Health {
        /** Report OUT_OF_SERVICE (not ready) while a consumer cannot reach one of its producers; liveness never depends on it. */
        private boolean readinessRequiresProducers = false;

        public boolean isReadinessRequiresProducers() {
            return readinessRequiresProducers;
        }

        public void setReadinessRequiresProducers(boolean readinessRequiresProducers) {
            this.readinessRequiresProducers = readinessRequiresProducers;
        }
    }
}
