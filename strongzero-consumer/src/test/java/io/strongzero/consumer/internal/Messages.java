package io.strongzero.consumer.internal;

import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Envelopes for the parts' tests. */
final class Messages {
    static final long PRODUCED_AT = 1_700_000_000_000L;

    private Messages() {
    }

    /** A JSON message of {@code type} at {@code position} whose payload is the JSON string {@code text}. */
    static Envelope json(long position, String type, String text) {
        return new Envelope(position, FlakeId.of(PRODUCED_AT, 1, (int) position), type, "json",
                ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8), PRODUCED_AT + position);
    }

    /** Messages {@code from..to} of {@code type}, payload "m<position>". */
    static List<Envelope> range(long from, long to, String type) {
        List<Envelope> out = new ArrayList<>();
        for (long p = from; p <= to; p++) {
            out.add(json(p, type, "m" + p));
        }
        return out;
    }
}
