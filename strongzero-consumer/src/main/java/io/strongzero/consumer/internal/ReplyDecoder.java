package io.strongzero.consumer.internal;

import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.StrongZeroProtocolException;
import io.strongzero.core.internal.Protocol;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the frames of a producer's reply to a PULL into one of a closed set of {@link Reply} values: a batch,
 * a stale reply (to an earlier request), a refusal (an ERROR reply) or a malformed reply. Pure and stateless.
 */
final class ReplyDecoder {

    /** What a reply said. */
    sealed interface Reply permits Batch, Stale, Refused, Malformed {
    }

    /** The messages after the requested position, contiguous, and the producer's head. */
    record Batch(long head, List<Envelope> messages) implements Reply {
    }

    /** A reply to an earlier request: ignore it and keep waiting. */
    record Stale() implements Reply {
    }

    /**
     * An ERROR reply: the producer refused the pull, with its retry-after hint (0 for none) and the protocol versions
     * it speaks.
     */
    record Refused(ErrorCode code, String message, long retryAfterMillis, int minVersion, int maxVersion)
            implements Reply {
        /** True if retrying can cure it (the producer is busy or had an internal error). */
        boolean transientRefusal() {
            return code == ErrorCode.BUSY || code == ErrorCode.INTERNAL;
        }
    }

    /**
     * A reply that breaks the protocol; {@code head} is the producer's head if the batch header was read before the
     * fault was found, else null.
     */
    record Malformed(ErrorCode code, String message, Long head) implements Reply {
    }

    private ReplyDecoder() {
    }

    /** Decodes the reply to request {@code requestId} for the messages after {@code after}. */
    static Reply decode(List<byte[]> frames, long requestId, long after, int maxMessages) {
        Long head = null;
        try {
            if (frames.size() < 3 || frames.get(0).length != 0) {
                return new Malformed(ErrorCode.MALFORMED_REQUEST, "reply without delimiter/header/body frames ("
                        + frames.size() + " frames)", null);
            }
            byte command = Protocol.parseHeader(frames.get(1));
            int version = Protocol.version(frames.get(1));
            if (command == Protocol.CMD_ERROR) {
                Protocol.ErrorReply err = Protocol.decodeError(frames.get(2));
                if (err.requestId() != requestId && err.requestId() != 0) {
                    return new Stale();
                }
                return new Refused(err.code(), "producer refused the pull after position " + after + ": " + err.message(),
                        err.retryAfterMillis(), err.minVersion(), err.maxVersion());
            }
            if (command != Protocol.CMD_BATCH) {
                return new Malformed(ErrorCode.UNKNOWN_COMMAND, String.format("unexpected reply command 0x%02x",
                        command & 0xFF), null);
            }
            Protocol.BatchHeader h = Protocol.decodeBatchHeader(frames.get(2));
            if (h.requestId() != requestId) {
                return new Stale();
            }
            if (h.count() > maxMessages) {
                return new Malformed(ErrorCode.MALFORMED_REQUEST, "BATCH carries " + h.count()
                        + " messages but at most " + maxMessages + " were asked for", null);
            }
            if (frames.size() != 3 + h.count()) {
                return new Malformed(ErrorCode.MALFORMED_REQUEST, "BATCH announced " + h.count()
                        + " messages but carried " + (frames.size() - 3), null);
            }
            head = h.headPosition();
            List<Envelope> batch = new ArrayList<>(h.count());
            long expected = after + 1;
            for (int i = 3; i < frames.size(); i++) {
                Envelope e = Protocol.decodeMessage(version, frames.get(i));
                if (e.position() != expected) {
                    return new Malformed(ErrorCode.MALFORMED_REQUEST, "BATCH is not contiguous: expected position "
                            + expected + " but got " + e.position() + "; discarded, pulling again", head);
                }
                expected++;
                batch.add(e);
            }
            return new Batch(head, batch);
        } catch (StrongZeroProtocolException e) {
            return new Malformed(e.code(), e.getMessage(), head);
        }
    }
}
