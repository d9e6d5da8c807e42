package io.strongzero.pump.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.SequencerStore;
import io.strongzero.pump.TailListener;
import io.strongzero.testing.ManualTicker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StamperTest {

    private final JdbcDataSource ds = new JdbcDataSource();
    private final FlakeIdGenerator ids = FlakeIdGenerator.create(7);
    private final JournalStore journal = new JournalStore(Dialect.H2, "sz_");
    private final SequencerStore sequencer = new SequencerStore(Dialect.H2, "sz_");
    private final List<TailListener> tail = new CopyOnWriteArrayList<>();
    private final List<Integer> sequenced = new ArrayList<>();
    private final StrongZeroMetrics metrics = new StrongZeroMetrics() {
        @Override
        public void sequenced(String producer, int rows, long nanos) {
            sequenced.add(rows);
        }
    };

    StamperTest() throws SQLException {
        ds.setURL("jdbc:h2:mem:stamper" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Schema.create(ds, Dialect.H2, Schema.Side.PRODUCER, "sz_");
        try (Connection c = ds.getConnection()) {
            sequencer.ensureRow(c, 0);
        }
    }

    private void commitRows(int n) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO sz_journal (id, msg_type, content_type, payload, produced_at) VALUES (?, 't', 'json', ?, 1)")) {
            for (int i = 0; i < n; i++) {
                s.setBytes(1, ids.next().toBytes());
                s.setBytes(2, new byte[] {(byte) i});
                s.executeUpdate();
            }
        }
    }

    private Stamper.Result stamp(Stamper stamper) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            return stamper.stampBatch(c);
        }
    }

    private Stamper stamper(int batchSize) {
        return new Stamper("users", journal, sequencer, batchSize, "node-1", Clock.systemUTC(), new ManualTicker(), metrics,
                tail);
    }

    private long stampedRows() throws SQLException {
        try (Connection c = ds.getConnection(); ResultSet r = c.createStatement().executeQuery(
                "SELECT COUNT(*) FROM sz_journal WHERE pos IS NOT NULL")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void nothingWaitingStampsNothing() throws SQLException {
        assertEquals(new Stamper.Result(-1, 0, false), stamp(stamper(10)));
        assertTrue(sequenced.isEmpty());
    }

    @Test
    void aFullBatchSaysMoreMayWaitAndTheNextTakesTheFollowingPositions() throws SQLException {
        commitRows(3);
        Stamper stamper = stamper(2);
        assertEquals(new Stamper.Result(2, 2, true), stamp(stamper));
        assertEquals(new Stamper.Result(3, 1, false), stamp(stamper));
        assertEquals(3, stampedRows());
        assertEquals(List.of(2, 1), sequenced);
    }

    @Test
    void tailListenersGetTheStampedMessagesAndOneThatThrowsDoesNotStopTheOthers() throws SQLException {
        List<Envelope> seen = new ArrayList<>();
        tail.add(rows -> {
            throw new IllegalStateException("a broken listener");
        });
        tail.add(seen::addAll);
        commitRows(2);
        assertEquals(new Stamper.Result(2, 2, false), stamp(stamper(10)));
        assertEquals(List.of(1L, 2L), seen.stream().map(Envelope::position).toList());
        assertFalse(seen.get(0).payload().length == 0, "with their payloads");
    }
}
