package io.strongzero.producer.internal;

import io.strongzero.core.Schema;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Threads;
import io.strongzero.producer.ProducerConfig;
import io.strongzero.pump.JournalAdmin;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.pump.internal.ConsumerProgressWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The producer's upkeep of its consumer table and journal: registering and removing consumers, and the background
 * work on its {@code strongzero-producer-<name>-maintenance} thread: writing the
 * consumer progress its pulls recorded every {@code progressInterval}, and journal retention every
 * {@code retentionInterval} when retention is configured. Remembers the last failure for the health until a
 * pass succeeds. Lifecycle: {@link #start()} once, {@link #close()}. Thread-safe. Internal API.
 */
public final class Maintenance implements AutoCloseable {

    private static final Logger log = ProducerLog.LOG;

    /**
     * When and how retention runs.
     *
     * @param min      rows older than this that every consumer holding retention has pulled past go; null: off
     * @param max      rows older than this go whatever the consumers; null: no such bound
     * @param interval how often it runs
     * @param chunk    positions one delete covers
     */
    public record Retention(Duration min, Duration max, Duration interval, int chunk) {
    }

    private final String name;
    private final ProgressRecorder progress;
    private final JournalAdmin admin;
    private final Duration progressInterval;
    private final Retention retention;
    private volatile String lastError;
    private ScheduledExecutorService executor;

    public Maintenance(String name, ProgressRecorder progress, JournalAdmin admin, Duration progressInterval,
                       Retention retention) {
        this.name = name;
        this.progress = progress;
        this.admin = admin;
        this.progressInterval = progressInterval;
        this.retention = retention;
    }

    /**
     * The maintenance of {@code pump}'s journal with {@code config}'s intervals and retention, over a new
     * {@link ProgressRecorder} and {@link JournalAdmin} (wall-clock timestamps from the system clock, intervals
     * from {@code ticker}).
     */
    public static Maintenance of(StrongZeroPump pump, ProducerConfig config, Ticker ticker) {
        String name = pump.name();
        ProgressRecorder progress = new ProgressRecorder(name, new ConsumerProgressWriter(pump.dataSource(),
                pump.dialect(), pump.tablePrefix(), Clock.systemUTC()), config.maxUnregisteredConsumers(), ticker::millis,
                log::warn);
        return new Maintenance(name, progress, new JournalAdmin(pump.dataSource(), pump.dialect(), pump.tablePrefix(),
                Clock.systemUTC()), config.progressInterval(), new Retention(config.retentionMin(), config.retentionMax(),
                config.retentionInterval(), config.retentionChunk()));
    }

    /** The consumer progress recorded from pulls. */
    public ProgressRecorder progress() {
        return progress;
    }

    /** Journal status and consumer operations. */
    public JournalAdmin admin() {
        return admin;
    }

    /**
     * Checks the consumer table of {@code pump}'s journal and reads the consumers recorded in it (if that fails the
     * first progress flush reads them).
     *
     * @throws io.strongzero.core.StrongZeroSchemaException if the table is missing
     */
    public void prepare(StrongZeroPump pump) {
        Schema.verifyTable(pump.dataSource(), pump.dialect(), Schema.Side.PRODUCER, pump.tablePrefix() + "consumer",
                "consumer_name", "pos", "last_seen", "state");
        try {
            progress.load();
        } catch (RuntimeException e) {
            log.debug("strongzero-producer[{}]: reading the consumers failed; the first progress flush reads them", name, e);
        }
    }

    /** Registers a consumer, so retention waits for it (see {@link JournalAdmin#registerConsumer}). */
    public void register(String consumer) {
        admin.registerConsumer(consumer, 0);
        progress.changed(consumer, true);
    }

    /** Declares a consumer gone, so retention no longer waits for it; false if it was not known. */
    public boolean remove(String consumer) {
        boolean known = admin.removeConsumer(consumer);
        progress.changed(consumer, false);
        return known;
    }

    /** Starts the thread and schedules the passes. */
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Threads.factory("producer", name + "-maintenance"));
        executor.scheduleWithFixedDelay(this::flushProgress, progressInterval.toMillis(), progressInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        if (retention.min() != null) {
            executor.scheduleWithFixedDelay(this::runRetention, retention.interval().toMillis(),
                    retention.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the recorded progress now; a failure is remembered (and logged at DEBUG), never thrown. */
    public void flushProgress() {
        try {
            progress.flush();
            lastError = null;
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            log.debug("strongzero-producer[{}]: recording consumer progress failed", name, e);
        }
    }

    /** One scheduled retention pass; a failure is remembered and logged, never thrown. */
    void runRetention() {
        try {
            cleanUpNow();
            lastError = null;
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            log.warn("strongzero-producer[{}]: journal retention failed; will retry: {}", name, e.getMessage());
        }
    }

    /**
     * One retention pass now.
     *
     * @throws IllegalStateException if no retention is configured
     */
    public JournalAdmin.RetentionResult cleanUpNow() {
        if (retention.min() == null) {
            throw new IllegalStateException("producer " + name + " has no retention configured: use retention(min, max)");
        }
        return admin.cleanUp(retention.min(), retention.max(), retention.chunk());
    }

    /** The last failed pass's message, or null if the last pass succeeded. */
    public String lastError() {
        return lastError;
    }

    /**
     * Stops the thread, waiting up to 5 s; once it has stopped the progress recorder is closed (its counters are
     * the caller's then). Restores the interrupt flag if interrupted.
     */
    @Override
    public void close() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (executor.awaitTermination(5, TimeUnit.SECONDS)) {
                progress.close(); // the maintenance thread has stopped: its counters are ours now
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
