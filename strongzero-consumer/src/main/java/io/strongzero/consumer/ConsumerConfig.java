package io.strongzero.consumer;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Protocol;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a {@link StrongZeroConsumer}: values only (names, endpoints, sizes, durations, policies, key
 * material). The collaborators (data source, handlers, codecs, listeners, clock, ticker, random source, transaction
 * runner, position store) stay on {@link StrongZeroConsumer.Builder}. Immutable and thread-safe; build with
 * {@link #builder()}, copy and change with {@link #toBuilder()}; {@link #toString()} never prints the secret key.
 *
 * <pre>{@code
 * ConsumerConfig config = ConsumerConfig.builder()
 *         .name("members").producer("users", "tcp://127.0.0.1:7300").transactionSize(50)
 *         .build();
 * StrongZeroConsumer consumer = StrongZeroConsumer.builder().config(config).dataSource(db)
 *         .handler("user.created", User.class, handler).build();
 * }</pre>
 *
 * <p>Each option is described at the setter of the same name in {@link Builder} and in
 * {@code docs/configuration.md}.
 */
public final class ConsumerConfig {

    private final String name;
    private final Dialect dialect;
    private final String tablePrefix;
    private final boolean createSchemaIfMissing;
    private final Map<String, String> producers;
    private final CurveKeyPair curveKeyPair;
    private final Map<String, CurvePublicKey> producerKeys;
    private final UnknownTypePolicy unknownTypePolicy;
    private final TransactionMode transactionMode;
    private final int maxBatchMessages;
    private final int maxBatchBytes;
    private final int transactionSize;
    private final Duration longPollWait;
    private final Duration requestTimeout;
    private final Duration heartbeat;
    private final Duration handshakeTimeout;
    private final Duration closeTimeout;
    private final RetryPolicy retryPolicy;
    private final Map<String, RetryPolicy> retryPolicyByType;
    private final Duration handlerTimeout;
    private final boolean prefetch;
    private final Duration reconnectBackoffBase;
    private final Duration reconnectBackoffCap;
    private final int concurrency;
    private final int maxBufferedMessages;
    private final long maxBufferedBytes;

    private ConsumerConfig(Setters<?> b) {
        this.name = b.name;
        this.dialect = b.dialect;
        this.tablePrefix = b.tablePrefix;
        this.createSchemaIfMissing = b.createSchemaIfMissing;
        this.producers = Collections.unmodifiableMap(new LinkedHashMap<>(b.producers));
        this.curveKeyPair = b.curveKeyPair;
        this.producerKeys = Collections.unmodifiableMap(new LinkedHashMap<>(b.producerKeys));
        this.unknownTypePolicy = b.unknownTypePolicy;
        this.transactionMode = b.transactionMode;
        this.maxBatchMessages = b.maxBatchMessages;
        this.maxBatchBytes = b.maxBatchBytes;
        this.transactionSize = b.transactionSize;
        this.longPollWait = b.longPollWait;
        this.requestTimeout = b.requestTimeout;
        this.heartbeat = b.heartbeat;
        this.handshakeTimeout = b.handshakeTimeout;
        this.closeTimeout = b.closeTimeout;
        this.retryPolicy = b.retryPolicy;
        this.retryPolicyByType = Collections.unmodifiableMap(new LinkedHashMap<>(b.retryPolicyByType));
        this.handlerTimeout = b.handlerTimeout;
        this.prefetch = b.prefetch;
        this.concurrency = b.concurrency;
        this.maxBufferedMessages = b.maxBufferedMessages;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.reconnectBackoffBase = b.reconnectBackoffBase;
        this.reconnectBackoffCap = b.reconnectBackoffCap;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().copyFrom(this);
    }

    /** The consumer's name, under which its offsets, dead letters and idempotency claims are stored. */
    public String name() {
        return name;
    }

    /** The SQL dialect, or null to detect it from the data source. */
    public Dialect dialect() {
        return dialect;
    }

    /** The prefix of the consumer's tables. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** Whether {@code start()} creates missing tables. */
    public boolean createSchemaIfMissing() {
        return createSchemaIfMissing;
    }

    /** The producers to pull from: name to endpoint, in the order they were added. */
    public Map<String, String> producers() {
        return producers;
    }

    /** This consumer's CurveZMQ key pair, or null without CURVE. */
    public CurveKeyPair curveKeyPair() {
        return curveKeyPair;
    }

    /** The public keys of the producers pulled over CurveZMQ, by producer name. */
    public Map<String, CurvePublicKey> producerKeys() {
        return producerKeys;
    }

    /** What happens to messages of a type without a handler. */
    public UnknownTypePolicy unknownTypePolicy() {
        return unknownTypePolicy;
    }

    /** Who owns the transaction. */
    public TransactionMode transactionMode() {
        return transactionMode;
    }

    /** Messages asked for per pull. */
    public int maxBatchMessages() {
        return maxBatchMessages;
    }

    /** Bytes asked for per pull. */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** Messages applied per transaction in AUTO mode. */
    public int transactionSize() {
        return transactionSize;
    }

    /**
     * How many of a producer's messages are applied at once, each in its own transaction: 1 (the default) applies
     * the stream in order on one thread; more runs that many lanes, a key's messages always in the same lane and in
     * order (see {@code docs/consumer.md}, "Parallel apply").
     */
    public int concurrency() {
        return concurrency;
    }

    /** With {@code concurrency > 1}: the most messages pulled but not yet applied, per producer. */
    public int maxBufferedMessages() {
        return maxBufferedMessages;
    }

    /** With {@code concurrency > 1}: the most payload bytes pulled but not yet applied, per producer. */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /** How long the producer may hold a pull when nothing is new. */
    public Duration longPollWait() {
        return longPollWait;
    }

    /** Extra time, beyond the long-poll wait, to wait for a reply. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The ZeroMQ heartbeat interval. */
    public Duration heartbeat() {
        return heartbeat;
    }

    /** How long a new connection may take to complete its handshake. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long {@code close()} waits for the transactions in flight. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** The retry policy of types without one of their own. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The retry policies set per message type. */
    public Map<String, RetryPolicy> retryPolicyByType() {
        return retryPolicyByType;
    }

    /** The policy that applies to messages of {@code type}: its own, else {@link #retryPolicy()}. */
    public RetryPolicy retryPolicyFor(String type) {
        RetryPolicy p = retryPolicyByType.get(type);
        return p != null ? p : retryPolicy;
    }

    /** The handler timeout per message, or null for none. */
    public Duration handlerTimeout() {
        return handlerTimeout;
    }

    /** Whether the next batch is asked for while the current one is applied. */
    public boolean prefetch() {
        return prefetch;
    }

    /** The first step of the reconnect and database-retry backoff. */
    public Duration reconnectBackoffBase() {
        return reconnectBackoffBase;
    }

    /** The longest step of the reconnect and database-retry backoff. */
    public Duration reconnectBackoffCap() {
        return reconnectBackoffCap;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ConsumerConfig c && Objects.equals(name, c.name) && Objects.equals(dialect, c.dialect)
                && tablePrefix.equals(c.tablePrefix) && createSchemaIfMissing == c.createSchemaIfMissing
                && producers.equals(c.producers) && Objects.equals(curveKeyPair, c.curveKeyPair)
                && producerKeys.equals(c.producerKeys) && unknownTypePolicy == c.unknownTypePolicy
                && transactionMode == c.transactionMode && maxBatchMessages == c.maxBatchMessages
                && maxBatchBytes == c.maxBatchBytes && transactionSize == c.transactionSize
                && longPollWait.equals(c.longPollWait) && requestTimeout.equals(c.requestTimeout)
                && heartbeat.equals(c.heartbeat) && handshakeTimeout.equals(c.handshakeTimeout)
                && closeTimeout.equals(c.closeTimeout) && retryPolicy.equals(c.retryPolicy)
                && retryPolicyByType.equals(c.retryPolicyByType) && Objects.equals(handlerTimeout, c.handlerTimeout)
                && prefetch == c.prefetch && reconnectBackoffBase.equals(c.reconnectBackoffBase)
                && reconnectBackoffCap.equals(c.reconnectBackoffCap) && concurrency == c.concurrency
                && maxBufferedMessages == c.maxBufferedMessages && maxBufferedBytes == c.maxBufferedBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dialect, tablePrefix, createSchemaIfMissing, producers, curveKeyPair, producerKeys,
                unknownTypePolicy, transactionMode, maxBatchMessages, maxBatchBytes, transactionSize, longPollWait,
                requestTimeout, heartbeat, handshakeTimeout, closeTimeout, retryPolicy, retryPolicyByType, handlerTimeout,
                prefetch, reconnectBackoffBase, reconnectBackoffCap, concurrency, maxBufferedMessages, maxBufferedBytes);
    }

    /** Every option; the key pair as its public key and {@code <secret>}. */
    @Override
    public String toString() {
        return "ConsumerConfig[name=" + name + ", dialect=" + (dialect == null ? "detected" : dialect)
                + ", tablePrefix=" + tablePrefix + ", createSchemaIfMissing=" + createSchemaIfMissing
                + ", producers=" + producers
                + ", curveKeyPair=" + (curveKeyPair == null ? "none" : curveKeyPair.publicKey() + "/<secret>")
                + ", producerKeys=" + producerKeys + ", unknownTypePolicy=" + unknownTypePolicy
                + ", transactionMode=" + transactionMode + ", maxBatchMessages=" + maxBatchMessages
                + ", maxBatchBytes=" + maxBatchBytes + ", transactionSize=" + transactionSize
                + ", longPollWait=" + longPollWait + ", requestTimeout=" + requestTimeout + ", heartbeat=" + heartbeat
                + ", handshakeTimeout=" + handshakeTimeout + ", closeTimeout=" + closeTimeout
                + ", retryPolicy=" + retryPolicy + ", retryPolicyByType=" + retryPolicyByType
                + ", handlerTimeout=" + handlerTimeout + ", prefetch=" + prefetch
                + ", reconnectBackoff=" + reconnectBackoffBase + ".." + reconnectBackoffCap
                + ", concurrency=" + concurrency + ", maxBufferedMessages=" + maxBufferedMessages
                + ", maxBufferedBytes=" + maxBufferedBytes + "]";
    }

    /**
     * The setters of every option, validating each value at once ("{@code <option> must <rule> but was <value>}"),
     * shared by {@link Builder} and {@link StrongZeroConsumer.Builder}. Not thread-safe.
     *
     * @param <B> the builder type the setters return
     */
    public abstract static class Setters<B extends Setters<B>> {
        private String name;
        private Dialect dialect;
        private String tablePrefix = Schema.DEFAULT_PREFIX;
        private boolean createSchemaIfMissing;
        private final Map<String, String> producers = new LinkedHashMap<>();
        private CurveKeyPair curveKeyPair;
        private final Map<String, CurvePublicKey> producerKeys = new LinkedHashMap<>();
        private UnknownTypePolicy unknownTypePolicy = UnknownTypePolicy.FAIL;
        private TransactionMode transactionMode = TransactionMode.AUTO;
        private int maxBatchMessages = 500;
        private int maxBatchBytes = 4 * 1024 * 1024;
        private int transactionSize = 100;
        private Duration longPollWait = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration heartbeat = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofSeconds(2);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private final Map<String, RetryPolicy> retryPolicyByType = new LinkedHashMap<>();
        private Duration handlerTimeout = Duration.ofSeconds(60);
        private boolean prefetch = true;
        private Duration reconnectBackoffBase = Duration.ofMillis(100);
        private Duration reconnectBackoffCap = Duration.ofSeconds(10);
        private int concurrency = 1;
        private int maxBufferedMessages = 10_000;
        private long maxBufferedBytes = 64L * 1024 * 1024;

        Setters() {
        }

        /** This builder. */
        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }

        /** Takes every value of {@code c}. */
        final B copyFrom(ConsumerConfig c) {
            name = c.name;
            dialect = c.dialect;
            tablePrefix = c.tablePrefix;
            createSchemaIfMissing = c.createSchemaIfMissing;
            producers.clear();
            producers.putAll(c.producers);
            curveKeyPair = c.curveKeyPair;
            producerKeys.clear();
            producerKeys.putAll(c.producerKeys);
            unknownTypePolicy = c.unknownTypePolicy;
            transactionMode = c.transactionMode;
            maxBatchMessages = c.maxBatchMessages;
            maxBatchBytes = c.maxBatchBytes;
            transactionSize = c.transactionSize;
            longPollWait = c.longPollWait;
            requestTimeout = c.requestTimeout;
            heartbeat = c.heartbeat;
            handshakeTimeout = c.handshakeTimeout;
            closeTimeout = c.closeTimeout;
            retryPolicy = c.retryPolicy;
            retryPolicyByType.clear();
            retryPolicyByType.putAll(c.retryPolicyByType);
            handlerTimeout = c.handlerTimeout;
            prefetch = c.prefetch;
            reconnectBackoffBase = c.reconnectBackoffBase;
            reconnectBackoffCap = c.reconnectBackoffCap;
            concurrency = c.concurrency;
            maxBufferedMessages = c.maxBufferedMessages;
            maxBufferedBytes = c.maxBufferedBytes;
            return self();
        }

        /** The consumer's name: {@link Protocol#nameRule()}. Required. Its offsets are stored under it. */
        public B name(String name) {
            this.name = Checks.name("name", name);
            return self();
        }

        /** The SQL dialect; detected when not set. */
        public B dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return self();
        }

        /** Table prefix, default {@code sz_}. */
        public B tablePrefix(String prefix) {
            this.tablePrefix = Schema.validatePrefix(prefix);
            return self();
        }

        /** Create the consumer tables at start if missing. Default false. */
        public B createSchemaIfMissing(boolean create) {
            this.createSchemaIfMissing = create;
            return self();
        }

        /** A producer to pull from, by its name and endpoint (for example {@code tcp://10.0.0.5:7300}). At least one. */
        public B producer(String producerName, String endpoint) {
            Checks.name("producer name", producerName);
            Checks.endpoint("endpoint of producer " + producerName, endpoint);
            Checks.valid(!producers.containsKey(producerName),
                    "producer '" + producerName + "' is already configured");
            producers.put(producerName, endpoint);
            return self();
        }

        /**
         * This consumer's CurveZMQ key pair, presented to the producers configured with {@link #producerKey}; their
         * allow-lists must hold its public key. See {@code docs/security.md}.
         */
        public B curveKeyPair(CurveKeyPair keyPair) {
            this.curveKeyPair = Objects.requireNonNull(keyPair, "keyPair");
            return self();
        }

        /**
         * Pull from this producer over CurveZMQ (encrypted, authenticated both ways): the consumer only talks to a
         * producer holding the secret key of {@code producerKey}. Needs {@link #curveKeyPair}. Producers without a
         * key are pulled in plaintext.
         */
        public B producerKey(String producerName, CurvePublicKey producerKey) {
            Objects.requireNonNull(producerKey, "producerKey");
            Checks.name("producer name", producerName);
            Checks.valid(!producerKeys.containsKey(producerName),
                    "a producerKey for producer '" + producerName + "' is already set");
            producerKeys.put(producerName, producerKey);
            return self();
        }

        /** What to do with messages of a type without a handler. Default {@link UnknownTypePolicy#FAIL}. */
        public B unknownTypePolicy(UnknownTypePolicy policy) {
            this.unknownTypePolicy = Objects.requireNonNull(policy, "policy");
            return self();
        }

        /** Who owns the transaction. Default {@link TransactionMode#AUTO}. */
        public B transactionMode(TransactionMode mode) {
            this.transactionMode = Objects.requireNonNull(mode, "mode");
            return self();
        }

        /** Messages asked for per pull: 1 to 10000, default 500. */
        public B maxBatchMessages(int max) {
            this.maxBatchMessages = Checks.between("maxBatchMessages", max, 1, Protocol.MAX_MESSAGES_LIMIT);
            return self();
        }

        /** Bytes asked for per pull: 1 KiB to 64 MiB, default 4 MiB. */
        public B maxBatchBytes(int max) {
            this.maxBatchBytes = Checks.between("maxBatchBytes", max, 1024, Protocol.MAX_BYTES_LIMIT);
            return self();
        }

        /** Messages applied per transaction in AUTO mode: 1 to 10000, default 100; not more than maxBatchMessages. */
        public B transactionSize(int size) {
            this.transactionSize = Checks.between("transactionSize", size, 1, 10_000);
            return self();
        }

        /**
         * How many of each producer's messages are applied at once: 1 to 256, default 1 (the stream in order on one
         * thread, as before). With more, a message's lane is a stable hash of its key modulo {@code concurrency};
         * each lane applies in order in its own transactions and records its own position, so a key's messages stay
         * in order while other keys go on; messages without a key share one lane. The consumer's connection pool
         * needs at least {@code concurrency + 1} connections per producer stream, and the default position store.
         * See {@code docs/consumer.md}, "Parallel apply".
         */
        public B concurrency(int lanes) {
            this.concurrency = Checks.between("concurrency", lanes, 1, 256);
            return self();
        }

        /**
         * With {@code concurrency > 1}: the most messages pulled but not yet applied, per producer: 1 to 1,000,000,
         * default 10,000. When it is reached the stream pulls no more until lanes catch up (so a slow key can delay
         * the others only then).
         */
        public B maxBufferedMessages(int max) {
            this.maxBufferedMessages = Checks.between("maxBufferedMessages", max, 1, 1_000_000);
            return self();
        }

        /**
         * With {@code concurrency > 1}: the most payload bytes pulled but not yet applied, per producer: 64 KiB to
         * 4 GiB, default 64 MiB (one message larger than what is left is still taken when nothing else is buffered).
         */
        public B maxBufferedBytes(long max) {
            this.maxBufferedBytes = Checks.between("maxBufferedBytes", max, 64L * 1024, 4L * 1024 * 1024 * 1024);
            return self();
        }

        /** How long the producer may hold a pull when nothing is new: 0 to 60 s, default 5 s. */
        public B longPollWait(Duration wait) {
            this.longPollWait = Checks.require(wait != null && !wait.isNegative()
                    && wait.toMillis() <= Protocol.MAX_WAIT_LIMIT_MS, "longPollWait", wait, "be between 0 and 60 s");
            return self();
        }

        /** Extra time, beyond the long-poll wait, to wait for a reply before reconnecting: 100 ms to 5 min, default 10 s. */
        public B requestTimeout(Duration timeout) {
            this.requestTimeout = Checks.require(timeout != null && timeout.toMillis() >= 100
                    && timeout.compareTo(Duration.ofMinutes(5)) <= 0, "requestTimeout", timeout,
                    "be between 100 ms and 5 min");
            return self();
        }

        /** ZeroMQ heartbeat interval (timeout three intervals): 100 ms to 60 s, default 5 s. */
        public B heartbeat(Duration interval) {
            this.heartbeat = Checks.between("heartbeat", interval, 100, 60_000, "100 ms", "60 s");
            return self();
        }

        /**
         * How long a new connection to a producer may take to complete its ZeroMQ handshake (CURVE included) before
         * it is dropped and made again: 100 ms to 60 s, default 2 s. It also bounds a jeromq 0.6.0 race that leaves
         * a few percent of fresh connections silent (jeromq PR 1022); raise it only for links whose round trip is
         * several hundred milliseconds.
         */
        public B handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Checks.between("handshakeTimeout", timeout, 100, 60_000, "100 ms", "60 s");
            return self();
        }

        /** How long {@code close()} waits for the transaction in flight: 0 to 10 min, default 10 s. */
        public B closeTimeout(Duration timeout) {
            this.closeTimeout = Checks.require(timeout != null && !timeout.isNegative()
                    && timeout.compareTo(Duration.ofMinutes(10)) <= 0, "closeTimeout", timeout, "be between 0 and 10 min");
            return self();
        }

        /** How failing messages are retried, and what happens after the last attempt. Default {@link RetryPolicy#defaults()}. */
        public B retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return self();
        }

        /** A retry policy for one message type, overriding {@link #retryPolicy(RetryPolicy)}. */
        public B retryPolicy(String type, RetryPolicy policy) {
            Checks.require(type != null && !type.isEmpty(), "retryPolicy type", type == null ? null : "''",
                    "not be empty");
            retryPolicyByType.put(type, Objects.requireNonNull(policy, "policy"));
            return self();
        }

        /**
         * A handler call (or a transaction of several) that runs longer than this per message is treated as failed:
         * its connection is aborted so its transaction can never commit, its thread is interrupted and abandoned,
         * and the message follows its retry policy. 10 ms to 1 h, default 60 s; {@code null} turns timeouts off
         * (handlers then run on the consumer's own thread, saving a thread hop).
         */
        public B handlerTimeout(Duration timeout) {
            this.handlerTimeout = Checks.require(timeout == null || timeout.toMillis() >= 10
                    && timeout.compareTo(Duration.ofHours(1)) <= 0, "handlerTimeout", timeout,
                    "be between 10 ms and 1 h (or null for none)");
            return self();
        }

        /** Ask for the next batch while the current one is applied (at most one batch ahead). Default true. */
        public B prefetch(boolean prefetch) {
            this.prefetch = prefetch;
            return self();
        }

        /**
         * Backoff between reconnects, protocol errors and database retries: exponential with equal jitter, from
         * {@code base} doubling up to {@code cap}; {@code 1 ms <= base <= cap <= 24 h}. Default 100 ms to 10 s.
         */
        public B reconnectBackoff(Duration base, Duration cap) {
            Checks.backoff("reconnectBackoff", base, cap);
            this.reconnectBackoffBase = base;
            this.reconnectBackoffCap = cap;
            return self();
        }

        /** The configuration; refuses a missing name or producer and conflicting settings. */
        final ConsumerConfig buildConfig() {
            Checks.required("name", name, "the consumer's name, under which offsets are stored");
            Checks.valid(!producers.isEmpty(),
                    "at least one producer(name, endpoint) is required");
            for (String p : producerKeys.keySet()) {
                Checks.valid(producers.containsKey(p), "producerKey is set for producer '" + p + "' but no producer('"
                        + p + "', endpoint) is configured; producers are " + producers.keySet());
            }
            Checks.valid(producerKeys.isEmpty() || curveKeyPair != null,
                    "producerKey is set for " + producerKeys.keySet() + " but curveKeyPair "
                    + "is not: CURVE needs this consumer's key pair too");
            Checks.valid(curveKeyPair == null || !producerKeys.isEmpty(), "curveKeyPair is set but no producerKey(...): "
                    + "every producer would be pulled in plaintext; set the producers' public keys");
            Checks.valid(transactionSize <= maxBatchMessages,
                    "transactionSize (" + transactionSize + ") cannot exceed maxBatchMessages ("
                    + maxBatchMessages + ")");
            return new ConsumerConfig(this);
        }
    }

    /** Builds a {@link ConsumerConfig}; each setter validates at once, {@link #build()} checks combinations. Not thread-safe. */
    public static final class Builder extends Setters<Builder> {
        private Builder() {
        }

        /**
         * The configuration.
         *
         * @throws StrongZeroConfigException if the name or the producers are missing, or settings conflict
         */
        public ConsumerConfig build() {
            return buildConfig();
        }
    }
}
