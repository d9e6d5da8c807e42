package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.producer.ProducerSecurity;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5: what crosses the network. A relay between consumer and producer records the bytes; the
 * marker payload shows up in them in plaintext mode (so the capture works) and never with CURVE.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CurveCaptureTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MESSAGES = 50;

    /** What a capture of one run holds. */
    private record Capture(byte[] bytes, List<String> sent, List<String> received) {
        boolean contains(String text) {
            return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
        }
    }

    private static Capture run(ProducerSecurity security, CurveKeyPair consumerKeys, String marker) throws IOException {
        try (SecureStream s = new SecureStream(security)) {
            String endpoint = s.endpoint();
            int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            try (RecordingRelay relay = new RecordingRelay(port)) {
                s.consumer("eavesdropped", relay.endpoint(), b -> {
                    if (consumerKeys != null) {
                        b.curveKeyPair(consumerKeys).producerKey(Pipeline.PRODUCER, security.keyPair().publicKey());
                    }
                });
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    sent.add(s.pipeline.sendCommitted(marker + "-" + i, i));
                }
                Await.until(WAIT, MESSAGES + " messages through the relay",
                        () -> s.pipeline.receivedCount("eavesdropped") >= MESSAGES,
                        () -> s.pipeline.receivedCount("eavesdropped"));
                return new Capture(relay.recorded(), sent, s.pipeline.receivedIds("eavesdropped"));
            }
        }
    }

    @Test
    void curveTrafficShowsNoPayloadTypeOrNameWhilePlaintextTrafficShowsThemAll() throws IOException {
        String marker = "MARKER-" + UUID.randomUUID();
        Capture plain = run(null, null, marker);
        assertEquals(plain.sent(), plain.received());
        assertTrue(plain.contains(marker), "control: the capture sees plaintext payloads");
        assertTrue(plain.contains(Pipeline.TYPE), "control: message types in clear");
        assertTrue(plain.contains("eavesdropped"), "control: the consumer name in clear");

        CurveKeyPair producerKeys = CurveKeyPair.generate();
        CurveKeyPair consumerKeys = CurveKeyPair.generate();
        Capture curve = run(ProducerSecurity.builder().keyPair(producerKeys).allow(consumerKeys.publicKey()).build(),
                consumerKeys, marker);
        assertEquals(curve.sent(), curve.received(), "the consumer got every message through the relay");
        assertTrue(curve.bytes().length > MESSAGES * marker.length(),
                "the capture holds the stream: " + curve.bytes().length + " bytes");
        assertTrue(curve.contains("CURVE"), "the ZMTP greeting names the mechanism");
        assertFalse(curve.contains(marker), "no payload in clear");
        assertFalse(curve.contains(marker.substring(0, 16)), "no part of a payload in clear");
        assertFalse(curve.contains(Pipeline.TYPE), "no message type in clear");
        assertFalse(curve.contains("eavesdropped"), "no consumer name in clear");
    }
}
