package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.pump.JournalAdmin;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MaintenanceTest {

    private final H2Journal journal = new H2Journal();
    private final ProgressRecorder progress = Parts.progress(journal.dataSource);
    private final JournalAdmin admin = new JournalAdmin(journal.dataSource, Dialect.H2, "sz_", Clock.systemUTC());

    private Maintenance maintenance(Duration retentionMin) {
        return new Maintenance("users", progress, admin, Duration.ofSeconds(1),
                new Maintenance.Retention(retentionMin, null, Duration.ofMinutes(1), 1000));
    }

    @Test
    void withoutRetentionAPassIsRefusedSayingHowToConfigureIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> maintenance(null).cleanUpNow());
        assertEquals("producer users has no retention configured: use retention(min, max)", e.getMessage());
    }

    @Test
    void aRetentionPassDeletesWhatNoConsumerHoldsBack() throws Exception {
        journal.stamped(1, 5);
        Maintenance m = maintenance(Duration.ZERO);
        m.register("members");
        assertTrue(m.remove("members"), "known");
        assertFalse(m.remove("nobody"));
        m.runRetention();
        assertNull(m.lastError());
    }

    @Test
    void aFailedPassIsRememberedForTheHealthUntilOneSucceeds() throws Exception {
        Maintenance m = maintenance(Duration.ZERO);
        try (Connection c = journal.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("ALTER TABLE sz_journal RENAME TO sz_journal_away");
        }
        m.runRetention();
        assertTrue(m.lastError() != null, "remembered");
        try (Connection c = journal.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("ALTER TABLE sz_journal_away RENAME TO sz_journal");
        }
        m.flushProgress();
        assertNull(m.lastError(), "cleared by the next pass that succeeds");
    }

    @Test
    void closingBeforeStartIsANoOp() {
        maintenance(null).close();
    }
}
