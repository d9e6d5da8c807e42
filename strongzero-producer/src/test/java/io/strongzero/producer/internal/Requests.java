package io.strongzero.producer.internal;

import io.strongzero.core.ErrorCode;
import io.strongzero.core.internal.Protocol;
import java.util.List;

/** Pull requests and decoded replies for the tests of the producer's parts. */
final class Requests {

    static final byte[] CONNECTION = {0, 1, 2, 3};

    private Requests() {
    }

    static Protocol.PullRequest pull(long after, int maxWait, String consumer) {
        return new Protocol.PullRequest(7, after, 100, 1 << 20, maxWait, "users", consumer);
    }

    static IncomingRequest incoming(byte[] connection, Protocol.PullRequest r, String userId) {
        return IncomingRequest.of(List.of(connection, new byte[0], Protocol.header(Protocol.CMD_PULL), Protocol.encodePull(r)),
                userId);
    }

    static RequestCheck.Pull checked(byte[] connection, Protocol.PullRequest r) {
        return (RequestCheck.Pull) new RequestCheck("users", null).check(incoming(connection, r, null));
    }

    /** The command byte of a reply (the frame after the route of a direct consumer). */
    static byte command(List<byte[]> reply) {
        return Protocol.parseHeader(reply.get(2));
    }

    static Protocol.ErrorReply error(List<byte[]> reply) {
        if (command(reply) != Protocol.CMD_ERROR) {
            throw new AssertionError("not an ERROR reply");
        }
        return Protocol.decodeError(reply.get(3));
    }

    static Protocol.BatchHeader batch(List<byte[]> reply) {
        if (command(reply) != Protocol.CMD_BATCH) {
            throw new AssertionError("not a BATCH reply: " + Protocol.decodeError(reply.get(3)));
        }
        return Protocol.decodeBatchHeader(reply.get(3));
    }

    static ErrorCode code(List<byte[]> reply) {
        return error(reply).code();
    }
}
