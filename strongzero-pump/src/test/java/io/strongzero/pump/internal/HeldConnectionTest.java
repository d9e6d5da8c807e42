package io.strongzero.pump.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.testing.ManualTicker;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HeldConnectionTest {

    private final ManualTicker ticker = new ManualTicker();
    private final List<String> debug = new ArrayList<>();

    private static JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:held" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private HeldConnection held(JdbcDataSource ds) {
        return new HeldConnection(ds, Connection.TRANSACTION_READ_COMMITTED, Duration.ofSeconds(30), ticker,
                (what, e) -> debug.add(what));
    }

    @Test
    void keepsOneConnectionSetUpForShortTransactionsUntilItWasHeldForTheHoldTime() throws SQLException {
        HeldConnection held = held(h2());
        Connection first = held.get();
        assertFalse(first.getAutoCommit(), "auto-commit off");
        assertEquals(Connection.TRANSACTION_READ_COMMITTED, first.getTransactionIsolation());
        ticker.advance(Duration.ofSeconds(30));
        assertSame(first, held.get(), "kept for 30 s");
        ticker.advance(Duration.ofMillis(1));
        Connection second = held.get();
        assertNotSame(first, second, "a new one after 30 s");
        assertTrue(first.isClosed(), "the old one went back to the pool");
        held.release();
        assertTrue(second.isClosed());
        assertFalse(held.isHeld());
        assertTrue(debug.isEmpty(), debug.toString());
    }

    @Test
    void releaseRestoresTheSettingsTheConnectionCameWithAndNeverThrows() throws SQLException {
        JdbcDataSource ds = h2();
        HeldConnection held = held(ds);
        held.release(); // nothing held: nothing happens
        Connection c = held.get();
        c.close(); // broken behind its back
        held.release();
        assertFalse(held.isHeld());
        assertEquals(List.of("restoring the sequencer connection's settings failed"), debug);
    }
}
