package io.strongzero.producer.internal;

import io.strongzero.pump.internal.ConsumerProgressWriter;
import io.strongzero.pump.internal.ConsumerProgressWriter.ProgressBounds;
import io.strongzero.pump.internal.ConsumerProgressWriter.RecordOutcome;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What a producer learns about its consumers from their pulls, and its recording in the consumer table through
 * {@link ConsumerProgressWriter#recordPulls}: the progress each pull proves (the committed position it reports, or
 * what an older pull's position proves), whether a key bound to the name made it
 * (vouched for), the cap on names nobody vouched for, the WARNs about them, and which consumers hold retention
 * (for the meters' consumer tag).
 *
 * <p>Threads: {@link #pulled} from the frontend thread only; {@link #flush} and {@link #close} from the
 * maintenance thread only (or after it stopped); the other methods from any thread. Internal API.
 */
public final class ProgressRecorder {

    /**
     * Consumers whose previous pull is remembered (least recently pulling forgotten first). A forgotten
     * consumer's next pull counts as a first pull, which proves less but is safe; the bound keeps made-up names
     * from growing the map without end.
     */
    static final int MAX_REMEMBERED_PULLS = 100_000;
    /** At most one WARN per this interval about consumer names not recorded because of the cap. */
    static final long UNRECORDED_WARN_INTERVAL_MILLIS = 60_000;

    /** What the pulls of one consumer since the last flush proved, and whether a key bound to its name made one. */
    private record Pulled(ProgressBounds bounds, boolean vouched) {
    }

    private final String prefix;
    private final ConsumerProgressWriter writer;
    private final int maxUnregistered;
    private final Consumer<String> warn;
    /** Progress proven by pulls since the last flush. */
    private final ConcurrentHashMap<String, Pulled> progress = new ConcurrentHashMap<>();
    /** The afterPosition of each consumer's previous pull, least recently pulling first; frontend thread only. */
    private final Map<String, Long> previousPull = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REMEMBERED_PULLS;
        }
    };
    /** Names not recorded because of the cap: one WARN at once, then at most one a minute, and at close. */
    private final HeldBackLog unrecorded;
    private volatile Set<String> holdingRetention = Set.of();

    /**
     * @param producer        the producer's name, for the WARNs
     * @param writer          the journal's consumer table
     * @param maxUnregistered most UNREGISTERED rows (the producer's {@code maxUnregisteredConsumers})
     * @param clock           monotonic milliseconds, for the rate of the WARN about names not recorded
     * @param warn            where the WARNs go
     */
    public ProgressRecorder(String producer, ConsumerProgressWriter writer, int maxUnregistered, LongSupplier clock,
                            Consumer<String> warn) {
        this.prefix = "strongzero-producer[" + Objects.requireNonNull(producer, "producer") + "]: ";
        this.writer = Objects.requireNonNull(writer, "writer");
        this.maxUnregistered = maxUnregistered;
        this.warn = Objects.requireNonNull(warn, "warn");
        this.unrecorded = new HeldBackLog(UNRECORDED_WARN_INTERVAL_MILLIS, clock, warn,
                (held, kinds, total) -> unrecordedLine(held, total));
    }

    /**
     * A pull of protocol version 1 or 2, which does not say what the consumer has committed, that the frontend
     * accepted (frontend thread). With prefetch a consumer asks for the messages after a batch
     * before it has committed that batch. It had committed what its previous pull asked after (it applied that
     * batch before sending this pull), so progress, which retention trusts, is the lower of the two positions. The
     * first pull this producer sees from a consumer (after either of them restarted) may be such a prefetching
     * pull: it proves only that the batch before it, at most {@code maxMessages} long, was committed, so the
     * position recorded earlier stays if it lies between the two.
     *
     * @param vouched true if the connection's key is bound to consumer names (and so to this one)
     */
    public void pulled(String consumer, long afterPosition, int maxMessages, boolean vouched) {
        Long previous = previousPull.put(consumer, afterPosition);
        long proven = previous == null ? Math.max(0, afterPosition - maxMessages) : Math.min(previous, afterPosition);
        ProgressBounds bounds = new ProgressBounds(proven,
                previous == null ? afterPosition : proven);
        progress.compute(consumer, (k, old) -> new Pulled(bounds, vouched || old != null && old.vouched()));
    }

    /**
     * A pull the frontend accepted that says what the consumer has committed (frontend thread): protocol version 3
     * and later. Its afterPosition may be well ahead of that (prefetch, or lanes pulling after the highest position
     * dispatched while the lowest lane trails), so progress, which retention trusts, is {@code committedPosition}
     * exactly: the consumer resumes after it when it restarts. It is also what a later pull of an older version from
     * the same name is compared with (see {@link #pulled}).
     *
     * @param vouched true if the connection's key is bound to consumer names (and so to this one)
     */
    public void committed(String consumer, long committedPosition, boolean vouched) {
        previousPull.put(consumer, committedPosition);
        ProgressBounds bounds = new ProgressBounds(committedPosition, committedPosition);
        progress.compute(consumer, (k, old) -> new Pulled(bounds, vouched || old != null && old.vouched()));
    }

    /** Reads which consumers hold retention (at start, before the first flush). */
    public void load() {
        Set<String> real = new HashSet<>();
        writer.states().forEach((consumer, state) -> {
            if (state.holdsRetention()) {
                real.add(consumer);
            }
        });
        holdingRetention = real;
    }

    /**
     * Records the progress of the pulls since the last flush (maintenance thread). On failure the progress is
     * kept for the next flush and the exception thrown.
     */
    public void flush() {
        unrecorded.tick();
        if (progress.isEmpty()) {
            return;
        }
        Map<String, Pulled> snapshot = new HashMap<>();
        for (String k : progress.keySet()) {
            Pulled v = progress.remove(k);
            if (v != null) {
                snapshot.put(k, v);
            }
        }
        Map<String, ProgressBounds> bounds = new HashMap<>();
        Set<String> vouched = new HashSet<>();
        snapshot.forEach((k, v) -> {
            bounds.put(k, v.bounds());
            if (v.vouched()) {
                vouched.add(k);
            }
        });
        RecordOutcome outcome;
        try {
            outcome = writer.recordPulls(bounds, vouched, maxUnregistered);
        } catch (RuntimeException e) {
            snapshot.forEach(progress::putIfAbsent); // try again next time
            throw e;
        }
        holdingRetention = outcome.holdingRetention();
        List<String> names = outcome.recordedUnregistered();
        if (!names.isEmpty()) {
            warn.accept(prefix + "recorded " + (names.size() == 1 ? "consumer " : names.size() + " consumers: ")
                    + sample(names) + " as UNREGISTERED (pulled without an authenticated name: plaintext, or a CURVE key "
                    + "not bound to consumer names): progress and lag are shown, but retention does NOT wait for an "
                    + "unregistered consumer. Register a real one ('strongzero consumers register <name>', "
                    + "JournalAdmin.registerConsumer or StrongZeroProducer.registerConsumer) or bind its CURVE key to its "
                    + "name (ProducerSecurity.consumerNames); docs/security.md");
        }
        if (outcome.notRecorded() > 0 && unrecorded.acquire("not recorded", outcome.notRecorded())) {
            warn.accept(unrecordedLine(outcome.notRecorded(), unrecorded.total()));
        }
    }

    /** Writes the WARN about names not recorded that is still held back (maintenance thread stopped). */
    public void close() {
        unrecorded.flush();
    }

    /** True if the consumer held retention (ACTIVE or REGISTERED) at the last flush or registration. */
    public boolean holdsRetention(String consumer) {
        return holdingRetention.contains(consumer);
    }

    /** The producer registered (true) or removed (false) a consumer: its meters follow at once. */
    public void changed(String consumer, boolean holds) {
        Set<String> real = new HashSet<>(holdingRetention);
        if (holds) {
            real.add(consumer);
        } else {
            real.remove(consumer);
        }
        holdingRetention = real;
    }

    /** Names not recorded since start because the cap was reached. */
    public long unrecordedCount() {
        return unrecorded.total();
    }

    private String unrecordedLine(long names, long total) {
        return prefix + "did not record " + names + " consumer name" + (names == 1 ? "" : "s")
                + " pulled without an authenticated name (" + total + " in all): " + maxUnregistered
                + " UNREGISTERED consumers, the maxUnregisteredConsumers cap, are recorded already. These pulls are "
                + "served, but their progress and lag are not recorded and retention does not wait for them. Register "
                + "real consumers ('strongzero consumers register <name>' or JournalAdmin.registerConsumer), bind their "
                + "CURVE keys to their names (ProducerSecurity.consumerNames), or remove unregistered ones that are not "
                + "real ('strongzero consumers remove <name>'); docs/security.md";
    }

    private static String sample(List<String> names) {
        return names.size() <= 10 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 10)) + " and " + (names.size() - 10) + " more";
    }
}
