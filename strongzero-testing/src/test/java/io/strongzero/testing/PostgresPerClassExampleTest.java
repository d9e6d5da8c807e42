package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-class, Await and ForwardingDataSource examples of docs/testing.md. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresPerClassExampleTest {

    // tag::per-class[]
    @RegisterExtension
    static final PostgresDatabase POSTGRES = PostgresDatabase.perClass(); // one schema for the whole class

    @BeforeAll
    static void createTables(TestDatabase.Instance db) {
        Schema.create(db.dataSource(), Dialect.POSTGRESQL, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
    }
    // end::per-class[]

    // tag::forwarding[]
    /** Counts the connections a component takes; everything else goes to the real pool. */
    static final class CountingDataSource extends ForwardingDataSource {
        final AtomicInteger taken = new AtomicInteger();

        CountingDataSource(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            taken.incrementAndGet();
            return super.getConnection();
        }
    }
    // end::forwarding[]

    private static int rows(DataSource ds, String table) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRowWrittenByAnotherThreadIsAwaitedByPolling(TestDatabase.Instance db) {
        CountingDataSource counting = new CountingDataSource(db.dataSource());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Connection c = counting.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE example_rows (n INT)");
                s.execute("INSERT INTO example_rows (n) VALUES (1)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        // tag::await[]
        Await.until(Duration.ofSeconds(10), "the writer's row",
                () -> writer.isDone() && rows(db.dataSource(), "example_rows") == 1,          // polled every 10 ms
                () -> writer.isDone() ? rows(db.dataSource(), "example_rows") + " rows" : "writer running"); // for the failure
        // end::await[]
        writer.join();
        assertEquals(1, counting.taken.get());
    }

    @Test
    void theTablesOfBeforeAllServeEveryTestOfTheClass(TestDatabase.Instance db) {
        assertEquals(0, rows(db.dataSource(), "sz_journal"));
    }
}
