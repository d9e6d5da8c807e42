package io.strongzero.producer;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.internal.Checks;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Encryption, authentication and authorization of a producer's endpoints with CurveZMQ: the
 * producer's long-term key pair, the public keys of the consumers allowed to connect, and, per key,
 * optionally the message types that key may read.
 *
 * <pre>{@code
 * ProducerSecurity security = ProducerSecurity.builder()
 *         .keyPair(CurveKeyPair.load(Path.of("/etc/strongzero/users.key_secret")))
 *         .allow(CurvePublicKey.load(Path.of("/etc/strongzero/clients/members.key")))          // every type
 *         .allow(CurvePublicKey.load(Path.of("/etc/strongzero/clients/reports.key")), Set.of("user.created"))
 *         .consumerNames(CurvePublicKey.load(Path.of("/etc/strongzero/clients/members.key")), Set.of("members"))
 *         .build();
 * StrongZeroProducer.builder().dataSource(ds).pump(pumpConfig).bind("tcp://0.0.0.0:7300").security(security)...
 * }</pre>
 *
 * <p>A connection whose key is not on the allow-list is refused during the handshake, before it can
 * send a request. A consumer restricted to some types still receives every position of the stream:
 * messages of other types arrive as <em>redacted entries</em> (position and id, no type, no payload),
 * which the consumer skips, so it never stalls or sees a gap (see {@code docs/security.md}).
 *
 * <p>A key may also be bound to consumer names ({@link Builder#consumerNames}): a pull that names another
 * consumer is refused with {@code NOT_AUTHORIZED}, so one service's key cannot report (and move retention
 * for) another service's progress. Keys without such a binding may pull under any name.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows the public keys only.
 */
public final class ProducerSecurity {

    private final CurveKeyPair keyPair;
    private final Map<CurvePublicKey, Optional<Set<String>>> allowed;
    private final Map<CurvePublicKey, Set<String>> names;

    private ProducerSecurity(Builder b) {
        this.keyPair = b.keyPair;
        Map<CurvePublicKey, Optional<Set<String>>> copy = new LinkedHashMap<>();
        b.allowed.forEach((k, v) -> copy.put(k, v.map(Set::copyOf)));
        this.allowed = Collections.unmodifiableMap(copy);
        Map<CurvePublicKey, Set<String>> namesCopy = new LinkedHashMap<>();
        b.names.forEach((k, v) -> namesCopy.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        this.names = Collections.unmodifiableMap(namesCopy);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.keyPair = keyPair;
        b.allowed.putAll(allowed);
        names.forEach((k, v) -> b.names.put(k, new LinkedHashSet<>(v)));
        return b;
    }

    /** The producer's key pair. */
    public CurveKeyPair keyPair() {
        return keyPair;
    }

    /** The public keys allowed to connect, in the order they were added. */
    public Set<CurvePublicKey> allowedKeys() {
        return allowed.keySet();
    }

    /**
     * The message types a key may read, or empty if it may read every type.
     *
     * @throws IllegalArgumentException if the key is not on the allow-list
     */
    public Optional<Set<String>> allowedTypes(CurvePublicKey key) {
        Optional<Set<String>> types = allowed.get(key);
        if (types == null) {
            throw new IllegalArgumentException("key " + key.z85() + " is not on the allow-list");
        }
        return types;
    }

    /**
     * The consumer names a key may pull as, or empty if it may use any name.
     *
     * @throws IllegalArgumentException if the key is not on the allow-list
     */
    public Optional<Set<String>> allowedConsumerNames(CurvePublicKey key) {
        allowedTypes(key);
        return Optional.ofNullable(names.get(key));
    }

    @Override
    public String toString() {
        long restricted = allowed.values().stream().filter(Optional::isPresent).count();
        return "ProducerSecurity[CURVE, public=" + keyPair.publicKey().z85() + ", " + allowed.size() + " allowed keys"
                + (restricted > 0 ? " (" + restricted + " restricted to some types)" : "")
                + (names.isEmpty() ? "" : " (" + names.size() + " bound to consumer names)") + "]";
    }

    /** Builds a {@link ProducerSecurity}. Setters validate at once. Not thread-safe. */
    public static final class Builder {
        private CurveKeyPair keyPair;
        private final Map<CurvePublicKey, Optional<Set<String>>> allowed = new LinkedHashMap<>();
        private final Map<CurvePublicKey, Set<String>> names = new LinkedHashMap<>();

        private Builder() {
        }

        /** The producer's long-term key pair. Required. Consumers configure its public key. */
        public Builder keyPair(CurveKeyPair keyPair) {
            this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
            return this;
        }

        /** Allows a consumer key to connect and read every message type. */
        public Builder allow(CurvePublicKey consumerKey) {
            return put(consumerKey, Optional.empty());
        }

        /**
         * Allows a consumer key to connect and read messages of the given types only; it receives the
         * others as redacted entries. Types are matched exactly.
         *
         * @throws StrongZeroConfigException if {@code types} is empty or holds an empty or over-long type
         */
        public Builder allow(CurvePublicKey consumerKey, Collection<String> types) {
            Objects.requireNonNull(types, "types");
            if (types.isEmpty()) {
                throw new StrongZeroConfigException("types allowed to key " + Objects.requireNonNull(consumerKey,
                        "consumerKey").z85() + " must not be empty: leave a key that may read nothing off the allow-list");
            }
            Set<String> copy = new LinkedHashSet<>();
            for (String type : types) {
                if (type == null || type.isEmpty() || type.length() > 255 || type.chars().anyMatch(Character::isISOControl)) {
                    throw new StrongZeroConfigException("a type allowed to key " + consumerKey.z85() + " must be 1 to 255 "
                            + "characters without control characters but was '" + type + "'");
                }
                copy.add(type);
            }
            return put(consumerKey, Optional.of(copy));
        }

        /**
         * Binds an allowed key to consumer names: a connection with this key may pull only as one of
         * {@code consumerNames}; a pull naming another consumer gets the error {@code NOT_AUTHORIZED} and is
         * not recorded as progress. Without a binding a key may use any name.
         *
         * @throws StrongZeroConfigException if the key is not allowed yet ({@code allow(...)} it first), is already
         *                                   bound, or a name is not a valid consumer name
         */
        public Builder consumerNames(CurvePublicKey consumerKey, Collection<String> consumerNames) {
            Objects.requireNonNull(consumerKey, "consumerKey");
            Objects.requireNonNull(consumerNames, "consumerNames");
            if (!allowed.containsKey(consumerKey)) {
                throw new StrongZeroConfigException("key " + consumerKey.z85() + " is not on the allow-list: allow(...) "
                        + "it before binding it to consumer names");
            }
            if (names.containsKey(consumerKey)) {
                throw new StrongZeroConfigException("key " + consumerKey.z85() + " is already bound to consumer names "
                        + names.get(consumerKey));
            }
            if (consumerNames.isEmpty()) {
                throw new StrongZeroConfigException("consumer names bound to key " + consumerKey.z85() + " must not be "
                        + "empty: leave a key that may pull as nobody off the allow-list");
            }
            Set<String> copy = new LinkedHashSet<>();
            for (String n : consumerNames) {
                copy.add(Checks.name("a consumer name bound to key " + consumerKey.z85(), n));
            }
            names.put(consumerKey, copy);
            return this;
        }

        private Builder put(CurvePublicKey key, Optional<Set<String>> types) {
            Objects.requireNonNull(key, "consumerKey");
            if (allowed.containsKey(key)) {
                throw new StrongZeroConfigException("key " + key.z85() + " is already on the allow-list");
            }
            allowed.put(key, types);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws StrongZeroConfigException if the key pair is missing or the allow-list is empty
         */
        public ProducerSecurity build() {
            if (keyPair == null) {
                throw new StrongZeroConfigException("keyPair is required: the producer's CurveKeyPair ('strongzero keys "
                        + "generate' creates one)");
            }
            if (allowed.isEmpty()) {
                throw new StrongZeroConfigException("the allow-list is empty: no consumer could connect; allow(...) the "
                        + "public key of each consumer");
            }
            return new ProducerSecurity(this);
        }
    }
}
