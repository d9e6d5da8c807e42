package io.strongzero.examples.saga;

import io.strongzero.consumer.Message;
import io.strongzero.core.FlakeId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A service's record of the saga steps it ran, kept in the service's own database and written in the
 * step's own transaction: which message triggered the step, what it changed and which event it
 * published. It is the "record the triggering event id" part of a saga step, and it makes each step
 * idempotent: a step whose trigger is already recorded is not run again ({@link #alreadyApplied}), and
 * the unique key on {@code trigger_id} refuses a second record even if a bug skipped that check.
 *
 * <p>With StrongZero in {@code AUTO} mode a trigger is never applied twice anyway (the consumer's offset
 * commits in the same transaction), so the check only matters for deliberate re-deliveries: an operator
 * rewinding an offset, or replaying a dead letter whose step had in fact committed. The demo also reads
 * these rows to print the flow of each saga.
 *
 * <p>Stateless; the SQL is portable (H2, PostgreSQL, MariaDB).
 */
public final class SagaLog {

    /** One step as recorded by a service. {@code triggerId} is null for a step started by a request. */
    public record Step(String service, String triggerId, String triggerType, long orderId, String outcome,
                       String eventType, String eventId) {
    }

    private SagaLog() {
    }

    static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS saga_step ("
                    + "trigger_id CHAR(32), "                 // the triggering message; NULL for a request
                    + "trigger_type VARCHAR(64) NOT NULL, "
                    + "order_id BIGINT NOT NULL, "
                    + "outcome VARCHAR(300) NOT NULL, "
                    + "event_type VARCHAR(64), "              // the event the step published
                    + "event_id CHAR(32), "
                    + "recorded_at BIGINT NOT NULL, "
                    + "CONSTRAINT saga_step_trigger UNIQUE (trigger_id))");
        }
    }

    /** True if the step triggered by {@code trigger} has committed before (a re-delivery). */
    public static boolean alreadyApplied(Connection tx, Message<?> trigger) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM saga_step WHERE trigger_id = ?")) {
            ps.setString(1, trigger.id().toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Records a step on the step's transaction connection.
     *
     * @param trigger the message that triggered the step, or null for a step started by a request
     * @param event   the id of the event the step published (null if none)
     */
    public static void record(Connection tx, Message<?> trigger, long orderId, String outcome, String eventType,
                              FlakeId event) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO saga_step (trigger_id, trigger_type, order_id, "
                + "outcome, event_type, event_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, trigger == null ? null : trigger.id().toString());
            ps.setString(2, trigger == null ? "request" : trigger.type());
            ps.setLong(3, orderId);
            ps.setString(4, outcome);
            ps.setString(5, eventType);
            ps.setString(6, event == null ? null : event.toString());
            ps.setLong(7, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    /** Every step a service recorded, oldest first. */
    public static List<Step> steps(DataSource db, String service) {
        List<Step> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT trigger_id, trigger_type, order_id, outcome, event_type, event_id "
                     + "FROM saga_step ORDER BY recorded_at, order_id")) {
            while (rs.next()) {
                out.add(new Step(service, trim(rs.getString(1)), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), trim(rs.getString(6))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(service + ": cannot read saga_step: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The steps of one order's saga in the order they happened, from the steps recorded by all services: the
     * step started by the request first, then each step triggered by the event the previous one published.
     */
    public static List<Step> flow(long orderId, List<Step> all) {
        List<Step> out = new ArrayList<>();
        Step next = all.stream().filter(s -> s.orderId() == orderId && s.triggerId() == null).findFirst().orElse(null);
        while (next != null && out.size() < all.size()) {
            out.add(next);
            String event = next.eventId();
            next = event == null ? null : all.stream().filter(s -> event.equals(s.triggerId())).findFirst().orElse(null);
        }
        return out;
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
