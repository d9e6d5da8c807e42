package io.strongzero.producer.internal;

import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * Encodes the producer's replies (a BATCH with the messages a grant does not permit redacted, an empty BATCH,
 * an ERROR, BUSY) as the frames to send after the request's route, and counts what they carry: messages served
 * (per consumer in the metrics) and BUSY replies. Thread-safe (readers and the frontend encode). Internal API.
 *
 * @param name the producer's name, for logs
 * @param metrics where served messages are measured
 * @param counters the producer's counters
 * @param holdsRetention whether a consumer name holds retention (a registered or recorded consumer)
 * @param unregisteredMeterName the consumer name the metrics get for a name nobody vouched for
 */
public record Replies(String name, StrongZeroMetrics metrics, ProducerCounters counters,
                      Predicate<String> holdsRetention, String unregisteredMeterName) {

    private static final Logger log = ProducerLog.LOG;

    /**
     * A BATCH reply to {@code pull} with {@code batch}, the messages its grant does not permit replaced by
     * redacted entries, in the pull's protocol version; counts the others as served. A version 1 pull gets only the
     * run before the first message with a key or headers (which version 1 cannot carry); if that message comes
     * first, an ERROR UNSUPPORTED_VERSION naming its position instead: the consumer must be upgraded, and nothing
     * is dropped silently.
     */
    public List<byte[]> batch(RequestCheck.Pull pull, long head, List<Envelope> batch) {
        Protocol.PullRequest r = pull.request();
        AccessGrant grant = pull.grant();
        int version = pull.version();
        List<Envelope> sent = new ArrayList<>(batch.size());
        int redacted = 0;
        for (Envelope e : batch) {
            Envelope s = grant.filter(e);
            if (version < 2 && s.hasKeyOrHeaders()) {
                if (!sent.isEmpty()) {
                    break; // serve the run before it: the next pull starts at this message and is refused
                }
                log.debug("strongzero-producer[{}]: consumer {} pulls in protocol version {}, but the message at position "
                        + "{} has a key or headers", name, r.consumerName(), version, s.position());
                return error(pull.route(), r.requestId(), ErrorCode.UNSUPPORTED_VERSION, 0, "the message at position "
                        + s.position() + " has an ordering key or headers, which protocol version " + version
                        + " cannot carry: upgrade consumer " + r.consumerName() + " to a StrongZero release that speaks "
                        + "protocol version 2 or later (producer " + name + " speaks " + Protocol.MIN_SUPPORTED_VERSION + " to "
                        + Protocol.MAX_SUPPORTED_VERSION + ")");
            }
            redacted += s == e ? 0 : 1;
            sent.add(s);
        }
        long replyHead = batch.isEmpty() ? head : Math.max(head, batch.get(batch.size() - 1).position());
        List<byte[]> reply = new ArrayList<>(sent.size() + 2);
        reply.add(Protocol.header(version, Protocol.CMD_BATCH));
        reply.add(Protocol.encodeBatchHeader(new Protocol.BatchHeader(r.requestId(), replyHead, sent.size())));
        long bytes = 0;
        for (Envelope s : sent) {
            byte[] f = Protocol.encodeMessage(version, s);
            bytes += f.length;
            reply.add(f);
        }
        counters.served.addAndGet(sent.size() - redacted);
        // a name nobody vouched for must not add meters: made-up names share one tag value
        String meterName = pull.vouched() || holdsRetention.test(r.consumerName()) ? r.consumerName() : unregisteredMeterName;
        metrics.served(name, meterName, sent.size() - redacted, bytes);
        if (redacted > 0 && log.isDebugEnabled()) {
            log.debug("strongzero-producer[{}]: redacted {} of {} messages after position {} for consumer {} ({})",
                    name, redacted, sent.size(), r.afterPosition(), r.consumerName(), grant);
        }
        return pull.route().with(reply);
    }

    /** An empty BATCH in the current version: nothing new up to {@code head}. */
    public static List<byte[]> emptyBatch(IncomingRequest.Route route, long requestId, long head) {
        return emptyBatch(route, Protocol.VERSION, requestId, head);
    }

    /** An empty BATCH in {@code version}: nothing new up to {@code head}. */
    public static List<byte[]> emptyBatch(IncomingRequest.Route route, int version, long requestId, long head) {
        return route.with(List.of(Protocol.header(version, Protocol.CMD_BATCH),
                Protocol.encodeBatchHeader(new Protocol.BatchHeader(requestId, head, 0))));
    }

    /** An ERROR reply. */
    public static List<byte[]> error(IncomingRequest.Route route, long requestId, ErrorCode code, int retryAfterMillis,
                                     String message) {
        return route.with(List.of(Protocol.header(Protocol.CMD_ERROR),
                Protocol.encodeError(Protocol.errorReply(requestId, code, retryAfterMillis, message))));
    }

    /** A BUSY reply to {@code pull} ("producer &lt;name&gt; {@code what}"), counted. */
    public List<byte[]> busy(RequestCheck.Pull pull, int retryAfterMillis, String what) {
        counters.busy.incrementAndGet();
        metrics.busy(name);
        return error(pull.route(), pull.request().requestId(), ErrorCode.BUSY, retryAfterMillis,
                "producer " + name + " " + what);
    }
}
