package io.strongzero.consumer;

import io.strongzero.core.FlakeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message in the dead-letter table: what it was, when and how often it failed, and why.
 *
 * @param consumer       the consumer that failed to apply it
 * @param producer       the producer it came from
 * @param id             its Flake id
 * @param position       its journal position
 * @param type           its type
 * @param contentType    its payload encoding
 * @param payload        its encoded payload
 * @param producedAt     when the sender wrote it
 * @param status         PARKED, BLOCKING, REPLAY_REQUESTED or DISCARDED
 * @param attempts       attempts made
 * @param firstFailedAt  first failure
 * @param lastFailedAt   last failure
 * @param errors         one record per failed attempt (bounded to the first 5 and last 15)
 * @param discardReason  why it was discarded, or null
 * @param key            its ordering key, or null if it has none (a record component, so not an {@code Optional};
 *                       {@link io.strongzero.consumer.Message#key()} is one)
 * @param headers        its headers: unmodifiable, in the sender's order, empty if none
 */
public record DeadLetter(String consumer, String producer, FlakeId id, long position, String type, String contentType,
                         byte[] payload, Instant producedAt, Status status, int attempts, Instant firstFailedAt,
                         Instant lastFailedAt, List<FailureRecord> errors, String discardReason, String key,
                         Map<String, String> headers) {

    public DeadLetter {
        Objects.requireNonNull(headers, "headers");
    }

    /** A dead letter of a message without a key or headers. */
    public DeadLetter(String consumer, String producer, FlakeId id, long position, String type, String contentType,
                      byte[] payload, Instant producedAt, Status status, int attempts, Instant firstFailedAt,
                      Instant lastFailedAt, List<FailureRecord> errors, String discardReason) {
        this(consumer, producer, id, position, type, contentType, payload, producedAt, status, attempts, firstFailedAt,
                lastFailedAt, errors, discardReason, null, Map.of());
    }

    /** The state of a dead letter. */
    public enum Status {
        /** Parked after its last attempt; the stream moved on. */
        PARKED,
        /** Its stream stopped at it (BLOCK policy), or with lanes only its key, until it is replayed or discarded. */
        BLOCKING,
        /**
         * An operator asked (for example with the admin CLI, which cannot run handlers) that the running
         * consumer replay it; the consumer does so within seconds.
         */
        REPLAY_REQUESTED,
        /** Discarded by an operator, with a reason; kept for the record. */
        DISCARDED
    }

    @Override
    public String toString() {
        return "DeadLetter[" + producer + "#" + position + ", id=" + id + ", type=" + type + ", status=" + status
                + ", attempts=" + attempts + ", lastError=" + (errors.isEmpty() ? "-" : errors.get(errors.size() - 1).exceptionClass()) + "]";
    }
}
