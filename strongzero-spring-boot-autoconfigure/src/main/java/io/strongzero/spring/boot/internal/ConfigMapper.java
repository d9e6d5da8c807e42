package io.strongzero.spring.boot.internal;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.producer.ProducerConfig;
import io.strongzero.producer.ProducerSecurity;
import io.strongzero.producer.SenderConfig;
import io.strongzero.pump.PumpConfig;
import io.strongzero.spring.boot.StrongZeroConsumerProperties;
import io.strongzero.spring.boot.StrongZeroProducerProperties;
import io.strongzero.spring.boot.StrongZeroProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.util.unit.DataSize;

/**
 * Turns the {@code strongzero.*} properties into the core's configuration objects. Every value goes through the
 * core's setter, which checks it; a refused value fails with the core's message, prefixed with the property's name.
 * Internal API.
 */
public final class ConfigMapper {

    private ConfigMapper() {
    }

    /** Runs one setter; a refusal names the property. */
    private static void set(String property, Runnable setter) {
        try {
            setter.run();
        } catch (StrongZeroConfigException | IllegalArgumentException | NullPointerException e) {
            throw new StrongZeroConfigException(property + ": " + e.getMessage());
        }
    }

    private static int bytes(String property, DataSize size) {
        long b = size.toBytes();
        if (b > Integer.MAX_VALUE) {
            throw new StrongZeroConfigException(property + ": " + size + " is too large (at most " + Integer.MAX_VALUE
                    + " bytes)");
        }
        return (int) b;
    }

    /** The pump's settings. */
    public static PumpConfig pump(StrongZeroProperties p) {
        StrongZeroProducerProperties.Pump s = p.getProducer().getPump();
        PumpConfig.Builder b = PumpConfig.builder();
        String at = "strongzero.producer.";
        set(at + "name", () -> b.name(p.getProducer().getName()));
        set("strongzero.table-prefix", () -> b.tablePrefix(p.getTablePrefix()));
        b.createSchemaIfMissing(p.isCreateSchemaIfMissing());
        at = "strongzero.producer.pump.";
        set(at + "poll-interval", () -> b.pollInterval(s.getPollInterval()));
        set(at + "batch-size", () -> b.batchSize(s.getBatchSize()));
        set(at + "vacuum-every", () -> b.vacuumEvery(s.getVacuumEvery()));
        if (s.getPokeEndpoint() != null) {
            set(at + "poke-endpoint", () -> b.pokeEndpoint(s.getPokeEndpoint()));
        }
        b.headNotifications(s.isHeadNotifications());
        if (s.getOwner() != null && !s.getOwner().isEmpty()) {
            set(at + "owner", () -> b.owner(s.getOwner()));
        }
        return b.build();
    }

    /** The producer's settings (without its pump: the auto-configuration gives it the pump it built). */
    public static ProducerConfig producer(StrongZeroProperties p) {
        StrongZeroProducerProperties s = p.getProducer();
        ProducerConfig.Builder b = ProducerConfig.builder();
        String at = "strongzero.producer.";
        if (s.getBind().isEmpty()) {
            throw new StrongZeroConfigException(at + "bind: the producer needs at least one endpoint to bind for "
                    + "consumers, for example strongzero.producer.bind=tcp://*:7300");
        }
        for (int i = 0; i < s.getBind().size(); i++) {
            String endpoint = s.getBind().get(i);
            set(at + "bind[" + i + "]", () -> b.bind(endpoint));
        }
        set(at + "readers", () -> b.readers(s.getReaders()));
        set(at + "max-batch-messages", () -> b.maxBatchMessages(s.getMaxBatchMessages()));
        set(at + "max-batch-bytes", () -> b.maxBatchBytes(bytes(at + "max-batch-bytes", s.getMaxBatchBytes())));
        set(at + "max-parked", () -> b.maxParked(s.getMaxParked()));
        set(at + "max-queued-reads", () -> b.maxQueuedReads(s.getMaxQueuedReads()));
        set(at + "heartbeat", () -> b.heartbeat(s.getHeartbeat()));
        set(at + "max-inflight-pulls", () -> b.maxInflightPulls(s.getMaxInflightPulls()));
        set(at + "max-inflight-bytes", () -> b.maxInflightBytes(s.getMaxInflightBytes().toBytes()));
        set(at + "tail-cache-messages", () -> b.tailCache(s.getTailCacheMessages(), s.getTailCacheBytes().toBytes()));
        set(at + "progress-interval", () -> b.progressInterval(s.getProgressInterval()));
        set(at + "max-unregistered-consumers", () -> b.maxUnregisteredConsumers(s.getMaxUnregisteredConsumers()));
        set(at + "consumer-idle-after", () -> b.consumerIdleAfter(s.getConsumerIdleAfter()));
        StrongZeroProducerProperties.Retention r = s.getRetention();
        if (r.getMin() != null) {
            set(at + "retention.min", () -> b.retention(r.getMin(), r.getMax()));
        } else if (r.getMax() != null) {
            throw new StrongZeroConfigException(at + "retention.max: set retention.min as well (retention is off "
                    + "without it)");
        }
        set(at + "retention.interval", () -> b.retentionSchedule(r.getInterval(), r.getChunk()));
        ProducerSecurity security = security(s.getSecurity());
        if (security != null) {
            b.security(security);
        }
        return b.build();
    }

    private static ProducerSecurity security(StrongZeroProducerProperties.ProducerSecurity s) {
        String at = "strongzero.producer.security.";
        CurveKeyPair keys = keyPair(at, s.getSecretKey(), s.getSecretKeyFile());
        if (keys == null) {
            if (!s.getAllow().isEmpty()) {
                throw new StrongZeroConfigException(at + "allow: consumer keys are listed but the producer has no "
                        + "secret key: set " + at + "secret-key or " + at + "secret-key-file");
            }
            return null;
        }
        ProducerSecurity.Builder b = ProducerSecurity.builder().keyPair(keys);
        for (int i = 0; i < s.getAllow().size(); i++) {
            StrongZeroProducerProperties.AllowedConsumer a = s.getAllow().get(i);
            String here = at + "allow[" + i + "].";
            CurvePublicKey key = publicKey(here, a.getPublicKey(), a.getPublicKeyFile());
            if (key == null) {
                throw new StrongZeroConfigException(here + "public-key: give the consumer's public key (Z85) or "
                        + here + "public-key-file");
            }
            set(here + "types", () -> {
                if (a.getTypes().isEmpty()) {
                    b.allow(key);
                } else {
                    b.allow(key, a.getTypes());
                }
            });
            if (!a.getConsumerNames().isEmpty()) {
                set(here + "consumer-names", () -> b.consumerNames(key, a.getConsumerNames()));
            }
        }
        try {
            return b.build();
        } catch (StrongZeroConfigException e) {
            throw new StrongZeroConfigException(at + "allow: " + e.getMessage());
        }
    }

    private static CurveKeyPair keyPair(String at, String z85, Path file) {
        return key(at + "secret-key", z85, file, CurveKeyPair::fromSecretZ85, CurveKeyPair::load);
    }

    private static CurvePublicKey publicKey(String at, String z85, Path file) {
        return key(at + "public-key", z85, file, CurvePublicKey::fromZ85, CurvePublicKey::load);
    }

    /** A key given as Z85 text ({@code property}) or as a certificate file ({@code property-file}); null if neither. */
    private static <K> K key(String property, String z85, Path file, Function<String, K> fromZ85, Function<Path, K> load) {
        boolean text = z85 != null && !z85.isEmpty();
        if (text && file != null) {
            throw new StrongZeroConfigException(property + " and " + property + "-file are both set: keep one");
        }
        try {
            return text ? fromZ85.apply(z85.strip()) : file != null ? load.apply(file) : null;
        } catch (RuntimeException e) {
            throw new StrongZeroConfigException((text ? property : property + "-file") + ": " + e.getMessage());
        }
    }

    /** The sender's settings. */
    public static SenderConfig sender(StrongZeroProperties p) {
        StrongZeroProperties.Sender s = p.getSender();
        SenderConfig.Builder b = SenderConfig.builder();
        String at = "strongzero.sender.";
        set("strongzero.table-prefix", () -> b.tablePrefix(p.getTablePrefix()));
        if (s.getNodeId() != null) {
            set(at + "node-id", () -> b.nodeId(s.getNodeId()));
        }
        set(at + "poke-endpoints", () -> b.pokeEndpoints(s.getPokeEndpoints()));
        b.requireTransaction(s.isRequireTransaction());
        return b.build();
    }

    /** The consumer's settings. */
    public static ConsumerConfig consumer(StrongZeroProperties p) {
        StrongZeroConsumerProperties s = p.getConsumer();
        ConsumerConfig.Builder b = ConsumerConfig.builder();
        String at = "strongzero.consumer.";
        set(at + "name", () -> b.name(s.getName()));
        set("strongzero.table-prefix", () -> b.tablePrefix(p.getTablePrefix()));
        b.createSchemaIfMissing(p.isCreateSchemaIfMissing());
        if (s.getProducers().isEmpty()) {
            throw new StrongZeroConfigException(at + "producers: the consumer needs at least one producer to pull "
                    + "from, for example strongzero.consumer.producers.users.endpoint=tcp://users-service:7300");
        }
        CurveKeyPair keys = keyPair(at, s.getSecretKey(), s.getSecretKeyFile());
        if (keys != null) {
            b.curveKeyPair(keys);
        }
        for (Map.Entry<String, StrongZeroConsumerProperties.ProducerEndpoint> e : s.getProducers().entrySet()) {
            String here = at + "producers." + e.getKey() + ".";
            StrongZeroConsumerProperties.ProducerEndpoint ep = e.getValue();
            if (ep.getEndpoint() == null || ep.getEndpoint().isEmpty()) {
                throw new StrongZeroConfigException(here + "endpoint: give the endpoint producer " + e.getKey()
                        + " is bound to, for example tcp://127.0.0.1:7300");
            }
            set(here + "endpoint", () -> b.producer(e.getKey(), ep.getEndpoint()));
            CurvePublicKey key = publicKey(here, ep.getPublicKey(), ep.getPublicKeyFile());
            if (key != null) {
                if (keys == null) {
                    throw new StrongZeroConfigException(here + "public-key: pulling over CurveZMQ needs this "
                            + "consumer's key pair: set " + at + "secret-key or " + at + "secret-key-file");
                }
                set(here + "public-key", () -> b.producerKey(e.getKey(), key));
            }
        }
        set(at + "concurrency", () -> b.concurrency(s.getConcurrency()));
        set(at + "max-batch-messages", () -> b.maxBatchMessages(s.getMaxBatchMessages()));
        set(at + "max-batch-bytes", () -> b.maxBatchBytes(bytes(at + "max-batch-bytes", s.getMaxBatchBytes())));
        set(at + "transaction-size", () -> b.transactionSize(s.getTransactionSize()));
        set(at + "transaction-mode", () -> b.transactionMode(s.getTransactionMode()));
        set(at + "unknown-type-policy", () -> b.unknownTypePolicy(s.getUnknownTypePolicy()));
        set(at + "max-buffered-messages", () -> b.maxBufferedMessages(s.getMaxBufferedMessages()));
        set(at + "max-buffered-bytes", () -> b.maxBufferedBytes(s.getMaxBufferedBytes().toBytes()));
        set(at + "long-poll-wait", () -> b.longPollWait(s.getLongPollWait()));
        set(at + "request-timeout", () -> b.requestTimeout(s.getRequestTimeout()));
        set(at + "heartbeat", () -> b.heartbeat(s.getHeartbeat()));
        set(at + "handshake-timeout", () -> b.handshakeTimeout(s.getHandshakeTimeout()));
        set(at + "close-timeout", () -> b.closeTimeout(s.getCloseTimeout()));
        Duration timeout = s.getHandlerTimeout();
        set(at + "handler-timeout", () -> b.handlerTimeout(timeout == null || timeout.isZero() ? null : timeout));
        b.prefetch(s.isPrefetch());
        set(at + "reconnect-backoff-base", () -> b.reconnectBackoff(s.getReconnectBackoffBase(), s.getReconnectBackoffCap()));
        RetryPolicy defaults = retry(at + "retry.", s.getRetry());
        b.retryPolicy(defaults);
        for (Map.Entry<String, StrongZeroConsumerProperties.RetryOverride> e : s.getRetryByType().entrySet()) {
            String here = at + "retry-by-type." + e.getKey() + ".";
            RetryPolicy policy = override(here, defaults, e.getValue());
            set(here.substring(0, here.length() - 1), () -> b.retryPolicy(e.getKey(), policy));
        }
        try {
            return b.build();
        } catch (StrongZeroConfigException e) {
            throw new StrongZeroConfigException("strongzero.consumer: " + e.getMessage());
        }
    }

    private static RetryPolicy retry(String at, StrongZeroConsumerProperties.Retry r) {
        RetryPolicy.Builder b = RetryPolicy.builder();
        set(at + "max-attempts", () -> b.maxAttempts(r.getMaxAttempts()));
        set(at + "backoff-base", () -> b.backoff(r.getBackoffBase(), r.getBackoffCap()));
        set(at + "jitter", () -> b.jitter(r.getJitter()));
        set(at + "on-exhausted", () -> b.onExhausted(r.getOnExhausted()));
        nonRetryable(at, b, r.getNonRetryable());
        return b.build();
    }

    private static RetryPolicy override(String at, RetryPolicy defaults, StrongZeroConsumerProperties.RetryOverride r) {
        RetryPolicy.Builder b = defaults.toBuilder();
        if (r.getMaxAttempts() != null) {
            set(at + "max-attempts", () -> b.maxAttempts(r.getMaxAttempts()));
        }
        if (r.getBackoffBase() != null || r.getBackoffCap() != null) {
            Duration base = r.getBackoffBase() != null ? r.getBackoffBase() : defaults.backoffBase();
            Duration cap = r.getBackoffCap() != null ? r.getBackoffCap() : defaults.backoffCap();
            set(at + "backoff-base", () -> b.backoff(base, cap));
        }
        if (r.getJitter() != null) {
            set(at + "jitter", () -> b.jitter(r.getJitter()));
        }
        if (r.getOnExhausted() != null) {
            set(at + "on-exhausted", () -> b.onExhausted(r.getOnExhausted()));
        }
        if (r.getNonRetryable() != null) {
            nonRetryable(at, b, r.getNonRetryable());
        }
        return b.build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void nonRetryable(String at, RetryPolicy.Builder b, List<Class<? extends Throwable>> types) {
        set(at + "non-retryable", () -> b.nonRetryable(types.toArray(new Class[0])));
    }
}
