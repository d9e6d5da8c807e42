package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.StrongZeroConfigException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SequencerStoreNotificationsTest {

    @Test
    void theChannelIsThePrefixedJournalTableAndTheJournalsName() {
        assertEquals("sz_journal:users", SequencerStore.notificationChannel("sz_", "users"));
        assertEquals("App_journal:Orders.v2", SequencerStore.notificationChannel("App_", "Orders.v2"), "case is kept");
    }

    @Test
    void aChannelLongerThanPostgresqlsIdentifiersIsShortenedStablyAndDistinctly() {
        String prefix = "a23456789012345678901234567890"; // 30 characters, the longest prefix
        String name = "n".repeat(100);
        String channel = SequencerStore.notificationChannel(prefix, name);
        assertEquals(63, channel.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(channel.startsWith(prefix + "journal:nnn"), channel);
        assertTrue(channel.matches(".{46}#[0-9a-f]{16}"), channel);
        assertEquals(channel, SequencerStore.notificationChannel(prefix, name), "stable");
        assertNotEquals(channel, SequencerStore.notificationChannel(prefix, name + "x"), "distinct past the cut");
        String fits = "n".repeat(63 - (prefix + "journal:").length());
        assertEquals(prefix + "journal:" + fits, SequencerStore.notificationChannel(prefix, fits), "63 bytes fit as is");
    }

    @Test
    void anInvalidNameIsRefused() {
        assertThrows(StrongZeroConfigException.class, () -> SequencerStore.notificationChannel("sz_", "bad name"));
    }

    @Test
    void onlyAPostgresqlPumpsStoreNotifiesAndListens() {
        SequencerStore pg = new SequencerStore(Dialect.POSTGRESQL, "sz_", "users");
        assertEquals("sz_journal:users", pg.notificationChannel());
        assertEquals("LISTEN \"sz_journal:users\"", pg.listenStatement());
        assertEquals("UNLISTEN \"sz_journal:users\"", pg.unlistenStatement());
        for (SequencerStore none : new SequencerStore[] {new SequencerStore(Dialect.POSTGRESQL, "sz_"),
                new SequencerStore(Dialect.H2, "sz_", "users"), new SequencerStore(Dialect.MARIADB, "sz_", "users")}) {
            assertNull(none.notificationChannel());
            assertNull(none.listenStatement());
            assertNull(none.unlistenStatement());
        }
    }

    @Test
    void thePostgresqlNotificationRidesOnTheSequencerUpdate() {
        assertEquals("UPDATE t SET last_pos = ? WHERE name = ? RETURNING pg_notify('sz_journal:users',"
                        + " tableoid::text || ':' || last_pos::text)",
                Dialect.POSTGRESQL.notifyingUpdate("UPDATE t SET last_pos = ? WHERE name = ?", "last_pos", "sz_journal:users"));
        assertThrows(IllegalArgumentException.class,
                () -> Dialect.POSTGRESQL.notifyingUpdate("UPDATE t", "last_pos", "x'); DROP TABLE t; --"));
        assertNull(Dialect.MARIADB.notifyingUpdate("UPDATE t", "last_pos", "sz_journal:users"));
    }
}
