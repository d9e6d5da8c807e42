package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.Headers;
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

    private static Envelope keyed(long position, String type) {
        Envelope e = H2Journal.envelope(position, type);
        return new Envelope(e.position(), e.id(), e.type(), e.contentType(), e.payload(), e.producedAt(), "user-" + position,
                Headers.of("trace", "t" + position));
    }

    private static RequestCheck.Pull pullInVersion(int version, AccessGrant grant) {
        IncomingRequest in = IncomingRequest.of(List.of(Requests.CONNECTION, new byte[0],
                Protocol.header(version, Protocol.CMD_PULL), Protocol.encodePull(version, Requests.pull(0, 0, "known"))),
                null);
        RequestCheck.Pull pull = (RequestCheck.Pull) new RequestCheck("users", null).check(in);
        assertEquals(version, pull.version(), "the pull remembers the version it was asked in");
        return new RequestCheck.Pull(pull.route(), grant, pull.request(), pull.version());
    }

    @Test
    void aVersionTwoPullGetsAVersionTwoBatchCarryingKeysAndHeaders() {
        List<Envelope> batch = List.of(keyed(1, "user.created"), H2Journal.envelope(2, "user.created"));
        List<byte[]> reply = replies.batch(pullInVersion(2, AccessGrant.ALL), 2, batch);
        assertEquals(2, Protocol.version(reply.get(2)));
        assertEquals(batch.get(0), Protocol.decodeMessage(2, reply.get(4)));
        assertEquals(batch.get(1), Protocol.decodeMessage(2, reply.get(5)));
    }

    @Test
    void aVersionThreePullGetsAVersionThreeBatchInTheVersionTwoLayout() {
        List<Envelope> batch = List.of(keyed(1, "user.created"), H2Journal.envelope(2, "user.created"));
        List<byte[]> reply = replies.batch(pullInVersion(3, AccessGrant.ALL), 2, batch);
        assertEquals(3, Protocol.version(reply.get(2)));
        assertArrayEquals(Protocol.encodeMessage(2, batch.get(0)), reply.get(4));
        assertEquals(batch.get(1), Protocol.decodeMessage(3, reply.get(5)));
    }

    @Test
    void aVersionOnePullIsAnsweredInVersionOneWhenNoMessageHasAKeyOrHeaders() {
        List<Envelope> batch = List.of(H2Journal.envelope(1, "user.created"), H2Journal.envelope(2, "user.created"));
        List<byte[]> reply = replies.batch(pullInVersion(1, AccessGrant.ALL), 2, batch);
        assertEquals(1, Protocol.version(reply.get(2)), "a version 1 consumer reads only version 1 batches");
        assertEquals(new Protocol.BatchHeader(7, 2, 2), Requests.batch(reply));
        assertEquals(batch.get(1), Protocol.decodeMessage(1, reply.get(5)));
        IncomingRequest.Route route = IncomingRequest.of(List.of(Requests.CONNECTION, new byte[0]), null).route();
        assertEquals(1, Protocol.version(Replies.emptyBatch(route, 1, 7, 2).get(2)), "an empty batch too");
    }

    @Test
    void aVersionOnePullGetsTheRunBeforeTheFirstKeyedMessageAndIsRefusedWhenTheKeyedMessageComesFirst() {
        Envelope plain = H2Journal.envelope(1, "user.created");
        Envelope keyed = keyed(2, "user.created");
        List<byte[]> reply = replies.batch(pullInVersion(1, AccessGrant.ALL), 3,
                List.of(plain, keyed, H2Journal.envelope(3, "user.created")));
        assertEquals(1, Protocol.version(reply.get(2)));
        assertEquals(new Protocol.BatchHeader(7, 3, 1), Requests.batch(reply), "only the run before the keyed message");
        assertEquals(5, reply.size(), "route (connection, delimiter), header, body and one message");
        assertEquals(plain, Protocol.decodeMessage(1, reply.get(4)));
        assertEquals(1, counters.served.get());

        Protocol.ErrorReply e = Requests.error(replies.batch(pullInVersion(1, AccessGrant.ALL), 3,
                List.of(keyed, H2Journal.envelope(3, "user.created"))));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.code());
        assertEquals(7, e.requestId());
        assertEquals(1, e.minVersion());
        assertEquals(3, e.maxVersion());
        assertTrue(e.message().contains("position 2") && e.message().contains("upgrade consumer known"), e.message());
        assertEquals(1, counters.served.get(), "nothing more was served");
        Envelope headersOnly = new Envelope(1, plain.id(), "user.created", "json", new byte[0], 0, null,
                Headers.of("h", "v"));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION,
                Requests.error(replies.batch(pullInVersion(1, AccessGrant.ALL), 1, List.of(headersOnly))).code());
    }

    @Test
    void aVersionOnePullGetsARedactedEntryForAKeyedMessageItMayNotRead() {
        // a redacted entry has no key and no headers, so version 1 carries it
        List<Envelope> batch = List.of(keyed(1, "salary.changed"));
        List<byte[]> reply = replies.batch(pullInVersion(1, AccessGrant.of(Set.of("user.created"), null)), 1, batch);
        assertEquals(1, Protocol.version(reply.get(2)));
        assertTrue(Protocol.isRedacted(Protocol.decodeMessage(1, reply.get(4))));
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
