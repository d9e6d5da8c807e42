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
import org.springframework.util.unit.DataSize;

/** The consumer: pulls from producers and applies messages with @StrongZeroHandler methods. Enabled by {@code strongzero.consumer.name}. */
public class StrongZeroConsumerProperties {
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
}
