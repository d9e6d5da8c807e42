package io.strongzero.pump;

import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.internal.Jdbc;
import io.strongzero.core.internal.JournalSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operations on a journal database: its status (size, unsequenced rows, head, sequencer owner), the
 * progress and lag of each consumer that pulled from it, consumer registration, and retention.
 * Used by the producer (health, progress, cleaner) and by the admin CLI. Stateless and thread-safe.
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
    private final JournalSql sql;
    private final String journal;
    private final String consumers;
    private final String sequencer;
    private final Clock clock;

    public JournalAdmin(DataSource dataSource, String tablePrefix, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        Schema.validatePrefix(tablePrefix);
        this.sql = new JournalSql(null, tablePrefix);
        this.journal = tablePrefix + "journal";
        this.consumers = tablePrefix + "consumer";
        this.sequencer = tablePrefix + "sequencer";
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The journal's status with every consumer's lag; counts the journal's rows with COUNT(*). */
    public Status status() {
        return call(c -> read(c, true));
    }

    /**
     * The journal's state for a health probe, without scanning the journal: positions are dense and retention
     * deletes from the lowest position up, so the positioned rows are exactly {@code head - minPosition + 1}.
     * Consumers are not read ({@link Status#consumers()} is empty).
     */
    Status summary() {
        return call(c -> read(c, false));
    }

    private Status read(Connection c, boolean full) throws SQLException {
        long unsequenced = sql.countUnsequenced(c);
        long head = sql.head(c);
        long min = sql.minPosition(c);
        long rows = full ? count(c, "SELECT COUNT(*) FROM " + journal)
                : (min > 0 && head >= min ? head - min + 1 : 0) + unsequenced;
        String owner = null;
        long updated = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT owner, updated_at FROM " + sequencer + " WHERE name = ?")) {
            ps.setString(1, JournalSql.SEQUENCER_ROW);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    owner = rs.getString(1);
                    updated = rs.getLong(2);
                }
            }
        }
        return new Status(rows, unsequenced, head, min, owner, updated, full ? consumers(c, head) : List.of());
    }

    /** Every known consumer's progress. */
    public List<ConsumerProgress> consumers() {
        return call(c -> consumers(c, sql.head(c)));
    }

    private List<ConsumerProgress> consumers(Connection c, long head) throws SQLException {
        List<ConsumerProgress> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT consumer_name, pos, last_seen, state FROM " + consumers
                     + " ORDER BY consumer_name")) {
            while (rs.next()) {
                out.add(new ConsumerProgress(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        ConsumerState.valueOf(rs.getString(4).trim()), 0, 0));
            }
        }
        long now = clock.millis();
        List<ConsumerProgress> withLag = new ArrayList<>(out.size());
        for (ConsumerProgress p : out) {
            long lag = Math.max(0, head - p.position());
            long lagMillis = 0;
            if (lag > 0) {
                try (PreparedStatement ps = c.prepareStatement("SELECT produced_at FROM " + journal + " WHERE pos = ?")) {
                    ps.setLong(1, p.position() + 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            lagMillis = Math.max(0, now - rs.getLong(1));
                        }
                    }
                }
            }
            withLag.add(new ConsumerProgress(p.name(), p.position(), p.lastSeen(), p.state(), lag, lagMillis));
        }
        return withLag;
    }

    /**
     * Records the positions consumers pulled after (their committed progress), creating unknown consumers as
     * ACTIVE; GONE ones stay GONE. The caller vouches for every name (see {@link #recordPulls}).
     */
    public void recordProgress(Map<String, Long> positions) {
        Map<String, ProgressBounds> exact = new LinkedHashMap<>();
        positions.forEach((k, v) -> exact.put(k, new ProgressBounds(v, v)));
        recordProgressWithin(exact);
    }

    /**
     * What a pull proves about a consumer's committed position: at least {@code floor}, at most {@code ceiling}
     * (equal when known exactly).
     */
    public record ProgressBounds(long floor, long ceiling) {
        public ProgressBounds {
            if (floor < 0 || ceiling < floor) {
                throw new IllegalArgumentException("progress bounds need 0 <= floor <= ceiling but were " + floor
                        + ".." + ceiling);
            }
        }
    }

    /**
     * Records progress known within bounds: a recorded position inside them is kept, one outside moves to the
     * nearer bound, and an unknown consumer is created at the floor, as ACTIVE: the caller vouches for every
     * name (see {@link #recordPulls} for pulls nobody vouches for). This is how a producer that has just started
     * records a consumer's first pull, which may be a prefetching one: the recorded position, proven by an
     * earlier pull, stays (no lag spike, no progress beyond what is committed).
     */
    public void recordProgressWithin(Map<String, ProgressBounds> bounds) {
        recordPulls(bounds, bounds.keySet(), 0);
    }

    /**
     * What {@link #recordPulls} did besides updating known consumers.
     *
     * @param recordedUnregistered names recorded for the first time, as UNREGISTERED
     * @param notRecorded          unknown names nobody vouched for that were not recorded: the table already
     *                             held {@code maxUnregistered} UNREGISTERED consumers
     * @param holdingRetention     every consumer that holds retention (ACTIVE or REGISTERED) after this call, the
     *                             ones these pulls did not name included
     */
    public record RecordOutcome(List<String> recordedUnregistered, long notRecorded, Set<String> holdingRetention) {
        public RecordOutcome {
            recordedUnregistered = List.copyOf(recordedUnregistered);
            holdingRetention = Set.copyOf(holdingRetention);
        }
    }

    /**
     * Records the progress of pulls (bounds as in {@link #recordProgressWithin}), deciding each consumer's state:
     *
     * <ul>
     *   <li>a known consumer's position moves within its bounds; REGISTERED becomes ACTIVE; GONE stays GONE;
     *       UNREGISTERED becomes ACTIVE if its name is in {@code vouched}, else stays UNREGISTERED;</li>
     *   <li>an unknown name in {@code vouched} (a pull from a CURVE key bound to that name) is created ACTIVE;</li>
     *   <li>an unknown name nobody vouched for (plaintext, or a CURVE key without a name binding) is created
     *       UNREGISTERED while fewer than {@code maxUnregistered} UNREGISTERED rows exist, else not recorded.</li>
     * </ul>
     *
     * The table is read once per call, so one producer never exceeds the cap; producers sharing a journal that
     * record at the same moment may each add names up to it.
     *
     * @param bounds          per consumer name, what its pulls prove
     * @param vouched         the names whose pulls came from a CURVE key bound to that name
     * @param maxUnregistered most UNREGISTERED rows to keep, 0 to record none
     */
    public RecordOutcome recordPulls(Map<String, ProgressBounds> bounds, Set<String> vouched,
                                     int maxUnregistered) {
        Objects.requireNonNull(vouched, "vouched");
        if (maxUnregistered < 0) {
            throw new IllegalArgumentException("maxUnregistered must not be negative but was " + maxUnregistered);
        }
        if (bounds.isEmpty()) {
            return new RecordOutcome(List.of(), 0, Set.of());
        }
        return call(c -> {
            long now = clock.millis();
            Map<String, ConsumerState> known = states(c);
            long unregistered = known.values().stream().filter(st -> st == ConsumerState.UNREGISTERED).count();
            List<String> recorded = new ArrayList<>();
            long notRecorded = 0;
            Set<String> holding = new HashSet<>();
            known.forEach((n, st) -> {
                if (st.holdsRetention() || st == ConsumerState.UNREGISTERED && vouched.contains(n) && bounds.containsKey(n)) {
                    holding.add(n);
                }
            });
            for (Map.Entry<String, ProgressBounds> e : bounds.entrySet()) {
                String name = e.getKey();
                ProgressBounds b = e.getValue();
                boolean vouchedFor = vouched.contains(name);
                if (known.containsKey(name)) {
                    updateProgress(c, name, b, now, vouchedFor);
                } else if (vouchedFor) {
                    if (!insertConsumer(c, name, b.floor(), now, ConsumerState.ACTIVE)) {
                        updateProgress(c, name, b, now, true); // created concurrently
                    }
                    holding.add(name);
                } else if (unregistered < maxUnregistered) {
                    if (insertConsumer(c, name, b.floor(), now, ConsumerState.UNREGISTERED)) {
                        recorded.add(name);
                        unregistered++;
                    } else {
                        updateProgress(c, name, b, now, false);
                    }
                } else {
                    notRecorded++;
                }
            }
            return new RecordOutcome(recorded, notRecorded, holding);
        });
    }

    private Map<String, ConsumerState> states(Connection c) throws SQLException {
        Map<String, ConsumerState> out = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT consumer_name, state FROM " + consumers)) {
            while (rs.next()) {
                out.put(rs.getString(1), ConsumerState.valueOf(rs.getString(2).trim()));
            }
        }
        return out;
    }

    private void updateProgress(Connection c, String name, ProgressBounds b, long now, boolean vouched)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + consumers
                + " SET pos = CASE WHEN pos < ? THEN ? WHEN pos > ? THEN ? ELSE pos END, last_seen = ?,"
                + " state = CASE WHEN state = 'GONE' THEN 'GONE'"
                + (vouched ? "" : " WHEN state = 'UNREGISTERED' THEN 'UNREGISTERED'")
                + " ELSE 'ACTIVE' END WHERE consumer_name = ?")) {
            ps.setLong(1, b.floor());
            ps.setLong(2, b.floor());
            ps.setLong(3, b.ceiling());
            ps.setLong(4, b.ceiling());
            ps.setLong(5, now);
            ps.setString(6, name);
            ps.executeUpdate();
        }
    }

    /**
     * Registers a consumer before its first pull, so retention keeps everything for it from
     * {@code position} on. Re-registering a GONE consumer makes it count again, from {@code position}; registering
     * an UNREGISTERED one makes it count from the lower of its recorded position and {@code position} (a name
     * someone else pulled under first cannot push a real consumer's start forward). Registering an ACTIVE or
     * REGISTERED consumer changes nothing.
     */
    public void registerConsumer(String name, long position) {
        call(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + consumers
                    + " SET state = 'REGISTERED', pos = ? WHERE consumer_name = ? AND state = 'GONE'")) {
                ps.setLong(1, position);
                ps.setString(2, name);
                if (ps.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + consumers + " SET state = 'REGISTERED',"
                    + " pos = CASE WHEN pos < ? THEN pos ELSE ? END WHERE consumer_name = ? AND state = 'UNREGISTERED'")) {
                ps.setLong(1, position);
                ps.setLong(2, position);
                ps.setString(3, name);
                if (ps.executeUpdate() == 1) {
                    return null;
                }
            }
            insertConsumer(c, name, position, 0, ConsumerState.REGISTERED);
            return null;
        });
    }

    /**
     * Declares a consumer gone: retention no longer waits for it. An UNREGISTERED consumer's row is deleted
     * instead (it did not hold retention; this frees its place under the cap). True if it was known.
     */
    public boolean removeConsumer(String name) {
        return call(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + consumers
                    + " WHERE consumer_name = ? AND state = 'UNREGISTERED'")) {
                ps.setString(1, name);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + consumers + " SET state = 'GONE' WHERE consumer_name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Inserts a consumer row; false if one with that name exists already. */
    private boolean insertConsumer(Connection c, String name, long pos, long now, ConsumerState state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + consumers
                + " (consumer_name, pos, last_seen, state) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setLong(2, pos);
            ps.setLong(3, now);
            ps.setString(4, state.name());
            ps.executeUpdate();
            return true;
        } catch (SQLException x) {
            if (!Jdbc.isIntegrityViolation(x)) {
                throw x;
            }
            return false;
        }
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
        return call(c -> {
            long now = clock.millis();
            long head = sql.head(c);
            List<ConsumerProgress> all = consumers(c, head);
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
            long upTo = Math.min(safe, prefixOlderThan(c, now - minRetention.toMillis(), head));
            List<String> overrun = new ArrayList<>();
            if (maxRetention != null) {
                long forced = prefixOlderThan(c, now - maxRetention.toMillis(), head);
                if (forced > upTo) {
                    for (ConsumerProgress p : all) {
                        if (p.state().holdsRetention() && p.position() < forced) {
                            overrun.add(p.name());
                        }
                    }
                    upTo = forced;
                }
            }
            long min = sql.minPosition(c);
            long deleted = 0;
            if (min > 0 && upTo >= min) {
                for (long from = min; from <= upTo; from += chunk) {
                    long to = Math.min(upTo, from + chunk - 1);
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + journal + " WHERE pos >= ? AND pos <= ?")) {
                        ps.setLong(1, from);
                        ps.setLong(2, to);
                        deleted += ps.executeUpdate();
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
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
    private long prefixOlderThan(Connection c, long before, long head) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(pos) FROM " + journal
                + " WHERE pos IS NOT NULL AND produced_at >= ?")) {
            ps.setLong(1, before);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long young = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return young - 1;
                    }
                }
            }
        }
        return head;
    }

    private static long count(Connection c, String q) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T call(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(true);
            try {
                return work.run(c);
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StrongZeroStorageException("journal admin operation on " + journal + " failed", e);
        }
    }
}
