package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.ErrorCode;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.Protocol;
import io.strongzero.testing.ManualTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RequestHandlerTest {

    private final H2Journal journal = new H2Journal();
    private final ProducerCounters counters = new ProducerCounters();
    private final ProgressRecorder progress = Parts.progress(journal.dataSource);
    private final TailCache tail = new TailCache(100, 1 << 20);
    private final Parts.HeldExecutor readers = new Parts.HeldExecutor(10);
    private final List<String> warnings = new ArrayList<>();
    private final ManualTicker ticker = new ManualTicker();
    private final HeldBackLog refusals = new HeldBackLog(10_000, ticker::millis, warnings::add, (h, k, t) -> "held " + h);
    private final RequestHandler handler = new RequestHandler("users", new RequestCheck("users", null), progress,
            Parts.reader(journal.dataSource, counters, tail, readers, new AtomicInteger(), 10),
            Parts.replies(counters, progress), StrongZeroMetrics.NONE, counters, refusals, 1);
    private final LongPollRegistry parked = new LongPollRegistry(1, 1, ticker, 3);
    private final List<List<byte[]>> sent = new ArrayList<>();

    @Test
    void aRefusedRequestIsCountedAndAnsweredWithAnError() {
        handler.handle(IncomingRequest.of(List.of(Requests.CONNECTION, new byte[0], new byte[] {1}), null), 3, parked,
                sent::add);
        assertEquals(ErrorCode.MALFORMED_REQUEST, Requests.code(sent.get(0)));
        assertEquals(1, counters.malformed.get());
        assertTrue(refusals.total() >= 1);
    }

    @Test
    void aPullBelowTheHeadIsServedAndAPullWithoutAWaitIsAnsweredEmpty() throws Exception {
        tail.append(journal.stamped(1, 3));
        handler.handle(Requests.incoming(Requests.CONNECTION, Requests.pull(0, 1000, "members"), null), 3, parked, sent::add);
        assertEquals(new Protocol.BatchHeader(7, 3, 3), Requests.batch(sent.get(0)));
        handler.handle(Requests.incoming(Requests.CONNECTION, Requests.pull(3, 0, "members"), null), 3, parked, sent::add);
        assertEquals(new Protocol.BatchHeader(7, 3, 0), Requests.batch(sent.get(1)));
        assertEquals(0, parked.size());
        assertTrue(progress.holdsRetention("members") || progress.unrecordedCount() == 0, "the pull was recorded");
    }

    @Test
    void aPullAtTheHeadIsParkedAndBusyWhenTheRegistryIsFull() {
        handler.handle(Requests.incoming(new byte[] {1}, Requests.pull(3, 1000, "a"), null), 3, parked, sent::add);
        assertEquals(1, parked.size());
        assertTrue(sent.isEmpty());
        handler.handle(Requests.incoming(new byte[] {2}, Requests.pull(3, 1000, "b"), null), 3, parked, sent::add);
        Protocol.ErrorReply busy = Requests.error(sent.get(0));
        assertEquals("producer users has 1 parked pulls; retry later", busy.message());
        assertEquals(1000, busy.retryAfterMillis());
        assertEquals(1, counters.busy.get());
    }
}
