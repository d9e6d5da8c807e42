package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.ErrorCode;
import io.strongzero.core.internal.Protocol;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JournalReaderTest {

    private final H2Journal journal = new H2Journal();
    private final ProducerCounters counters = new ProducerCounters();
    private final Parts.HeldExecutor readers = new Parts.HeldExecutor(2);
    private final AtomicInteger wakes = new AtomicInteger();
    private final List<List<byte[]>> sent = new ArrayList<>();

    private JournalReader reader(TailCache tail, int maxInflightPulls) {
        return Parts.reader(journal.dataSource, counters, tail, readers, wakes, maxInflightPulls);
    }

    @Test
    void aPullTheTailHoldsIsAnsweredFromMemoryAtOnce() throws Exception {
        TailCache tail = new TailCache(100, 1 << 20);
        tail.append(journal.stamped(1, 3));
        reader(tail, 10).dispatch(Requests.checked(Requests.CONNECTION, Requests.pull(1, 1000, "members")), 3, sent::add);
        assertEquals(1, sent.size());
        assertEquals(new Protocol.BatchHeader(7, 3, 2), Requests.batch(sent.get(0)));
        assertEquals(2, counters.servedFromMemory.get());
        assertEquals(2, counters.served.get());
        assertTrue(readers.tasks.isEmpty(), "no journal read");
    }

    @Test
    void aJournalReadRunsOnTheReadersAndItsReplyComesBackWithItsBudgetsReturned() throws Exception {
        journal.stamped(1, 5);
        JournalReader reader = reader(null, 10);
        reader.dispatch(Requests.checked(Requests.CONNECTION, Requests.pull(2, 1000, "members")), 5, sent::add);
        assertTrue(sent.isEmpty());
        assertEquals(1, counters.inflightPulls.get());
        assertNull(reader.nextReply(), "not read yet");
        readers.runAll();
        assertEquals(1, wakes.get(), "the frontend is woken for the reply");
        assertTrue(counters.inflightBytes.get() > 0);
        List<byte[]> reply = reader.nextReply();
        assertEquals(new Protocol.BatchHeader(7, 5, 3), Requests.batch(reply));
        assertEquals(0, counters.inflightPulls.get());
        assertEquals(0, counters.inflightBytes.get());
        assertEquals(3, counters.served.get());
    }

    @Test
    void pastTheInflightBudgetAPullGetsBusyWithARetryAfter() throws Exception {
        journal.stamped(1, 5);
        JournalReader reader = reader(null, 1);
        reader.dispatch(Requests.checked(new byte[] {1}, Requests.pull(0, 1000, "a")), 5, sent::add);
        reader.dispatch(Requests.checked(new byte[] {2}, Requests.pull(0, 1000, "b")), 5, sent::add);
        assertEquals(1, sent.size());
        Protocol.ErrorReply busy = Requests.error(sent.get(0));
        assertEquals(ErrorCode.BUSY, busy.code());
        assertEquals(50, busy.retryAfterMillis());
        assertTrue(busy.message().startsWith("producer users is serving 1 pulls ("), busy.message());
        assertEquals(1, counters.busy.get());
    }

    @Test
    void oneConnectionMayHoldEightReadsAndAFullReaderQueueGivesTheBudgetBack() throws Exception {
        journal.stamped(1, 5);
        Parts.HeldExecutor roomy = new Parts.HeldExecutor(100);
        JournalReader reader = Parts.reader(journal.dataSource, counters, null, roomy, wakes, 100);
        for (int i = 0; i < JournalReader.MAX_READS_PER_CONNECTION + 1; i++) {
            reader.dispatch(Requests.checked(Requests.CONNECTION, Requests.pull(0, 1000, "c" + i)), 5, sent::add);
        }
        assertEquals(1, sent.size());
        assertEquals("producer users has 8 reads queued for this connection; retry later",
                Requests.error(sent.get(0)).message());

        JournalReader full = reader(null, 100); // its executor holds 2
        for (int i = 0; i < 3; i++) {
            full.dispatch(Requests.checked(new byte[] {(byte) (10 + i)}, Requests.pull(0, 1000, "c")), 5, sent::add);
        }
        assertEquals("producer users has 1000 reads queued; retry later", Requests.error(sent.get(1)).message());
        assertEquals(100, Requests.error(sent.get(1)).retryAfterMillis());
        assertEquals(8 + 2, counters.inflightPulls.get(), "the refused read gave its pull back");
    }

    @Test
    void aPositionRetentionDeletedIsAnsweredPositionExpiredWithTheOldestKept() throws Exception {
        journal.stamped(1, 10);
        try (Connection c = journal.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM sz_journal WHERE pos <= 6");
        }
        JournalReader reader = reader(null, 10);
        reader.dispatch(Requests.checked(Requests.CONNECTION, Requests.pull(2, 1000, "members")), 10, sent::add);
        readers.runAll();
        Protocol.ErrorReply expired = Requests.error(reader.nextReply());
        assertEquals(ErrorCode.POSITION_EXPIRED, expired.code());
        assertEquals("position 3 was removed from the journal of users (oldest kept: 7)", expired.message());
    }

    @Test
    void aFailedReadIsAnsweredInternalWithARetryAfter() throws Exception {
        try (Connection c = journal.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE sz_journal");
        }
        JournalReader reader = reader(null, 10);
        reader.dispatch(Requests.checked(Requests.CONNECTION, Requests.pull(0, 1000, "members")), 3, sent::add);
        readers.runAll();
        Protocol.ErrorReply failed = Requests.error(reader.nextReply());
        assertEquals(ErrorCode.INTERNAL, failed.code());
        assertEquals(1000, failed.retryAfterMillis());
        assertEquals(0, counters.inflightPulls.get());
    }
}
