package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.internal.Protocol;
import io.strongzero.tck.LogCapture;
import io.strongzero.tck.Pipeline;
import io.strongzero.tck.RawDealer;
import io.strongzero.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, item 11: a burst of malformed requests left one WARN, and the number held back was reported only
 * with a later warning. The producer now summarizes held-back refusals on its frontend's timer and at close.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RefusedRequestSummaryTest {

    private static final int BURST = 2_000;
    private LogCapture log;
    private SecureStream s;

    @BeforeEach
    void setUp() {
        log = LogCapture.start();
        s = new SecureStream(null);
    }

    @AfterEach
    void tearDown() {
        if (s != null) {
            s.close();
        }
        log.close();
    }

    private void burst(RawDealer d, long before) {
        for (int i = 0; i < BURST; i++) {
            if (i % 2 == 0) {
                d.send("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                d.send(new byte[0], Protocol.header((byte) 0x7f), new byte[12]);
            }
            if (i % 100 == 99) {
                d.drain();
            }
        }
        Await.until(Duration.ofSeconds(30), "every request refused", () -> s.producer.malformedCount() == before + BURST,
                s.producer::malformedCount);
        // read the ERROR replies as any client does: a client whose receive queue stays full stops reading its
        // connection, misses the producer's heartbeats and is disconnected, and its next burst then blocks
        d.drain();
    }

    @Test
    void aBurstOfMalformedRequestsIsSummarizedOnATimerWithoutALaterRefusalAndAgainAtClose() {
        String prefix = "strongzero-producer[" + Pipeline.PRODUCER + "]: ";
        try (RawDealer d = new RawDealer(s.endpoint())) {
            burst(d, 0);
            assertEquals(1, log.lines(prefix + "refused a request from").size(), "one detailed line for the burst: " + log.text());
            // no further refusal: the frontend's timer writes the summary once the 10 s interval has passed
            Await.until(Duration.ofSeconds(30), "the summary of the burst", () -> log.lines(prefix + "refused ").size() == 2,
                    log::text);
            assertTrue(log.text().contains(prefix + "refused " + (BURST - 1) + " more requests not logged one by one "
                    + "(MALFORMED_REQUEST " + (BURST / 2 - 1) + ", UNKNOWN_COMMAND " + BURST / 2 + "; " + BURST
                    + " refused so far)"), log.text());

            burst(d, BURST);   // within 10 s of the summary: all held back ...
        }
        s.close();             // ... and summarized at close
        s = null;
        assertEquals(1, log.lines(prefix + "refused a request from").size(), log.text());
        assertTrue(log.text().contains(prefix + "refused " + BURST + " more requests not logged one by one "
                + "(MALFORMED_REQUEST " + BURST / 2 + ", UNKNOWN_COMMAND " + BURST / 2 + "; " + 2 * BURST
                + " refused so far)"), log.text());
    }
}
