package io.strongzero.micrometer;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value loaded by a (database) query and reused for a time to live, so that however often gauges are
 * read the query runs at most once per interval. A failed load is remembered for the same time (null
 * value), so an unreachable database is not asked again on every read either. Thread-safe: concurrent
 * readers wait for one load.
 */
final class Cached<T> {

    private static final Logger log = LoggerFactory.getLogger(Cached.class);

    private final String what;
    private final Supplier<T> source;
    private final long ttlNanos;
    private final LongSupplier ticker;
    private T value;
    private long loadedAt;
    private boolean loaded;
    private boolean failing;
    private long loads;

    Cached(String what, Supplier<T> source, Duration ttl, LongSupplier ticker) {
        this.what = what;
        this.source = source;
        this.ttlNanos = ttl.toNanos();
        this.ticker = ticker;
    }

    /** The current value, loading it if it is older than the time to live; null if the last load failed. */
    synchronized T get() {
        long now = ticker.getAsLong();
        if (!loaded || now - loadedAt >= ttlNanos) {
            loaded = true;
            loads++;
            try {
                value = source.get();
                if (failing) {
                    log.info("strongzero-micrometer: reading {} works again", what);
                }
                failing = false;
            } catch (RuntimeException e) {
                value = null;
                if (!failing) {
                    log.warn("strongzero-micrometer: reading {} for gauges failed; they show NaN until it works: {}",
                            what, e.toString());
                } else {
                    log.debug("strongzero-micrometer: reading {} failed again", what, e);
                }
                failing = true;
            }
            // measured after the load, so a slow query does not make the next read load again at once
            loadedAt = ticker.getAsLong();
        }
        return value;
    }

    /** How many loads ran (for tests). */
    synchronized long loads() {
        return loads;
    }
}
