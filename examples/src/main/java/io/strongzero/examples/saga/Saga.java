package io.strongzero.examples.saga;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.MessageHandler;
import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.StrongZeroConsumer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** Settings and small helpers shared by the three saga services. Stateless. */
public final class Saga {

    /**
     * How often each service's pump looks for committed journal rows without a wake-up.
     *
     * <p>A saga step publishes its event inside the consumer's transaction ({@code sender.send(ctx.connection(),
     * ...)}), which the consumer, not the service, commits; the step wakes its pump with
     * {@code ctx.afterCommit(sender::updated)}, so the event leaves at once. The poll is only the backstop for a
     * wake-up lost to a crash between the commit and that action (docs/sagas.md has the measured effect).
     */
    public static final Duration PUMP_POLL_INTERVAL = Duration.ofMillis(200);

    /** The handler for event types a service receives on a stream but has no business with. */
    public static final MessageHandler<Object> IGNORE = (message, ctx) -> { };

    private Saga() {
    }

    /** The consumer settings every service uses; the caller adds producers and handlers. */
    // tag::consumer-settings[]
    static StrongZeroConsumer.Builder consumer(String service, DataSource db) {
        return StrongZeroConsumer.builder()
                .name(service)                             // offsets are stored under the service's name
                .dataSource(db)                            // the service's one database: state, journal, offsets
                .createSchemaIfMissing(true)
                .transactionSize(1)                        // one local transaction per saga step
                .longPollWait(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(1));    // a restarted peer is asked again within 3 s
    }
    // end::consumer-settings[]

    /** A small connection pool. */
    public static HikariDataSource pool(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(8);
        return new HikariDataSource(config);
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the row count. */
    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** The first column of the first row, or null. */
    static String queryString(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Moves an object of the saga from state {@code from} to {@code to}. Anything else is a broken workflow, not
     * a transient failure: it is refused with a {@link NonRetryableException}, so the step rolls back, nothing
     * is published and the message is parked as a dead letter for a person to look at.
     */
    static void transition(Connection tx, String table, String keyColumn, long key, String from, String to)
            throws SQLException {
        int changed = update(tx, "UPDATE " + table + " SET state = ? WHERE " + keyColumn + " = ? AND state = ?", to, key,
                from);
        if (changed != 1) {
            String actual = queryString(tx, "SELECT state FROM " + table + " WHERE " + keyColumn + " = ?", key);
            throw new NonRetryableException(table + " " + key + " cannot go from " + from + " to " + to + ": it is "
                    + (actual == null ? "missing" : actual));
        }
    }

    /** True for an integrity constraint violation (SQLState class 23), such as a duplicate key. */
    static boolean isDuplicate(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
