package io.strongzero.pump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Health;
import io.strongzero.core.StrongZeroSchemaException;
import io.strongzero.core.StrongZeroStorageException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle and health: start once, close idempotently; health says not started, ready, degraded or closed;
 * the sequencer row records which instance stamped last and when, on the pump's clock.
 */
class PumpLifecycleTest extends JournalPerTest {

    @Test
    void startTwiceIsRefusedCloseIsIdempotentAndAClosedPumpCannotBeStartedAgain() {
        StrongZeroPump pump = journal.pump().build();
        assertFalse(pump.isRunning());
        assertEquals(-1, pump.head(), "-1 before start");
        pump.start();
        try {
            assertTrue(pump.isRunning());
            assertEquals(0, pump.head());
            IllegalStateException twice = assertThrows(IllegalStateException.class, pump::start);
            assertTrue(twice.getMessage().contains("already started"), twice.getMessage());
        } finally {
            pump.close();
        }
        assertFalse(pump.isRunning());
        pump.close(); // idempotent
        IllegalStateException closed = assertThrows(IllegalStateException.class, pump::start);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void healthIsNotReadyBeforeStartLiveAndReadyWhileRunningAndNotReadyAfterClose() throws Exception {
        HeadRecorder heads = new HeadRecorder();
        StrongZeroPump pump = journal.pump().pollInterval(NEVER).build();
        Health before = pump.health();
        assertEquals("pump:orders", before.component());
        assertFalse(before.ready());
        assertTrue(before.reasons().contains("not started"), before.toString());
        try {
            pump.start();
            pump.addListener(heads);
            journal.insertCommitted(2);
            pump.wakeUp();
            heads.awaitAtLeast(2);
            Health running = pump.health();
            assertTrue(running.live() && running.ready(), running.toString());
            assertTrue(running.reasons().isEmpty(), running.toString());
            assertEquals(2L, running.details().get("head"));
            assertEquals(2L, running.details().get("stampedByThisInstance"));
            assertEquals(0L, running.details().get("unsequenced"));
            assertEquals(2L, running.details().get("journalRows"));
            assertEquals(true, running.details().get("sequencerOwnerIsThisInstance"));
        } finally {
            pump.close();
        }
        Health after = pump.health();
        assertFalse(after.ready());
        assertTrue(after.reasons().contains("closed"), after.toString());
    }

    @Test
    void healthIsDegradedWhileMoreThanTenBatchesOfCommittedRowsWaitForAPosition() throws Exception {
        HeadRecorder heads = new HeadRecorder();
        try (StrongZeroPump pump = journal.pump().batchSize(1).pollInterval(NEVER).build().start()) {
            pump.addListener(heads);
            journal.insertCommitted(10);
            Health tenWaiting = pump.health();
            assertTrue(tenWaiting.reasons().isEmpty(), "ten waiting rows are ten batches: not yet degraded " + tenWaiting);
            journal.insertCommitted(1);
            Health elevenWaiting = pump.health();
            assertTrue(elevenWaiting.live() && elevenWaiting.ready(), "degraded, still ready: " + elevenWaiting);
            assertEquals(11L, elevenWaiting.details().get("unsequenced"));
            assertTrue(elevenWaiting.reasons().contains("11 committed rows wait for a position"), elevenWaiting.toString());

            pump.wakeUp();
            assertEquals(11, heads.awaitAtLeast(11));
            Health caughtUp = pump.health();
            assertTrue(caughtUp.reasons().isEmpty(), caughtUp.toString());
            assertEquals(0L, caughtUp.details().get("unsequenced"));
        }
    }

    @Test
    void stampingRecordsTheOwnerAndTheTimeOnThePumpsClockInTheSequencerRow() throws Exception {
        long at = Instant.parse("2030-01-02T03:04:05Z").toEpochMilli();
        Clock clock = Clock.fixed(Instant.ofEpochMilli(at), ZoneOffset.UTC);
        HeadRecorder heads = new HeadRecorder();
        try (StrongZeroPump pump = journal.pump().owner("billing-7").clock(clock).pollInterval(NEVER).build().start()) {
            pump.addListener(heads);
            journal.insertCommitted(1);
            pump.wakeUp();
            heads.awaitAtLeast(1);
            // a second pass: head listeners are told during a pass, its success is recorded after it
            journal.insertCommitted(1);
            pump.wakeUp();
            heads.awaitAtLeast(2);
            JournalAdmin.Status status = new JournalAdmin(journal.dataSource(), "sz_", clock).status();
            assertEquals("billing-7", status.sequencerOwner());
            assertEquals(at, status.sequencerUpdated());
            assertEquals(2, status.head());
            Health h = pump.health();
            assertEquals("billing-7", h.details().get("sequencerOwner"));
            assertEquals(at, h.details().get("lastStampedAt"));
            assertEquals(at, h.details().get("lastSuccessAt"), "the last successful pass, on the pump's clock");
        }
    }

    /**
     * Regression (issue 13): {@code Schema.verifyTable} opened its connection inside the try whose catch turned every
     * {@link java.sql.SQLException} into a {@link StrongZeroSchemaException} saying the table is missing and to
     * run the DDL, so an unreachable database (SQLState 08001) was reported as missing tables.
     */
    @Test
    void startWithTheDatabaseUnreachableFailsWithAStorageExceptionThatDoesNotBlameMissingTables() {
        FlakyDataSource flaky = new FlakyDataSource(journal.dataSource());
        flaky.down();
        try (StrongZeroPump pump = journal.pump().dataSource(flaky).build()) {
            StrongZeroStorageException e = assertThrows(StrongZeroStorageException.class, pump::start);
            assertFalse(pump.isRunning());
            assertEquals("08001", e.sqlState(), e.getMessage());
            assertFalse(e instanceof StrongZeroSchemaException,
                    "the tables exist; the database is unreachable, and the message should not say to run the DDL: "
                            + e.getMessage());
        }
    }
}
