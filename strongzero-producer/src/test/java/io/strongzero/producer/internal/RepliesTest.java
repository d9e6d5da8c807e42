package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RepliesTest {

    private final ProducerCounters counters = new ProducerCounters();
    private final List<String> meters = new ArrayList<>();
    private final StrongZeroMetrics metrics = new StrongZeroMetrics() {
        @Override
        public void served(String producer, String consumer, int messages, long bytes) {
            meters.add(consumer + ":" + messages);
        }
    };
    private final Replies replies = new Replies("users", metrics, counters, "known"::equals, "_unregistered");

    @Test
    void aBatchRedactsWhatTheGrantDoesNotPermitAndCountsTheRestUnderTheConsumersNameOnlyIfItIsVouchedFor() {
        List<Envelope> batch = List.of(H2Journal.envelope(1, "user.created"), H2Journal.envelope(2, "user.deleted"));
        RequestCheck.Pull restricted = new RequestCheck.Pull(IncomingRequest.of(List.of(Requests.CONNECTION, new byte[0]),
                null).route(), AccessGrant.of(Set.of("user.created"), null), Requests.pull(0, 0, "madeup"));
        List<byte[]> reply = replies.batch(restricted, 1, batch);
        assertEquals(new Protocol.BatchHeader(7, 2, 2), Requests.batch(reply), "the head is at least the last position");
        assertTrue(Protocol.isRedacted(Protocol.decodeMessage(reply.get(5))));
        assertEquals(1, counters.served.get(), "the redacted entry is not served");
        RequestCheck.Pull known = Requests.checked(Requests.CONNECTION, Requests.pull(0, 0, "known"));
        replies.batch(known, 2, batch);
        assertEquals(List.of("_unregistered:1", "known:2"), meters);
    }

    @Test
    void anEmptyBatchCarriesTheHeadAndBusyIsCounted() {
        IncomingRequest.Route route = IncomingRequest.of(List.of(Requests.CONNECTION, new byte[0]), null).route();
        assertEquals(new Protocol.BatchHeader(9, 42, 0), Requests.batch(Replies.emptyBatch(route, 9, 42)));
        List<byte[]> busy = replies.busy(Requests.checked(Requests.CONNECTION, Requests.pull(0, 0, "c")), 1000,
                "has 5 parked pulls; retry later");
        Protocol.ErrorReply e = Requests.error(busy);
        assertEquals(ErrorCode.BUSY, e.code());
        assertEquals("producer users has 5 parked pulls; retry later", e.message());
        assertEquals(1, counters.busy.get());
    }
}
