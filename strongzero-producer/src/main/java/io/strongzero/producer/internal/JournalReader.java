package io.strongzero.producer.internal;

import io.strongzero.core.Envelope;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.Protocol;
import io.strongzero.core.internal.Secrets;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;

/**
 * Answers pulls that have positions to read: from the in-memory {@link TailCache} when it holds them, else with
 * a journal read on a reader thread, whose reply is queued for the frontend ({@link #nextReply()}) and announced
 * with the wake-up action. Keeps the budgets: pulls and reply bytes in flight, reads per connection
 * ({@link ConnectionQuota}) and the readers' queue; past any of them a pull gets BUSY with a retry-after.
 * {@link #dispatch} and {@link #nextReply} are called by the frontend thread; reads run on the executor.
 * Internal API.
 */
public final class JournalReader {

    private static final Logger log = ProducerLog.LOG;
    /** Journal reads one connection may have queued or running; more get BUSY, so no connection hogs the readers. */
    public static final int MAX_READS_PER_CONNECTION = 8;

    /** The bounds of replies and of what may be in flight. */
    public record Limits(int maxBatchMessages, int maxBatchBytes, int maxInflightPulls, long maxInflightBytes,
                         int maxQueuedReads) {
    }

    /**
     * What one read transaction found: the batch, or (when {@code expiredBelow > 0}) that the position asked for
     * was deleted by retention and the oldest position kept is {@code expiredBelow}.
     */
    private record Found(List<Envelope> batch, long expiredBelow) {
    }

    private final String name;
    private final DataSource dataSource;
    private final JournalStore journal;
    private final Limits limits;
    private final TailCache tail;
    private final Replies replies;
    private final ProducerCounters counters;
    private final Executor readers;
    private final Runnable wake;
    private final ConnectionQuota reads = new ConnectionQuota(MAX_READS_PER_CONNECTION);
    private final ConcurrentLinkedQueue<List<byte[]>> done = new ConcurrentLinkedQueue<>();

    /**
     * @param tail    the in-memory tail, or {@code null} if off
     * @param readers runs the journal reads; may refuse ({@link RejectedExecutionException}) when its queue is full
     * @param wake    tells the frontend a reply is queued
     */
    public JournalReader(String name, DataSource dataSource, JournalStore journal, Limits limits, TailCache tail,
                         Replies replies, ProducerCounters counters, Executor readers, Runnable wake) {
        this.name = name;
        this.dataSource = dataSource;
        this.journal = journal;
        this.limits = limits;
        this.tail = tail;
        this.replies = replies;
        this.counters = counters;
        this.readers = readers;
        this.wake = wake;
    }

    /**
     * Serves {@code pull} (whose position is below {@code head}): a BUSY or a reply from memory goes to
     * {@code sendNow}; a journal read's reply comes later from {@link #nextReply()}.
     */
    public void dispatch(RequestCheck.Pull pull, long head, Consumer<List<byte[]>> sendNow) {
        Protocol.PullRequest r = pull.request();
        if (counters.inflightPulls.get() >= limits.maxInflightPulls()
                || counters.inflightBytes.get() >= limits.maxInflightBytes()) {
            sendNow.accept(replies.busy(pull, 50, "is serving " + counters.inflightPulls.get() + " pulls ("
                    + counters.inflightBytes.get() + " bytes) at once; retry later"));
            return;
        }
        if (tail != null) {
            List<Envelope> cached = tail.after(r.afterPosition(), maxMessages(r), maxBytes(r));
            if (cached != null && !cached.isEmpty()) {
                sendNow.accept(replies.batch(pull, head, cached));
                counters.servedFromMemory.addAndGet(cached.size());
                return;
            }
        }
        byte[] connection = pull.route().frames().get(0);
        if (!reads.tryAcquire(connection)) {
            sendNow.accept(replies.busy(pull, 100, "has " + reads.limit() + " reads queued for this connection; "
                    + "retry later"));
            return;
        }
        counters.inflightPulls.incrementAndGet();
        try {
            readers.execute(() -> read(pull, head));
        } catch (RejectedExecutionException e) {
            reads.release(connection);
            counters.inflightPulls.decrementAndGet();
            sendNow.accept(replies.busy(pull, 100, "has " + limits.maxQueuedReads() + " reads queued; retry later"));
        }
    }

    /** The next reply a read finished, with its budgets given back; null if none is queued. */
    public List<byte[]> nextReply() {
        List<byte[]> reply = done.poll();
        if (reply != null) {
            reads.release(reply.get(0));
            counters.inflightPulls.decrementAndGet();
            counters.inflightBytes.addAndGet(-size(reply));
        }
        return reply;
    }

    private int maxMessages(Protocol.PullRequest r) {
        return Math.min(r.maxMessages(), limits.maxBatchMessages());
    }

    private int maxBytes(Protocol.PullRequest r) {
        return Math.min(r.maxBytes(), limits.maxBatchBytes());
    }

    private void read(RequestCheck.Pull pull, long head) {
        Protocol.PullRequest r = pull.request();
        List<byte[]> frames;
        try (Connection c = dataSource.getConnection()) {
            Found got = Transactions.inTransaction(c, tx -> {
                List<Envelope> batch = journal.read(tx, r.afterPosition(), maxMessages(r), maxBytes(r));
                if (batch.isEmpty() && head > r.afterPosition()) {
                    long min = journal.minPosition(tx);
                    if (min > r.afterPosition() + 1) {
                        return new Found(batch, min);
                    }
                }
                return new Found(batch, 0);
            });
            frames = got.expiredBelow() > 0
                    ? Replies.error(pull.route(), r.requestId(), ErrorCode.POSITION_EXPIRED, 0, "position "
                            + (r.afterPosition() + 1) + " was removed from the journal of " + name + " (oldest kept: "
                            + got.expiredBelow() + ")")
                    : replies.batch(pull, head, got.batch());
        } catch (SQLException | RuntimeException e) {
            log.warn("strongzero-producer[{}]: reading the journal after position {} for consumer {} failed: {}", name,
                    r.afterPosition(), r.consumerName(), Secrets.redact(e.toString()));
            frames = Replies.error(pull.route(), r.requestId(), ErrorCode.INTERNAL, 1000,
                    "producer " + name + " could not read its journal; retry later");
        }
        counters.inflightBytes.addAndGet(size(frames));
        done.add(frames);
        wake.run();
    }

    private static long size(List<byte[]> frames) {
        long n = 0;
        for (byte[] f : frames) {
            n += f.length;
        }
        return n;
    }
}
