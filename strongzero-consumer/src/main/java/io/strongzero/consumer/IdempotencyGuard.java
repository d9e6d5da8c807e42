package io.strongzero.consumer;

import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Protects side effects outside the consumer database (e-mail, HTTP calls) against running twice when
 * a message is delivered again after a crash.
 *
 * <p>{@link #once} <em>claims</em> (message id, effect name) in its own committed transaction before
 * running the effect, and marks the claim DONE after it. A later delivery of the same message finds
 * the claim and does not run the effect again. What remains is a window, and the outcome tells you
 * when you are in it:
 * <ul>
 *   <li>{@link Outcome#EXECUTED}: the effect ran now.</li>
 *   <li>{@link Outcome#ALREADY_DONE}: an earlier delivery ran it to completion; it was not run again.</li>
 *   <li>{@link Outcome#IN_DOUBT}: an earlier delivery claimed it and then crashed (or was killed) before
 *       marking it DONE: the effect may or may not have happened. It is not run again automatically.
 *       Close the window by making the effect itself idempotent at the receiver (pass the message id as
 *       the idempotency key of the e-mail or payment API) and calling {@link #once} with
 *       {@code retryInDoubt = true}, or by checking with the receiver.</li>
 * </ul>
 * If the effect throws, the claim is removed, so a retry runs it again.
 *
 * <p>Rows accumulate; {@link #deleteOlderThan(Duration)} removes old ones (run it daily, with a horizon
 * longer than any redelivery you expect). Thread-safe.
 */
public final class IdempotencyGuard {

    /** What {@link #once} did. */
    public enum Outcome {
        EXECUTED, ALREADY_DONE, IN_DOUBT
    }

    /** A side effect. */
    @FunctionalInterface
    public interface SideEffect {
        void run() throws Exception;
    }

    private final DataSource dataSource;
    private final String consumer;
    private final String table;
    private final Clock clock;

    /** A guard over {@code <prefix>processed} in the consumer's database, for the named consumer. */
    public IdempotencyGuard(DataSource dataSource, String consumerName, String tablePrefix, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.consumer = Checks.name("consumerName", consumerName);
        this.table = Schema.validatePrefix(tablePrefix) + "processed";
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs {@code effect} unless it already ran (or may have run) for this message. */
    public Outcome once(FlakeId messageId, String effectName, SideEffect effect) throws Exception {
        return once(messageId, effectName, false, effect);
    }

    /**
     * Like {@link #once(FlakeId, String, SideEffect)}; with {@code retryInDoubt} an IN_DOUBT claim is
     * run again (for effects that are idempotent at the receiver) and the outcome is EXECUTED.
     */
    public Outcome once(FlakeId messageId, String effectName, boolean retryInDoubt, SideEffect effect) throws Exception {
        if (effectName == null || effectName.isEmpty() || effectName.length() > 128) {
            throw new IllegalArgumentException("effectName must be 1 to 128 characters but was '" + effectName + "'");
        }
        String id = messageId.toString();
        String existing = claim(id, effectName);
        if ("DONE".equals(existing)) {
            return Outcome.ALREADY_DONE;
        }
        if ("CLAIMED".equals(existing) && !retryInDoubt) {
            return Outcome.IN_DOUBT;
        }
        try {
            effect.run();
        } catch (Exception | Error e) {
            try {
                update("DELETE FROM " + table + " WHERE consumer_name = ? AND effect_name = ? AND message_id = ?",
                        id, effectName);
            } catch (StrongZeroStorageException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
        update("UPDATE " + table + " SET status = 'DONE' WHERE consumer_name = ? AND effect_name = ? AND message_id = ?",
                id, effectName);
        return Outcome.EXECUTED;
    }

    /** Inserts a CLAIMED row; returns null if this call claimed it, else the existing status. */
    private String claim(String id, String effect) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(true);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                        + " (consumer_name, effect_name, message_id, status, claimed_at) VALUES (?, ?, ?, 'CLAIMED', ?)")) {
                    ps.setString(1, consumer);
                    ps.setString(2, effect);
                    ps.setString(3, id);
                    ps.setLong(4, clock.millis());
                    ps.executeUpdate();
                    return null;
                } catch (SQLException e) {
                    if (!Jdbc.isIntegrityViolation(e)) {
                        throw e;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT status FROM " + table
                        + " WHERE consumer_name = ? AND effect_name = ? AND message_id = ?")) {
                    ps.setString(1, consumer);
                    ps.setString(2, effect);
                    ps.setString(3, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : "CLAIMED";
                    }
                }
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot claim side effect '" + effect + "' of message " + id + " in " + table, e);
        }
    }

    private void update(String sql, String id, String effect) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, consumer);
                ps.setString(2, effect);
                ps.setString(3, id);
                ps.executeUpdate();
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot record side effect '" + effect + "' of message " + id + " in " + table, e);
        }
    }

    /** Deletes this consumer's claims older than {@code age}; returns how many. */
    public int deleteOlderThan(Duration age) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                    + " WHERE consumer_name = ? AND claimed_at < ?")) {
                ps.setString(1, consumer);
                ps.setLong(2, clock.millis() - age.toMillis());
                return ps.executeUpdate();
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot clean up " + table, e);
        }
    }
}
