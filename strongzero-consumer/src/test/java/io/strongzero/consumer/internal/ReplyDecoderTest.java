package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.internal.Protocol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyDecoderTest {

    static List<byte[]> batch(long requestId, long head, List<Envelope> messages) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(new byte[0]);
        frames.add(Protocol.header(Protocol.CMD_BATCH));
        frames.add(Protocol.encodeBatchHeader(new Protocol.BatchHeader(requestId, head, messages.size())));
        messages.forEach(m -> frames.add(Protocol.encodeMessage(m)));
        return frames;
    }

    static List<byte[]> error(long requestId, ErrorCode code, int retryAfter, String message) {
        return List.of(new byte[0], Protocol.header(Protocol.CMD_ERROR),
                Protocol.encodeError(Protocol.errorReply(requestId, code, retryAfter, message)));
    }

    @Test
    void decodesAContiguousBatchWithTheProducersHead() {
        ReplyDecoder.Reply r = ReplyDecoder.decode(batch(7, 40, Messages.range(11, 13, "t")), 7, 10, 500);
        ReplyDecoder.Batch b = assertInstanceOf(ReplyDecoder.Batch.class, r);
        assertEquals(40, b.head());
        assertEquals(List.of(11L, 12L, 13L), b.messages().stream().map(Envelope::position).toList());
    }

    @Test
    void aReplyToAnEarlierRequestIsStale() {
        assertInstanceOf(ReplyDecoder.Stale.class, ReplyDecoder.decode(batch(6, 40, Messages.range(11, 11, "t")), 7, 10, 500));
        assertInstanceOf(ReplyDecoder.Stale.class, ReplyDecoder.decode(error(6, ErrorCode.BUSY, 0, "busy"), 7, 10, 500));
    }

    @Test
    void anErrorReplyIsARefusalWithItsRetryHint() {
        ReplyDecoder.Refused r = assertInstanceOf(ReplyDecoder.Refused.class,
                ReplyDecoder.decode(error(7, ErrorCode.BUSY, 250, "too many"), 7, 10, 500));
        assertEquals(ErrorCode.BUSY, r.code());
        assertEquals(250, r.retryAfterMillis());
        assertTrue(r.transientRefusal());
        assertTrue(r.message().contains("after position 10") && r.message().contains("too many"), r.message());
        // an error without a request id (0) answers whatever was asked
        ReplyDecoder.Refused anyRequest = assertInstanceOf(ReplyDecoder.Refused.class,
                ReplyDecoder.decode(error(0, ErrorCode.WRONG_PRODUCER, 0, "no such producer"), 7, 10, 500));
        assertTrue(!anyRequest.transientRefusal());
    }

    @Test
    void aGapInTheBatchIsMalformedButTheHeadIsKept() {
        List<Envelope> gap = List.of(Messages.json(11, "t", "a"), Messages.json(13, "t", "b"));
        ReplyDecoder.Malformed m = assertInstanceOf(ReplyDecoder.Malformed.class,
                ReplyDecoder.decode(batch(7, 40, gap), 7, 10, 500));
        assertEquals(ErrorCode.MALFORMED_REQUEST, m.code());
        assertEquals(40L, m.head());
        assertTrue(m.message().contains("expected position 12 but got 13"), m.message());
    }

    @Test
    void brokenFramesAreMalformed() {
        ReplyDecoder.Malformed few = assertInstanceOf(ReplyDecoder.Malformed.class,
                ReplyDecoder.decode(List.of(new byte[0], Protocol.header(Protocol.CMD_BATCH)), 7, 10, 500));
        assertTrue(few.message().contains("2 frames"), few.message());
        assertNull(few.head());
        assertInstanceOf(ReplyDecoder.Malformed.class,
                ReplyDecoder.decode(batch(7, 40, Messages.range(11, 13, "t")), 7, 10, 2));   // more than asked for
        List<byte[]> short1 = batch(7, 40, Messages.range(11, 13, "t"));
        short1.remove(short1.size() - 1);
        assertTrue(assertInstanceOf(ReplyDecoder.Malformed.class, ReplyDecoder.decode(short1, 7, 10, 500)).message()
                .contains("announced 3 messages but carried 2"));
        ReplyDecoder.Malformed unknown = assertInstanceOf(ReplyDecoder.Malformed.class, ReplyDecoder.decode(
                List.of(new byte[0], Protocol.header(Protocol.CMD_PULL), new byte[1]), 7, 10, 500));
        assertEquals(ErrorCode.UNKNOWN_COMMAND, unknown.code());
        ReplyDecoder.Malformed garbage = assertInstanceOf(ReplyDecoder.Malformed.class, ReplyDecoder.decode(
                List.of(new byte[0], new byte[] {1, 2}, new byte[1]), 7, 10, 500));
        assertNull(garbage.head());
    }
}
