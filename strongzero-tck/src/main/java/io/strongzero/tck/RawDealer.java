package io.strongzero.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.strongzero.core.ErrorCode;
import io.strongzero.core.internal.Protocol;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A bare jeromq DEALER for speaking (and mis-speaking) the wire protocol to a producer, with its own
 * context, linger 0 and a receive timeout on every read. Used by one test thread only.
 *
 * <p>The handshake interval is short because jeromq 0.6.0 sometimes leaves a fresh outgoing TCP
 * connection without its ZMTP handshake (measured here: about 3 % of new sockets, each in a new
 * context; see jeromq pull request 1022, "connect hand-off race"). With the default 30 s interval such
 * a socket would stay silent for 30 s; with 300 ms it reconnects and the queued request goes out.
 *
 * <p>Not thread-safe: one test thread creates, uses and closes it.
 */
public final class RawDealer implements AutoCloseable {

    private final ZContext ctx = new ZContext(1);
    private final ZMQ.Socket socket;
    /** The protocol version of the last PULL sent, which its BATCH must carry. */
    private int pullVersion = Protocol.VERSION;

    /** @param endpoint the producer's endpoint, e.g. {@code tcp://127.0.0.1:5555} */
    public RawDealer(String endpoint) {
        socket = ctx.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setHandshakeIvl(300);
        socket.setReceiveTimeOut(5_000);
        socket.setSendTimeOut(10_000);
        socket.connect(endpoint);
    }

    /**
     * Sends the frames as one multipart message; fails if they cannot be queued within 10 s.
     *
     * @param frames the frames, in order
     */
    public void send(byte[]... frames) {
        for (int i = 0; i < frames.length; i++) {
            if (!socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0)) {
                throw new AssertionError("could not queue frame " + (i + 1) + " of " + frames.length + " within 10 s ("
                        + "errno " + socket.errno() + "): the connection is gone or its send queue is full");
            }
        }
    }

    /**
     * Reads and drops every reply already received (without waiting), as a client that keeps reading does.
     *
     * @return how many replies were dropped
     */
    public int drain() {
        int n = 0;
        while (receive(1) != null) {
            n++;
        }
        return n;
    }

    /** Sends a well-formed request in the current protocol version: empty delimiter, PULL header, body. */
    void sendPull(Protocol.PullRequest request) {
        sendPull(Protocol.VERSION, request);
    }

    /** Sends a well-formed request in {@code version}: empty delimiter, PULL header, body. */
    void sendPull(int version, Protocol.PullRequest request) {
        pullVersion = version;
        send(new byte[0], Protocol.header(version, Protocol.CMD_PULL), Protocol.encodePull(version, request));
    }

    /** The next reply, or {@code null} if none arrives within {@code timeoutMillis}. */
    List<byte[]> receive(int timeoutMillis) {
        socket.setReceiveTimeOut(timeoutMillis);
        byte[] first = socket.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    /** The next reply; fails if none arrives within {@code timeoutMillis}. */
    List<byte[]> expectReply(int timeoutMillis, String what) {
        List<byte[]> reply = receive(timeoutMillis);
        assertNotNull(reply, "no reply within " + timeoutMillis + " ms to " + what);
        return reply;
    }

    /** Receives a reply and checks that it is an ERROR with the given code and request id. */
    Protocol.ErrorReply expectError(String what, ErrorCode code, long requestId) {
        List<byte[]> reply = expectReply(5_000, what);
        assertEquals(3, reply.size(), what + ": an ERROR reply is delimiter, header, body");
        assertEquals(0, reply.get(0).length, what + ": the reply starts with the empty delimiter");
        assertArrayEquals(Protocol.header(Protocol.CMD_ERROR), reply.get(1), what + ": ERROR header");
        Protocol.ErrorReply error = Protocol.decodeError(reply.get(2));
        assertEquals(code, error.code(), what + ": error code (message: " + error.message() + ")");
        assertEquals(requestId, error.requestId(), what + ": request id echoed");
        return error;
    }

    /** Receives a reply, checks that it is a BATCH for {@code requestId} and returns header and message frames. */
    Batch expectBatch(int timeoutMillis, String what, long requestId) {
        List<byte[]> reply = expectReply(timeoutMillis, what);
        assertEquals(0, reply.get(0).length, what + ": the reply starts with the empty delimiter");
        if (reply.size() >= 3 && reply.get(1).length == 4 && reply.get(1)[3] == Protocol.CMD_ERROR) {
            throw new AssertionError(what + ": expected a BATCH but got " + Protocol.decodeError(reply.get(2)));
        }
        assertArrayEquals(Protocol.header(pullVersion, Protocol.CMD_BATCH), reply.get(1),
                what + ": BATCH header, in the version of the pull");
        Protocol.BatchHeader header = Protocol.decodeBatchHeader(reply.get(2));
        assertEquals(requestId, header.requestId(), what + ": request id echoed");
        assertEquals(header.count(), reply.size() - 3, what + ": one frame per announced message");
        return new Batch(header, reply.subList(3, reply.size()));
    }

    record Batch(Protocol.BatchHeader header, List<byte[]> messages) {
    }

    /** Closes the socket and its context. */
    @Override
    public void close() {
        ctx.close();
    }
}
