package io.strongzero.producer.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.pump.internal.ConsumerProgressWriter;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Small real collaborators and fakes for the tests of the producer's parts. */
final class Parts {

    private Parts() {
    }

    /** An executor that holds the tasks it is given (up to {@code capacity}) until a test runs them. */
    static final class HeldExecutor implements Executor {
        final Deque<Runnable> tasks = new ArrayDeque<>();
        private final int capacity;

        HeldExecutor(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public void execute(Runnable task) {
            if (tasks.size() >= capacity) {
                throw new RejectedExecutionException("full");
            }
            tasks.add(task);
        }

        void runAll() {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        }
    }

    static ProgressRecorder progress(DataSource ds) {
        return new ProgressRecorder("users", new ConsumerProgressWriter(ds, Dialect.H2, "sz_", Clock.systemUTC()), 100,
                System::currentTimeMillis, m -> { });
    }

    static Replies replies(ProducerCounters counters, ProgressRecorder progress) {
        return new Replies("users", StrongZeroMetrics.NONE, counters, progress::holdsRetention, "_unregistered");
    }

    static JournalReader reader(DataSource ds, ProducerCounters counters, TailCache tail, Executor executor,
                                AtomicInteger wakes, int maxInflightPulls) {
        return new JournalReader("users", ds, new JournalStore(Dialect.H2, "sz_"),
                new JournalReader.Limits(1000, 4 << 20, maxInflightPulls, 1L << 30, 1000), tail,
                replies(counters, progress(ds)), counters, executor, wakes::incrementAndGet);
    }
}
