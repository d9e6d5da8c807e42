package io.strongzero.producer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.zeromq.ZMQ;
import zmq.Msg;
import zmq.io.Metadata;

/**
 * One multipart message received by the producer's ROUTER, read with bounded memory: at most
 * {@code maxFrames} frames are kept (the rest are read and dropped, and {@link #frameCount()} still
 * counts them). It is split into the <em>route</em> (the routing frames up to and including the first
 * empty delimiter frame, sent back unchanged in front of the reply, as a ROUTER/DEALER proxy needs)
 * and the protocol frames after it.
 * Also carries the connection's ZAP user id (the consumer's CURVE key) and peer address, from the
 * properties ZeroMQ attaches to received frames. Immutable. Internal API.
 */
public final class IncomingRequest {

    private final List<byte[]> frames;
    private final int frameCount;
    private final int delimiter;
    private final String userId;
    private final String peerAddress;

    private IncomingRequest(List<byte[]> frames, int frameCount, String userId, String peerAddress) {
        this.frames = frames;
        this.frameCount = frameCount;
        this.userId = userId;
        this.peerAddress = peerAddress;
        int d = -1;
        for (int i = 1; i < frames.size(); i++) {   // frame 0 is the routing id the ROUTER prepends
            if (frames.get(i).length == 0) {
                d = i;
                break;
            }
        }
        this.delimiter = d;
    }

    /** For tests: a request of these frames (the first is the routing id). */
    public static IncomingRequest of(List<byte[]> frames, String userId) {
        return new IncomingRequest(List.copyOf(frames), frames.size(), userId, null);
    }

    /** Reads one whole multipart message without waiting for the first frame; null if none is queued. */
    public static IncomingRequest receive(ZMQ.Socket router, int maxFrames) {
        Msg msg = router.recvMsg(ZMQ.DONTWAIT);
        if (msg == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(4);
        String userId = null;
        String peer = null;
        int count = 0;
        while (msg != null) {
            count++;
            if (frames.size() < maxFrames) {
                frames.add(msg.data());
            }
            Metadata metadata = msg.getMetadata();
            if (metadata != null && peer == null) {
                userId = emptyToNull(metadata.get(Metadata.USER_ID));
                peer = emptyToNull(metadata.get(Metadata.PEER_ADDRESS));
            }
            // The remaining frames of a multipart message are already queued: ZeroMQ delivers all or none.
            msg = msg.hasMore() ? router.recvMsg(0) : null;
        }
        return new IncomingRequest(frames, count, userId, peer);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Frames the message had, including dropped ones. */
    public int frameCount() {
        return frameCount;
    }

    /** True if the message has an empty delimiter frame after the routing id. */
    public boolean hasDelimiter() {
        return delimiter > 0;
    }

    /**
     * The routing frames up to and including the delimiter; for a message without a delimiter, the
     * routing id and an empty delimiter (so that its ERROR reaches a DEALER peer in the usual form).
     */
    public Route route() {
        return delimiter < 0 ? new Route(List.of(frames.get(0), new byte[0])) : new Route(frames.subList(0, delimiter + 1));
    }

    /** The frames after the delimiter (of those kept). */
    public List<byte[]> protocolFrames() {
        return delimiter < 0 ? List.of() : frames.subList(delimiter + 1, frames.size());
    }

    /** The connection's ZAP user id (the Z85 CURVE key under {@link ZapHandler}), or null. */
    public String userId() {
        return userId;
    }

    /** The connection's peer address, or null if ZeroMQ did not report it. */
    public String peerAddress() {
        return peerAddress;
    }

    /**
     * The routing frames of a request, to send back in front of its reply; equal routes are the same
     * consumer. Immutable.
     */
    public static final class Route {
        private final List<byte[]> frames;
        private final int hash;

        Route(List<byte[]> frames) {
            this.frames = List.copyOf(frames);
            int h = 1;
            for (byte[] f : this.frames) {
                h = 31 * h + Arrays.hashCode(f);
            }
            this.hash = h;
        }

        /** The routing frames, ending with the empty delimiter. */
        public List<byte[]> frames() {
            return frames;
        }

        /** A new list of the routing frames followed by {@code more}. */
        public List<byte[]> with(List<byte[]> more) {
            List<byte[]> out = new ArrayList<>(frames.size() + more.size());
            out.addAll(frames);
            out.addAll(more);
            return out;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Route r) || r.hash != hash || r.frames.size() != frames.size()) {
                return false;
            }
            for (int i = 0; i < frames.size(); i++) {
                if (!Arrays.equals(frames.get(i), r.frames.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Route[");
            for (int i = 0; i < frames.size() - 1; i++) {
                s.append(i == 0 ? "" : ", ").append(hex(frames.get(i)));
            }
            return s.append(']').toString();
        }

        private static String hex(byte[] b) {
            StringBuilder s = new StringBuilder();
            ByteBuffer buf = ByteBuffer.wrap(b, 0, Math.min(b.length, 16));
            while (buf.hasRemaining()) {
                s.append(String.format("%02x", buf.get() & 0xFF));
            }
            return b.length > 16 ? s + "..." : s.toString();
        }
    }
}
