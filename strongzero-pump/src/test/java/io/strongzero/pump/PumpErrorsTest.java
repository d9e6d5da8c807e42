package io.strongzero.pump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Health;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroSchemaException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Errors: missing tables and a missing index are refused at start with a message that says what to run; a
 * database that fails while the pump runs is reported (last error, health) and the pump stamps again once it is
 * back; an unexpected exception from the driver does not kill the sequencer; a poke endpoint that cannot be bound
 * fails start. (Builder validation is covered by strongzero-tests' {@code BuilderValidationTest}.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PumpErrorsTest {

    private static final String DDL = Schema.resource(Dialect.H2, Schema.Side.PRODUCER);

    @Test
    void startWithoutTheTablesFailsNamingTheMissingTableWithItsPrefixAndTheDdlToRun() throws Exception {
        try (TestJournal journal = TestJournal.empty("app_")) {
            try (StrongZeroPump pump = journal.pump().build()) {
                StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, pump::start);
                assertEquals("app_journal", e.table());
                assertTrue(e.getMessage().contains("app_journal"), e.getMessage());
                assertTrue(e.getMessage().contains(DDL), e.getMessage());
                assertTrue(e.getMessage().contains("createSchemaIfMissing(true)"), e.getMessage());
                assertFalse(pump.isRunning());
                assertEquals(-1, pump.head(), "no head before a successful start");
            }
            Schema.create(journal.dataSource(), Dialect.H2, Schema.Side.PRODUCER, "app_");
            journal.exec("DROP TABLE app_sequencer");
            try (StrongZeroPump pump = journal.pump().build()) {
                StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, pump::start);
                assertEquals("app_sequencer", e.table(), e.getMessage());
                assertTrue(e.getMessage().contains(DDL), e.getMessage());
                assertFalse(pump.isRunning());
            }
        }
    }

    @Test
    void createSchemaIfMissingCreatesTheTablesWithThePrefixAndThePumpStamps() throws Exception {
        try (TestJournal journal = TestJournal.empty("app_")) {
            HeadRecorder heads = new HeadRecorder();
            try (StrongZeroPump pump = journal.pump().createSchemaIfMissing(true).pollInterval(Duration.ofSeconds(30))
                    .build().start()) {
                assertEquals("app_", pump.tablePrefix());
                assertEquals(0, pump.head());
                assertEquals(0, journal.sequencerHead(), "start created the sequencer row");
                pump.addListener(heads);
                FlakeId id = journal.insertCommitted(1).get(0);
                pump.wakeUp();
                assertEquals(1, heads.awaitAtLeast(1));
                assertEquals(1L, journal.positions().get(id));
            }
        }
    }

    @Test
    void startWithoutTheH2WaitingRowsIndexNamesTheIndexAndTheDdlThatCreatesIt() throws Exception {
        try (TestJournal journal = TestJournal.create()) {
            journal.exec("DROP INDEX sz_journal_unsequenced");
            try (StrongZeroPump pump = journal.pump().build()) {
                StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, pump::start);
                assertEquals("sz_journal", e.table());
                assertTrue(e.getMessage().contains("lacks the index sz_journal_unsequenced"), e.getMessage());
                assertTrue(e.getMessage().contains("CREATE INDEX IF NOT EXISTS sz_journal_unsequenced ON sz_journal (pos, id)"),
                        e.getMessage());
                assertFalse(pump.isRunning());
            }
            journal.exec("CREATE INDEX IF NOT EXISTS sz_journal_unsequenced ON sz_journal (pos, id)");
            try (StrongZeroPump pump = journal.pump().build().start()) {
                assertTrue(pump.isRunning(), "the DDL from the message is all it takes");
            }
        }
    }

    @Test
    void aDatabaseOutageIsReportedInLastErrorAndHealthAndThePumpStampsAgainWhenTheDatabaseIsBack() throws Exception {
        try (TestJournal journal = TestJournal.create()) {
            FlakyDataSource flaky = new FlakyDataSource(journal.dataSource());
            HeadRecorder heads = new HeadRecorder();
            try (StrongZeroPump pump = journal.pump().dataSource(flaky).pollInterval(Duration.ofMillis(20)).build().start()) {
                pump.addListener(heads);
                journal.insertCommitted(1);
                assertEquals(1, heads.awaitAtLeast(1), "stamping works before the outage");
                assertNull(pump.lastError());

                flaky.down();
                // two refused connections: the pump has failed at least one whole attempt and recorded it
                assertTrue(flaky.awaitRefusedConnections(2, Duration.ofSeconds(10)), "the pump retries while down");
                String error = pump.lastError();
                assertNotNull(error, "the failure is reported");
                assertTrue(error.contains("SQLTransientConnectionException") && error.contains("test: the"), error);
                Health down = pump.health();
                assertTrue(down.live(), "a database outage does not kill the pump: " + down);
                assertFalse(down.ready(), down.toString());
                assertTrue(down.reasons().stream().anyMatch(r -> r.startsWith("sequencing fails: ")), down.toString());
                assertTrue(pump.isRunning());

                List<FlakeId> duringOutage = journal.insertCommitted(1); // committed while the pump cannot reach it
                flaky.up();
                assertEquals(2, heads.awaitAtLeast(2), "stamped once the database is back");
                assertEquals(List.of(2L), journal.positionsOf(duringOutage));

                FlakeId after = journal.insertCommitted(1).get(0);
                pump.wakeUp();
                assertEquals(3, heads.awaitAtLeast(3));
                assertEquals(3L, journal.positions().get(after));
                // the pass that stamped row 3 came after the one that recovered, which cleared the error
                assertNull(pump.lastError());
                Health up = pump.health();
                assertTrue(up.live() && up.ready(), up.toString());
                assertEquals(3L, up.details().get("head"));
                assertEquals(3, pump.stampedCount());
                assertEquals(List.of(1L, 2L, 3L), heads.heads());
            }
        }
    }

    @Test
    void anUnexpectedRuntimeExceptionFromTheDriverDoesNotStopTheSequencerWhichCarriesOnWithAFreshConnection()
            throws Exception {
        try (TestJournal journal = TestJournal.create()) {
            FlakyDataSource flaky = new FlakyDataSource(journal.dataSource());
            HeadRecorder heads = new HeadRecorder();
            try (StrongZeroPump pump = journal.pump().dataSource(flaky).pollInterval(Duration.ofMillis(20)).build().start()) {
                pump.addListener(heads);
                journal.insertCommitted(1);
                assertEquals(1, heads.awaitAtLeast(1));
                int connections = flaky.connectionsHandedOut();

                flaky.failNextCallWith(new IllegalStateException("test: a driver bug"));
                FlakeId id = journal.insertCommitted(1).get(0);
                assertEquals(2, heads.awaitAtLeast(2), "the pump stamps on after the unexpected exception");
                assertTrue(flaky.injectedFailureThrown(), "the pump met the injected failure");
                assertTrue(flaky.connectionsHandedOut() > connections,
                        "the connection the failure came from was handed back and a fresh one taken");
                assertEquals(2L, journal.positions().get(id));
                assertTrue(pump.isRunning());
                assertTrue(pump.health().live());
            }
        }
    }

    @Test
    void aPokeEndpointThatCannotBeBoundFailsStartNamingTheEndpointAndLeavesThePumpClosed() throws Exception {
        try (TestJournal journal = TestJournal.create();
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String endpoint = "tcp://127.0.0.1:" + taken.getLocalPort();
            try (StrongZeroPump pump = journal.pump().pokeEndpoint(endpoint).build()) {
                StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, pump::start);
                assertTrue(e.getMessage().contains("poke endpoint " + endpoint), e.getMessage());
                assertFalse(pump.isRunning());
                Health h = pump.health();
                assertFalse(h.ready());
                assertTrue(h.reasons().contains("closed"), h.toString());
                IllegalStateException again = assertThrows(IllegalStateException.class, pump::start);
                assertTrue(again.getMessage().contains("closed"), again.getMessage());
            }
        }
    }
}
