package io.strongzero.producer.internal;

import io.strongzero.core.Envelope;
import io.strongzero.core.internal.Protocol;
import java.util.Set;

/**
 * What one connection may read: every message type, or a set of types, and under which consumer names it
 * may pull (any, or a set). Messages of other types are replaced by redacted entries
 * ({@link Protocol#redacted}), so the connection still sees every position. Immutable and thread-safe.
 * Internal API.
 */
public final class AccessGrant {

    /** Every type: plaintext endpoints, and keys allowed without a type restriction. */
    public static final AccessGrant ALL = new AccessGrant(null, null);

    private final Set<String> types;
    private final Set<String> consumerNames;

    private AccessGrant(Set<String> types, Set<String> consumerNames) {
        this.types = types;
        this.consumerNames = consumerNames;
    }

    /** A grant for the given types only (null: every type), under the given consumer names only (null: any). */
    public static AccessGrant of(Set<String> types, Set<String> consumerNames) {
        return types == null && consumerNames == null ? ALL
                : new AccessGrant(types == null ? null : Set.copyOf(types),
                        consumerNames == null ? null : Set.copyOf(consumerNames));
    }

    /** True if the connection may pull as this consumer. */
    public boolean permitsConsumer(String consumerName) {
        return consumerNames == null || consumerNames.contains(consumerName);
    }

    /** The consumer names the connection may pull as, for an error message; null if any. */
    public Set<String> consumerNames() {
        return consumerNames;
    }

    /** True if messages of this type may be read. */
    public boolean permits(String type) {
        return types == null || types.contains(type);
    }

    /** The message itself if its type is permitted, else its redacted entry. */
    public Envelope filter(Envelope e) {
        return permits(e.type()) ? e : Protocol.redacted(e);
    }

    @Override
    public String toString() {
        return (types == null ? "AccessGrant[all types" : "AccessGrant[types " + types)
                + (consumerNames == null ? "" : ", consumers " + consumerNames) + "]";
    }
}
