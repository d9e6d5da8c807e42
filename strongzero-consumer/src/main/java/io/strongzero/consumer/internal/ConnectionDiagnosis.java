package io.strongzero.consumer.internal;

/**
 * Turns the {@linkplain ConnectionWatch.Evidence evidence} about a consumer's connection into the
 * sentence that follows a pull that got no reply or could not be sent. It names only the cause the
 * evidence supports: a security hint only when connections were made and failed in the handshake; a
 * producer that is down or not listening reads as not reachable. Immutable; thread-safe. Internal API.
 *
 * @param curve                  whether this consumer uses CURVE for the producer
 * @param consumerKey            this consumer's public key (Z85), or null without CURVE
 * @param handshakeTimeoutMillis the handshake timeout, quoted when handshakes time out
 */
public record ConnectionDiagnosis(boolean curve, String consumerKey, long handshakeTimeoutMillis) {

    /** The first words of the explanation for a producer that cannot be connected to. */
    public static final String NOT_REACHABLE = "the producer is not reachable";

    /**
     * Why nothing came back, for {@code "no reply from producer P at E within N ms: " + explain(e)}. The current
     * state comes first: a producer that cannot be connected to now is not reachable, whatever happened before.
     */
    public String explain(ConnectionWatch.Evidence e) {
        if (!e.connected() && (e.connections() == 0 || e.failuresSinceConnect() > 0)) {
            int attempts = e.failuresSinceConnect();
            return NOT_REACHABLE + " ("
                    + (attempts > 0 ? attempts + " connection attempt(s) failed" : "no connection could be made")
                    + (e.lost() > 0 ? " after the connection was lost" : "")
                    + "): check that it is running and listening on this endpoint";
        }
        if (e.refused() > 0) {
            return "the producer refused this consumer's CURVE key " + consumerKey + " " + e.refused() + " time(s): put "
                    + "it on the producer's allow-list (ProducerSecurity.allow)";
        }
        int closed = e.failed() + e.closedInHandshake() + (curve ? e.closedBeforeReply() : 0);
        if (closed > 0) {
            return curve
                    ? "the CURVE handshake failed " + closed + " time(s): check that producerKey(...) is this "
                            + "producer's public key and that the producer runs with security(...)"
                    : "the connection was closed during the ZeroMQ handshake " + closed + " time(s): " + PLAINTEXT_HINT;
        }
        if (e.handshakeTimeouts() > 0) {
            return "the producer accepted " + e.handshakeTimeouts() + " connection(s) but did not complete the ZeroMQ "
                    + "handshake within " + handshakeTimeoutMillis + " ms: it may be overloaded or hung";
        }
        if (e.connected()) {
            return "the producer is connected but did not answer: it may be overloaded or hung (check its log)";
        }
        int lost = e.lost() + e.closedBeforeReply();
        return lost > 0 ? "the connection was lost " + lost + " time(s) and is being made again"
                : "no usable connection was made";
    }

    private static final String PLAINTEXT_HINT = "if the producer requires CURVE, configure curveKeyPair(...) and "
            + "producerKey(...)";
}
