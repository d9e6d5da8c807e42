package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import io.strongzero.testing.ForwardingDataSource;
import io.strongzero.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression test from the fault-injection work (GitHub issue 7): an outage of the consumer's own
 * database is not a failure of the message. While no connection can be had, the consumer must keep
 * retrying the message instead of using up its retry policy and parking a healthy message in the
 * dead-letter table (which would apply it out of order, or never, unless an operator replays it).
 */
class H2ConsumerDatabaseOutageTest {

    private Pipeline p;

    /** A data source that refuses connections, as a pool does while its database is down. */
    private static final class OutageDataSource extends ForwardingDataSource {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();

        OutageDataSource(DataSource target) {
            super(target);
        }

        private void check() throws SQLException {
            if (down.get()) {
                refused.incrementAndGet();
                // what HikariCP throws when the database does not answer within connectionTimeout
                throw new SQLTransientConnectionException("test-pool - Connection is not available, request timed out "
                        + "after 250ms (Connection refused)", "08001");
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            check();
            return super.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            check();
            return super.getConnection(username, password);
        }
    }

    @BeforeEach
    void setUp() {
        p = new Pipeline(TestDatabase.H2);
        p.startProducer();
    }

    @AfterEach
    void tearDown() {
        p.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void consumerDatabaseOutageLongerThanTheRetryBudgetDoesNotParkTheMessageBeingApplied() {
        OutageDataSource ds = new OutageDataSource(p.consumerDb.dataSource());
        try (StrongZeroConsumer consumer = Pipeline.consumerBuilder("members", ds, p.endpoint(), 0).build().start()) {
            String first = p.sendCommitted("before", 1);
            Await.until(Duration.ofSeconds(30), "the first message applied", () -> p.receivedCount("members") == 1);

            ds.down.set(true);
            String during = p.sendCommitted("during", 2);
            // The consumer's retry policy allows 5 attempts with 10-200 ms between them: far less than the
            // outage. Every refused connection is one attempt that did not happen.
            Await.until(Duration.ofSeconds(30), "10 refused connections", () -> ds.refused.get() >= 10);
            ds.down.set(false);
            String after = p.sendCommitted("after", 3);

            Await.until(Duration.ofSeconds(30), "all three messages applied or parked", () -> consumer.position(Pipeline.PRODUCER) >= 3,
                    () -> consumer.position(Pipeline.PRODUCER));
            assertEquals(0, consumer.deadLetters().count(), "no message parked because the consumer's database was down");
            assertEquals(List.of(first, during, after), p.receivedIds("members"), "all applied, in order");
        }
    }
}
