package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.Await;
import io.strongzero.testing.ForwardingDataSource;
import io.strongzero.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On PostgreSQL the pump vacuums its journal every {@code vacuumEvery} stamped rows, so batches do not walk the dead
 * entries stamping leaves in the waiting-row index when autovacuum is off (as on the CI machines) or too rare; a
 * vacuum the database refuses stops the upkeep, never the stamping.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresJournalUpkeepTest {

    private final TestDatabase.Instance db = TestDatabase.POSTGRESQL.create("upkeep");
    private final FlakeIdGenerator ids = FlakeIdGenerator.create(3);
    private StrongZeroPump pump;

    @AfterEach
    void close() {
        if (pump != null) {
            pump.close();
        }
        db.close();
    }

    private void commitRows(DataSource ds, int n) throws SQLException {
        JournalStore.Writer writer = new JournalStore.Writer("sz_");
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < n; i++) {
                writer.insert(c, ids.next(), "t", "json", new byte[] {(byte) i}, 1);
            }
        }
    }

    private long vacuumCount() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'sz_journal'")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private long upkeeps() {
        return ((Number) pump.health().details().get("journalUpkeeps")).longValue();
    }

    private StrongZeroPump start(DataSource ds, int vacuumEvery) {
        return StrongZeroPump.builder().name("users").dataSource(ds).createSchemaIfMissing(true)
                .pollInterval(Duration.ofMillis(20)).batchSize(5).vacuumEvery(vacuumEvery).build().start();
    }

    @Test
    void thePumpVacuumsItsJournalEveryVacuumEveryStampedRows() throws SQLException {
        pump = start(db.dataSource(), 10);
        long before = vacuumCount();
        commitRows(db.dataSource(), 12);
        Await.until(Duration.ofSeconds(20), "12 stamped", () -> pump.head() == 12);
        Await.until(Duration.ofSeconds(20), "an upkeep after 10 stamped rows", () -> upkeeps() == 1, () -> pump.health());
        commitRows(db.dataSource(), 6);
        Await.until(Duration.ofSeconds(20), "18 stamped", () -> pump.head() == 18);
        assertEquals(1, upkeeps(), "8 rows since the last upkeep: none yet");
        commitRows(db.dataSource(), 3);
        Await.until(Duration.ofSeconds(20), "a second upkeep once 10 more rows were stamped", () -> upkeeps() == 2,
                () -> pump.health());
        // the server's statistics count the VACUUMs (they arrive asynchronously)
        Await.until(Duration.ofSeconds(20), "PostgreSQL counted the vacuums", () -> {
            try {
                return vacuumCount() >= before + 2;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void vacuumEveryZeroRunsNoUpkeep() throws SQLException {
        pump = start(db.dataSource(), 0);
        commitRows(db.dataSource(), 25);
        Await.until(Duration.ofSeconds(20), "25 stamped", () -> pump.head() == 25);
        assertFalse(pump.health().details().containsKey("journalUpkeeps"), pump.health().toString());
    }

    @Test
    void aVacuumTheDatabaseRefusesStopsTheUpkeepAndStampingGoesOn() throws SQLException {
        AtomicInteger refused = new AtomicInteger();
        DataSource refusing = new RefusingVacuum(db.dataSource(), refused);
        pump = start(refusing, 5);
        commitRows(db.dataSource(), 10);
        Await.until(Duration.ofSeconds(20), "10 stamped", () -> pump.head() == 10);
        Await.until(Duration.ofSeconds(20), "the upkeep tried", () -> refused.get() == 1);
        commitRows(db.dataSource(), 20);
        Await.until(Duration.ofSeconds(20), "30 stamped", () -> pump.head() == 30);
        assertEquals(1, refused.get(), "a refused upkeep is not tried again");
        assertEquals(0L, ((Number) pump.health().details().get("journalUpkeeps")).longValue());
        assertTrue(pump.health().ready(), pump.health().toString());
    }

    /** Connections whose statements refuse {@code VACUUM} as a user that does not own the table is refused. */
    private static final class RefusingVacuum extends ForwardingDataSource {
        private final AtomicInteger refused;

        RefusingVacuum(DataSource target, AtomicInteger refused) {
            super(target);
            this.refused = refused;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = delegate().getConnection();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        Object result = invoke(c, method, args);
                        if (method.getName().equals("createStatement") && result instanceof Statement s) {
                            return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                                    (p2, m2, a2) -> {
                                        if (m2.getName().equals("execute") && a2 != null && a2[0] instanceof String sql
                                                && sql.toUpperCase(Locale.ROOT).startsWith("VACUUM")) {
                                            refused.incrementAndGet();
                                            throw new SQLException("must be owner of table sz_journal", "42501");
                                        }
                                        return invoke(s, m2, a2);
                                    });
                        }
                        return result;
                    });
        }

        private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
