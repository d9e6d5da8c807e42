package io.strongzero.producer.internal;

import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.Ticker;
import io.strongzero.producer.ProducerSecurity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * A ZAP handler (ZeroMQ RFC 27) that admits CURVE clients whose public key is on a producer's
 * allow-list, and the access grant of each admitted key. It answers on a REP socket bound to
 * {@link #ENDPOINT} in the ZeroMQ context of the producer's ROUTER; the frontend thread owns that
 * socket and calls {@link #serve} when it is readable.
 *
 * <p>An admitted connection's ZAP user id is the Z85 text of its key; ZeroMQ attaches it to every
 * message of the connection as the {@code User-Id} property, and {@link #grantFor} maps it back to the
 * key's grant. Not thread-safe except for {@link #grantFor} and {@link #deniedCount}. Internal API.
 */
public final class ZapHandler {

    /** The endpoint ZeroMQ sends ZAP requests to, in the context of the authenticating socket. */
    public static final String ENDPOINT = "inproc://zeromq.zap.01";

    private static final Logger log = LoggerFactory.getLogger(ZapHandler.class);
    private static final int MAX_REQUEST_FRAMES = 16;

    private final String producerName;
    private final Map<String, AccessGrant> grants = new HashMap<>();
    private final AtomicLong denied = new AtomicLong();
    private final HeldBackLog warnings;

    public ZapHandler(String producerName, ProducerSecurity security) {
        this(producerName, security, Ticker.system());
    }

    /** A handler whose rate-limited refusal log reads time from {@code ticker}. */
    public ZapHandler(String producerName, ProducerSecurity security, Ticker ticker) {
        this.producerName = producerName;
        this.warnings = new HeldBackLog(10_000, ticker::millis, log::warn, (held, kinds, total) -> "strongzero-producer["
                + producerName + "]: refused " + held + " more connection" + (held == 1 ? "" : "s") + " not logged one by "
                + "one (" + kinds + "; " + total + " refused so far)");
        for (CurvePublicKey key : security.allowedKeys()) {
            grants.put(key.z85(), AccessGrant.of(security.allowedTypes(key).orElse(null),
                    security.allowedConsumerNames(key).orElse(null)));
        }
    }

    /** The grant of a connection's ZAP user id, or null if the id is not one this handler admitted. */
    public AccessGrant grantFor(String userId) {
        return userId == null ? null : grants.get(userId);
    }

    /** Connections refused because their key is not on the allow-list (or the request was not a CURVE one). */
    public long deniedCount() {
        return denied.get();
    }

    /**
     * Answers the ZAP requests waiting on the socket, at most {@code max}; returns how many.
     * Never blocks: a REP socket receives whole requests.
     */
    public int serve(ZMQ.Socket rep, int max) {
        int served = 0;
        while (served < max) {
            byte[] first = rep.recv(ZMQ.DONTWAIT);
            if (first == null) {
                break;
            }
            List<byte[]> request = new ArrayList<>(7);
            request.add(first);
            while (rep.hasReceiveMore()) {
                byte[] f = rep.recv(0);
                if (request.size() < MAX_REQUEST_FRAMES) {
                    request.add(f);
                }
            }
            List<byte[]> reply = reply(request);
            for (int i = 0; i < reply.size(); i++) {
                rep.send(reply.get(i), i < reply.size() - 1 ? ZMQ.SNDMORE : 0);
            }
            served++;
        }
        return served;
    }

    /**
     * The reply to one ZAP request: {@code [version, request id, status code, status text, user id, metadata]}.
     * The request is {@code [version "1.0", request id, domain, address, identity, mechanism, credentials...]}.
     */
    List<byte[]> reply(List<byte[]> request) {
        byte[] requestId = request.size() > 1 ? request.get(1) : new byte[0];
        if (request.size() < 6 || !"1.0".equals(text(request.get(0)))) {
            denied.incrementAndGet();
            return answer(requestId, "500", "malformed ZAP request", "");
        }
        String address = text(request.get(3));
        String mechanism = text(request.get(5));
        if (!"CURVE".equals(mechanism) || request.size() != 7 || request.get(6).length != 32) {
            deny("not CURVE", "a " + mechanism + " handshake from " + address + " (this producer requires CURVE)");
            return answer(requestId, "400", "CURVE required", "");
        }
        CurvePublicKey key = CurvePublicKey.fromBytes(request.get(6));
        if (!grants.containsKey(key.z85())) {
            deny("key not allowed", "CURVE key " + key.z85() + " from " + address + ": not on the allow-list");
            return answer(requestId, "400", "key not allowed", "");
        }
        log.debug("strongzero-producer[{}]: admitted CURVE key {} from {}", producerName, key.z85(), address);
        return answer(requestId, "200", "OK", key.z85());
    }

    private void deny(String kind, String what) {
        long n = denied.incrementAndGet();
        if (warnings.acquire(kind)) {
            log.warn("strongzero-producer[{}]: refused {} ({} refused so far; further refusals within 10 s are "
                    + "summarized)", producerName, what, n);
        }
    }

    /** Writes the summary of the refusals held back if 10 s have passed since the last line (frontend loop). */
    public void tick() {
        warnings.tick();
    }

    /** Writes the summary of the refusals held back, if any (at close). */
    public void flush() {
        warnings.flush();
    }

    private static List<byte[]> answer(byte[] requestId, String status, String text, String userId) {
        return List.of(bytes("1.0"), requestId, bytes(status), bytes(text), bytes(userId), new byte[0]);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        // ZAP fields come from ZeroMQ itself; the address and mechanism are ASCII. Cap what is logged.
        String s = new String(b, 0, Math.min(b.length, 64), StandardCharsets.US_ASCII);
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
