package io.strongzero.pump;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.internal.DialectBound;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.SequencerStore;
import io.strongzero.core.internal.Transactions;
import io.strongzero.pump.internal.ConsumerRegistryStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API of a journal database: its {@linkplain #status() status} (size, unsequenced rows, head,
 * sequencer owner), the {@linkplain #consumers() progress and lag} of each consumer that pulled from it, consumer
 * {@linkplain #registerConsumer registration} and {@linkplain #removeConsumer removal}, and
 * {@linkplain #cleanUp retention}. Used by the producer (health, meters, scheduled retention), the admin CLI and
 * your own tools; a producer's own instance is {@code StrongZeroProducer.admin()}. The producer records its
 * consumers' progress itself; that is not part of this API.
 *
 * <p>Each call opens one connection from the data source, runs in auto-commit mode and closes it. No state
 * besides the configuration (and the dialect, once detected); thread-safe.
 */
public final class JournalAdmin {

    private static final Logger log = LoggerFactory.getLogger(JournalAdmin.class);

    /** How long after its last pull an ACTIVE consumer counts as idle, unless configured otherwise: 60 s. */
    public static final Duration DEFAULT_IDLE_AFTER = Duration.ofSeconds(60);

    /**
     * A consumer's state in the producer's consumer table. Whether an ACTIVE consumer is idle is not a state
     * but a reading of its last pull: {@link ConsumerProgress#idle(long, Duration)}.
     */
    public enum ConsumerState {
        /** Vouched for (registered, recorded before unregistered names existed, or a CURVE key bound to its name) and has pulled: holds retention. */
        ACTIVE,
        /** Registered by an operator, not pulled since: holds retention from the registered position. */
        REGISTERED,
        /** Declared gone: ignored by retention. It stays GONE if it pulls again, until registered again. */
        GONE,
        /**
         * First seen in a pull nobody vouched for (plaintext, or a CURVE key not bound to consumer names): its
         * progress and lag are recorded, but retention does not wait for it and it is left out of the lag
         * aggregates and per-consumer meters. At most {@code maxUnregistered} such rows are kept; registering
         * the consumer makes it count.
         */
        UNREGISTERED;

        /** True if retention waits for a consumer in this state: ACTIVE and REGISTERED. */
        public boolean holdsRetention() {
            return this == ACTIVE || this == REGISTERED;
        }
    }

    /**
     * A consumer's progress as the producer saw it.
     *
     * @param name        the consumer's name
     * @param position    the position it last pulled after
     * @param lastSeen    epoch ms of its last pull (0 if never)
     * @param state       ACTIVE, REGISTERED, GONE or UNREGISTERED
     * @param lagMessages head minus position
     * @param lagMillis   age of the oldest message it has not pulled (sender's clock), 0 if none
     */
    public record ConsumerProgress(String name, long position, long lastSeen, ConsumerState state, long lagMessages,
                                   long lagMillis) {

        /**
         * The one rule for "idle", used by the producer's health and meters and the CLI: an ACTIVE consumer whose
         * last recorded pull is more than {@code idleAfter} before {@code nowMillis}, or that has none. Other
         * states are never idle (REGISTERED has not pulled yet by definition; GONE and UNREGISTERED do not hold
         * retention). The stored state stays ACTIVE: it still holds retention.
         *
         * @param nowMillis epoch ms, on the clock {@link #lastSeen()} was recorded with (the producer's)
         * @param idleAfter how long without a pull makes an ACTIVE consumer idle (a producer's
         *                  {@code consumerIdleAfter}, default {@link #DEFAULT_IDLE_AFTER})
         */
        public boolean idle(long nowMillis, Duration idleAfter) {
            Objects.requireNonNull(idleAfter, "idleAfter");
            return state == ConsumerState.ACTIVE && (lastSeen <= 0 || nowMillis - lastSeen > idleAfter.toMillis());
        }
    }

    /**
     * The journal's state.
     *
     * @param rows              rows in the journal
     * @param unsequenced       committed rows waiting for a position
     * @param head              last assigned position
     * @param minPosition       smallest position still kept (0 if none)
     * @param sequencerOwner    the instance that stamped last (host:pid), or null
     * @param sequencerUpdated  epoch ms of the last stamping
     * @param consumers         every known consumer
     */
    public record Status(long rows, long unsequenced, long head, long minPosition, String sequencerOwner,
                         long sequencerUpdated, List<ConsumerProgress> consumers) {
    }

    /** Outcome of one retention run. */
    public record RetentionResult(long deletedRows, long deletedUpTo, List<String> consumersOverrun) {
    }

    private final DataSource dataSource;
    private final String prefix;
    private final String journal;
    private final Clock clock;
    /** The stores, built once the dialect is known: at construction, or on first use from the data source. */
    private final DialectBound<Stores> stores;

    /** The statements of the three producer tables, in one dialect. */
    private record Stores(JournalStore journal, SequencerStore sequencer, ConsumerRegistryStore registry) {
        Stores(Dialect dialect, String prefix) {
            this(new JournalStore(dialect, prefix), new SequencerStore(dialect, prefix),
                    new ConsumerRegistryStore(dialect, prefix));
        }
    }

    /**
     * Operations on the journal with the given table prefix; the SQL dialect is detected from the data source on
     * first use.
     *
     * @param clock the clock for lag and retention ages, the one the senders' {@code produced_at} is on
     */
    public JournalAdmin(DataSource dataSource, String tablePrefix, Clock clock) {
        this(dataSource, tablePrefix, clock, null);
    }

    /**
     * Operations on the journal with the given table prefix, in a known SQL dialect (no detection).
     *
     * @param clock the clock for lag and retention ages, the one the senders' {@code produced_at} is on
     */
    public JournalAdmin(DataSource dataSource, Dialect dialect, String tablePrefix, Clock clock) {
        this(dataSource, tablePrefix, clock, Objects.requireNonNull(dialect, "dialect"));
    }

    private JournalAdmin(DataSource dataSource, String tablePrefix, Clock clock, Dialect dialect) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.prefix = Schema.validatePrefix(tablePrefix);
        this.journal = tablePrefix + "journal";
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stores = new DialectBound<>(dialect, d -> new Stores(d, prefix));
    }

    /** The journal's status with every consumer's lag; counts the journal's rows with COUNT(*). */
    public Status status() {
        return call((c, s) -> read(c, s, true));
    }

    /**
     * The journal's state for a health probe, without scanning the journal: positions are dense and retention
     * deletes from the lowest position up, so the positioned rows are exactly {@code head - minPosition + 1}.
     * Consumers are not read ({@link Status#consumers()} is empty).
     */
    Status summary() {
        return call((c, s) -> read(c, s, false));
    }

    private Status read(Connection c, Stores s, boolean full) throws SQLException {
        long unsequenced = s.journal().countWaiting(c);
        long head = s.sequencer().head(c);
        long min = s.journal().minPosition(c);
        long rows = full ? s.journal().countRows(c)
                : (min > 0 && head >= min ? head - min + 1 : 0) + unsequenced;
        SequencerStore.Owner owner = s.sequencer().owner(c);
        return new Status(rows, unsequenced, head, min, owner.owner(), owner.updatedAt(),
                full ? consumers(c, s, head) : List.of());
    }

    /** Every known consumer's progress. */
    public List<ConsumerProgress> consumers() {
        return call((c, s) -> consumers(c, s, s.sequencer().head(c)));
    }

    private List<ConsumerProgress> consumers(Connection c, Stores s, long head) throws SQLException {
        List<ConsumerRegistryStore.Row> rows = s.registry().all(c);
        long now = clock.millis();
        List<ConsumerProgress> withLag = new ArrayList<>(rows.size());
        for (ConsumerRegistryStore.Row p : rows) {
            long lag = Math.max(0, head - p.position());
            long lagMillis = 0;
            if (lag > 0) {
                OptionalLong producedAt = s.journal().producedAt(c, p.position() + 1);
                if (producedAt.isPresent()) {
                    lagMillis = Math.max(0, now - producedAt.getAsLong());
                }
            }
            withLag.add(new ConsumerProgress(p.name(), p.position(), p.lastSeen(), p.state(), lag, lagMillis));
        }
        return withLag;
    }

    /**
     * Registers a consumer before its first pull, so retention keeps everything for it from
     * {@code position} on. Re-registering a GONE consumer makes it count again, from {@code position}; registering
     * an UNREGISTERED one makes it count from the lower of its recorded position and {@code position} (a name
     * someone else pulled under first cannot push a real consumer's start forward). Registering an ACTIVE or
     * REGISTERED consumer changes nothing.
     */
    public void registerConsumer(String name, long position) {
        call((c, s) -> {
            s.registry().register(c, name, position);
            return null;
        });
    }

    /**
     * Declares a consumer gone: retention no longer waits for it. An UNREGISTERED consumer's row is deleted
     * instead (it did not hold retention; this frees its place under the cap). True if it was known.
     */
    public boolean removeConsumer(String name) {
        return call((c, s) -> s.registry().remove(c, name));
    }

    /**
     * Deletes a prefix of the journal in chunks of at most {@code chunk} positions (each its own short
     * transaction): rows every consumer that holds retention (ACTIVE or REGISTERED, see
     * {@link ConsumerState#holdsRetention()}) has pulled past and older than {@code minRetention};
     * and, if {@code maxRetention} is not null, rows older than it whatever the consumers (the consumers
     * that fall behind are returned and logged at WARN). Only whole prefixes are deleted, so a consumer
     * never meets a gap: one that is behind the deleted prefix gets POSITION_EXPIRED.
     */
    public RetentionResult cleanUp(Duration minRetention, Duration maxRetention, int chunk) {
        return call((c, s) -> {
            long now = clock.millis();
            long head = s.sequencer().head(c);
            List<ConsumerProgress> all = consumers(c, s, head);
            long safe = head;
            boolean any = false;
            for (ConsumerProgress p : all) {
                if (p.state().holdsRetention()) {
                    safe = Math.min(safe, p.position());
                    any = true;
                }
            }
            if (!any) {
                safe = 0; // nobody holds retention: only maxRetention may delete
            }
            long upTo = Math.min(safe, prefixOlderThan(c, s, now - minRetention.toMillis(), head));
            List<String> overrun = new ArrayList<>();
            if (maxRetention != null) {
                long forced = prefixOlderThan(c, s, now - maxRetention.toMillis(), head);
                if (forced > upTo) {
                    for (ConsumerProgress p : all) {
                        if (p.state().holdsRetention() && p.position() < forced) {
                            overrun.add(p.name());
                        }
                    }
                    upTo = forced;
                }
            }
            long min = s.journal().minPosition(c);
            long deleted = 0;
            if (min > 0 && upTo >= min) {
                for (long from = min; from <= upTo; from += chunk) {
                    long to = Math.min(upTo, from + chunk - 1);
                    deleted += s.journal().deleteRange(c, from, to);   // auto-commit: each chunk commits by itself
                }
            }
            if (!overrun.isEmpty()) {
                log.warn("strongzero-retention[{}]: deleted journal rows up to position {} (older than maxRetention {}) "
                        + "that consumers {} have not pulled yet: they will get POSITION_EXPIRED", journal, upTo,
                        maxRetention, overrun);
            }
            if (deleted > 0) {
                log.debug("strongzero-retention[{}]: deleted {} rows up to position {}", journal, deleted, upTo);
            }
            return new RetentionResult(deleted, deleted > 0 ? upTo : 0, overrun);
        });
    }

    /** The largest position P such that every stamped row up to P was produced before {@code before}. */
    private static long prefixOlderThan(Connection c, Stores s, long before, long head) throws SQLException {
        OptionalLong young = s.journal().firstPositionProducedSince(c, before);
        return young.isPresent() ? young.getAsLong() - 1 : head;
    }

    private interface Work<T> {
        T run(Connection c, Stores s) throws SQLException;
    }

    /** Runs {@code work} on a new connection in auto-commit mode (each statement commits by itself). */
    private <T> T call(Work<T> work) {
        try {
            return Transactions.autoCommit(dataSource, c -> work.run(c, stores.get(c)));
        } catch (SQLException e) {
            throw new StrongZeroStorageException("journal admin operation on " + journal + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "JournalAdmin[" + journal + "]";
    }
}
