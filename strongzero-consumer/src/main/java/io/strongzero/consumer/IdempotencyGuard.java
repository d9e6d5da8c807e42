package io.strongzero.consumer;

import io.strongzero.consumer.internal.ProcessedKeyStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.DialectBound;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
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
    private final DialectBound<ProcessedKeyStore> store;

    /**
     * A guard over {@code <prefix>processed} in the consumer's database, for the named consumer. The SQL dialect
     * is detected from the first connection it uses.
     */
    public IdempotencyGuard(DataSource dataSource, String consumerName, String tablePrefix, Clock clock) {
        this(dataSource, consumerName, tablePrefix, clock, null);
    }

    /** The consumer's guard: {@code dialect} is the consumer's (null to detect it on first use). */
    IdempotencyGuard(DataSource dataSource, String consumerName, String tablePrefix, Clock clock, Dialect dialect) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.consumer = Checks.name("consumerName", consumerName);
        this.table = ProcessedKeyStore.tableName(tablePrefix);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = new DialectBound<>(dialect, d -> new ProcessedKeyStore(d, tablePrefix));
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
        FlakeId id = Objects.requireNonNull(messageId, "messageId");
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
                record(id, effectName, (keys, c) -> keys.release(c, consumer, effectName, id));
            } catch (StrongZeroStorageException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
        record(id, effectName, (keys, c) -> keys.markDone(c, consumer, effectName, id));
        return Outcome.EXECUTED;
    }

    /** Inserts a CLAIMED row; returns null if this call claimed it, else the existing status. */
    private String claim(FlakeId id, String effect) {
        try (Connection c = dataSource.getConnection()) {
            return Transactions.autoCommit(c, ac -> store.get(ac).claim(ac, consumer, effect, id, clock.millis()));
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot claim side effect '" + effect + "' of message " + id + " in " + table, e);
        }
    }

    private interface KeyAction {
        void run(ProcessedKeyStore keys, Connection c) throws SQLException;
    }

    /** Runs one statement of the store on the claim of (id, effect), in auto-commit mode. */
    private void record(FlakeId id, String effect, KeyAction action) {
        try (Connection c = dataSource.getConnection()) {
            Transactions.useAutoCommit(c, ac -> action.run(store.get(ac), ac));
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot record side effect '" + effect + "' of message " + id + " in " + table, e);
        }
    }

    /** Deletes this consumer's claims older than {@code age}; returns how many. */
    public int deleteOlderThan(Duration age) {
        try (Connection c = dataSource.getConnection()) {
            return Transactions.autoCommit(c, ac -> store.get(ac).deleteClaimedBefore(ac, consumer, clock.millis() - age.toMillis()));
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot clean up " + table, e);
        }
    }
}
