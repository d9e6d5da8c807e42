package io.strongzero.pump.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.internal.Transactions;
import io.strongzero.pump.JournalAdmin.ConsumerState;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Records in the producer's consumer table what consumers' pulls prove about their committed progress, and
 * decides their states (the producer's side of {@link io.strongzero.pump.JournalAdmin}; operators use that).
 * Each call opens one connection and runs in auto-commit mode. Stateless and thread-safe. Internal API.
 */
public final class ConsumerProgressWriter {

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

    private final DataSource dataSource;
    private final ConsumerRegistryStore registry;
    private final String journal;
    private final Clock clock;

    public ConsumerProgressWriter(DataSource dataSource, Dialect dialect, String tablePrefix, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.registry = new ConsumerRegistryStore(dialect, tablePrefix);
        this.journal = Schema.validatePrefix(tablePrefix) + "journal";
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every recorded consumer's state, by name. */
    public Map<String, ConsumerState> states() {
        return call(registry::states);
    }

    /**
     * Records the progress of pulls, deciding each consumer's state:
     *
     * <ul>
     *   <li>a known consumer's position moves within its bounds (a recorded position inside them is kept, one
     *       outside moves to the nearer bound); REGISTERED becomes ACTIVE; GONE stays GONE; UNREGISTERED becomes
     *       ACTIVE if its name is in {@code vouched}, else stays UNREGISTERED;</li>
     *   <li>an unknown name in {@code vouched} (a pull from a CURVE key bound to that name) is created ACTIVE at
     *       its floor;</li>
     *   <li>an unknown name nobody vouched for (plaintext, or a CURVE key without a name binding) is created
     *       UNREGISTERED at its floor while fewer than {@code maxUnregistered} UNREGISTERED rows exist, else not
     *       recorded.</li>
     * </ul>
     *
     * Bounds are how a producer that has just started records a consumer's first pull, which may be a prefetching
     * one: the recorded position, proven by an earlier pull, stays (no lag spike, no progress beyond what is
     * committed). The table is read once per call, so one producer never exceeds the cap; producers sharing a
     * journal that record at the same moment may each add names up to it.
     *
     * @param bounds          per consumer name, what its pulls prove
     * @param vouched         the names whose pulls came from a CURVE key bound to that name
     * @param maxUnregistered most UNREGISTERED rows to keep, 0 to record none
     */
    public RecordOutcome recordPulls(Map<String, ProgressBounds> bounds, Set<String> vouched, int maxUnregistered) {
        Objects.requireNonNull(vouched, "vouched");
        if (maxUnregistered < 0) {
            throw new IllegalArgumentException("maxUnregistered must not be negative but was " + maxUnregistered);
        }
        if (bounds.isEmpty()) {
            return new RecordOutcome(List.of(), 0, Set.of());
        }
        return call(c -> {
            long now = clock.millis();
            Map<String, ConsumerState> known = registry.states(c);
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
                    registry.recordPull(c, name, b.floor(), b.ceiling(), now, vouchedFor);
                } else if (vouchedFor) {
                    if (!registry.insert(c, name, b.floor(), now, ConsumerState.ACTIVE)) {
                        registry.recordPull(c, name, b.floor(), b.ceiling(), now, true); // created concurrently
                    }
                    holding.add(name);
                } else if (unregistered < maxUnregistered) {
                    if (registry.insert(c, name, b.floor(), now, ConsumerState.UNREGISTERED)) {
                        recorded.add(name);
                        unregistered++;
                    } else {
                        registry.recordPull(c, name, b.floor(), b.ceiling(), now, false);
                    }
                } else {
                    notRecorded++;
                }
            }
            return new RecordOutcome(recorded, notRecorded, holding);
        });
    }

    private <T> T call(Transactions.SqlWork<T> work) {
        try {
            return Transactions.autoCommit(dataSource, work);
        } catch (SQLException e) {
            throw new StrongZeroStorageException("journal admin operation on " + journal + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "ConsumerProgressWriter[" + registry.table() + "]";
    }
}
