package io.strongzero.producer.internal;

import io.strongzero.core.ErrorCode;
import io.strongzero.core.StrongZeroProtocolException;
import io.strongzero.core.internal.Protocol;
import java.util.TreeSet;

/**
 * Validates and authorizes one request received by the frontend and turns it into a {@link Command}: a
 * {@link Pull} to serve, or a {@link Refusal} to answer with an ERROR. Checks the frames (count, delimiter,
 * header, command), the producer name, the connection's key (under CURVE) and whether that key may pull as the
 * consumer named. Has no side effects; thread-safe. Internal API.
 */
public final class RequestCheck {

    /** Most frames a request may have (the routing frames of proxies included). */
    public static final int MAX_FRAMES_PER_REQUEST = 8;

    /** What a request asks the producer to do. */
    public sealed interface Command permits Pull, Refusal {
    }

    /**
     * A valid, authorized pull from {@code route}, served with what {@code grant} permits.
     *
     * @param route   the routing frames to send the reply to
     * @param grant   what the connection's key may read
     * @param request the decoded pull
     * @param version the protocol version of the request, which its BATCH reply uses
     */
    public record Pull(IncomingRequest.Route route, AccessGrant grant, Protocol.PullRequest request, int version)
            implements Command {
        /** A pull in the current {@link Protocol#VERSION}. */
        public Pull(IncomingRequest.Route route, AccessGrant grant, Protocol.PullRequest request) {
            this(route, grant, request, Protocol.VERSION);
        }

        /**
         * True if the request reports the consumer's committed position (protocol version 3 and later); an older one's
         * {@link Protocol.PullRequest#committedPosition} is only its afterPosition.
         */
        public boolean reportsCommitted() {
            return version >= 3;
        }

        /** True if the connection's key is bound to consumer names, so it vouches for the consumer's name. */
        public boolean vouched() {
            return grant.consumerNames() != null;
        }
    }

    /**
     * A request refused with an ERROR of {@code code}.
     *
     * @param requestId the request's id if it could be read, else 0
     */
    public record Refusal(IncomingRequest.Route route, long requestId, ErrorCode code, String message) implements Command {
    }

    private final String name;
    private final ZapHandler zap;

    /**
     * @param name the producer's name, the only one it serves
     * @param zap  the ZAP handler that knows each CURVE key's grant, or {@code null} for plaintext (everything)
     */
    public RequestCheck(String name, ZapHandler zap) {
        this.name = name;
        this.zap = zap;
    }

    /** The command {@code in} amounts to. */
    public Command check(IncomingRequest in) {
        long requestId = 0;
        try {
            if (in.frameCount() > MAX_FRAMES_PER_REQUEST) {
                throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST,
                        "a request has at most " + MAX_FRAMES_PER_REQUEST + " frames but had " + in.frameCount());
            }
            var frames = in.protocolFrames();
            if (!in.hasDelimiter() || frames.size() < 2) {
                throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST, "a request is [empty delimiter]"
                        + "[header][body] but had " + (in.frameCount() - 1) + " frames"
                        + (in.hasDelimiter() ? "" : " without the empty delimiter"));
            }
            requestId = Protocol.peekRequestId(frames.get(1));
            byte command = Protocol.parseHeader(frames.get(0));
            int version = Protocol.version(frames.get(0));
            if (command != Protocol.CMD_PULL) {
                throw new StrongZeroProtocolException(ErrorCode.UNKNOWN_COMMAND,
                        String.format("command 0x%02x is unknown; version " + version + " knows PULL (0x01)",
                                command & 0xFF));
            }
            if (frames.size() != 2) {
                throw new StrongZeroProtocolException(ErrorCode.MALFORMED_REQUEST,
                        "PULL has exactly one body frame but had " + (frames.size() - 1));
            }
            Protocol.PullRequest r = Protocol.decodePull(version, frames.get(1));
            if (!r.producerName().equals(name)) {
                throw new StrongZeroProtocolException(ErrorCode.WRONG_PRODUCER, "this endpoint serves producer '" + name
                        + "', not '" + r.producerName() + "': check the consumer's producer name and endpoint");
            }
            AccessGrant grant = zap == null ? AccessGrant.ALL : zap.grantFor(in.userId());
            if (grant == null) {
                // Cannot happen with a ZAP handler in place; refuse rather than serve an unknown key everything.
                throw new StrongZeroProtocolException(ErrorCode.INTERNAL, "producer " + name + " cannot tell which key "
                        + "this connection authenticated with; reconnect");
            }
            if (!grant.permitsConsumer(r.consumerName())) {
                // before any progress is recorded: another service's key must not move retention for this name
                throw new StrongZeroProtocolException(ErrorCode.NOT_AUTHORIZED, "this connection's key may pull only as "
                        + "consumer " + String.join(" or ", new TreeSet<>(grant.consumerNames())) + ", not '"
                        + r.consumerName() + "': check the consumer's name, or bind its key to that name in "
                        + "ProducerSecurity.consumerNames");
            }
            return new Pull(in.route(), grant, r, version);
        } catch (StrongZeroProtocolException e) {
            return new Refusal(in.route(), requestId, e.code(), e.getMessage());
        }
    }
}
