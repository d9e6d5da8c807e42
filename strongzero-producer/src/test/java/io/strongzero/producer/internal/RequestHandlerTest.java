package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.Protocol;
import io.strongzero.pump.JournalAdmin;
import io.strongzero.testing.ManualTicker;
import java.time.Clock;
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

    /** A pull of {@code version} from a fresh connection, as the frontend receives it. */
    private static IncomingRequest inVersion(int version, Protocol.PullRequest r) {
        return IncomingRequest.of(List.of(Requests.CONNECTION, new byte[0], Protocol.header(version, Protocol.CMD_PULL),
                Protocol.encodePull(version, r)), null);
    }

    private long recorded(String consumer) {
        progress.flush();
        return new JournalAdmin(journal.dataSource, Dialect.H2, "sz_", Clock.systemUTC()).consumers().stream()
                .filter(c -> c.name().equals(consumer)).findFirst().orElseThrow().position();
    }

    @Test
    void aVersionThreePullRecordsTheCommittedPositionItReportsNotItsAfterPosition() throws Exception {
        tail.append(journal.stamped(1, 60));
        // lanes: pulls after the highest dispatched position (50), the lowest lane has committed 20
        handler.handle(inVersion(3, new Protocol.PullRequest(7, 50, 10, 1 << 20, 0, "users", "lanes", 20)), 60, parked,
                sent::add);
        assertEquals(Protocol.CMD_BATCH, Requests.command(sent.get(0)));
        assertEquals(20, recorded("lanes"), "a first pull: exactly what it reports, not 50 - maxMessages");
        handler.handle(inVersion(3, new Protocol.PullRequest(8, 55, 10, 1 << 20, 0, "users", "lanes", 21)), 60, parked,
                sent::add);
        assertEquals(21, recorded("lanes"), "a later one too, not the previous pull's 50");
    }

    @Test
    void aVersionTwoPullRecordsWhatItsPositionProvesAsBefore() throws Exception {
        tail.append(journal.stamped(1, 60));
        handler.handle(inVersion(2, new Protocol.PullRequest(7, 50, 10, 1 << 20, 0, "users", "old", 20)), 60, parked,
                sent::add);
        assertEquals(40, recorded("old"), "a first pull may be a prefetch: 50 - maxMessages");
        handler.handle(inVersion(2, new Protocol.PullRequest(8, 55, 10, 1 << 20, 0, "users", "old", 20)), 60, parked,
                sent::add);
        assertEquals(50, recorded("old"), "the previous pull's position, committed before this pull was sent");
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
