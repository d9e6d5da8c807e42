package io.strongzero.consumer;

import io.strongzero.consumer.internal.BatchApplier;
import io.strongzero.consumer.internal.ConsumerCounters;
import io.strongzero.consumer.internal.ConsumerStores;
import io.strongzero.consumer.internal.DeadLetterStore;
import io.strongzero.consumer.internal.LanePositions;
import io.strongzero.consumer.internal.OffsetStore;
import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Headers;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operations on a consumer's dead letters: list, show, replay with the current handler, discard with a
 * reason. Obtained from {@link StrongZeroConsumer#deadLetters()}; works whether or not the consumer is
 * started (replay needs its handlers). Thread-safe.
 *
 * <ul>
 *   <li>Replaying a PARKED message runs the handler and removes the row in one transaction (in MANUAL
 *       mode: the handler's {@code consumed(connection)} removes it). The stream had already moved on,
 *       so the message is applied out of its original order.</li>
 *   <li>Replaying a BLOCKING message applies it, moves the offset past it and removes the row in one
 *       transaction; the blocked stream then resumes.</li>
 *   <li>Discarding marks the row DISCARDED with the reason (kept for the record); a BLOCKING message's
 *       offset moves past it in the same transaction, and the stream resumes.</li>
 * </ul>
 * A failed replay appends its failure to the row's history and leaves the row as it was.
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final BatchApplier applier;   // null without a consumer in this process (open)
    private final ConsumerCounters counters;
    private final DataSource dataSource;
    private final String consumerName;
    private final String prefix;
    private final DeadLetterStore letters;
    private volatile PositionStore offsets;   // without a consumer: made on first use, with the dialect detected then
    private final Clock clock;

    /** The operations of a consumer: replays go through its applier and count in its counters. */
    DeadLetters(BatchApplier applier, ConsumerCounters counters) {
        this(applier, counters, applier.stores());
    }

    private DeadLetters(BatchApplier applier, ConsumerCounters counters, ConsumerStores stores) {
        this.applier = applier;
        this.counters = counters;
        this.dataSource = stores.dataSource();
        this.consumerName = stores.consumer();
        this.prefix = stores.prefix();
        this.letters = stores.letters();
        this.offsets = stores.positions();
        this.clock = stores.clock();
    }

    /**
     * Dead-letter operations without a consumer in this process (for tools such as the admin CLI): list,
     * show, discard and {@link #requestReplay}; {@link #replay} needs the consumer's handlers and is refused.
     * The SQL dialect is detected from the first connection that needs it.
     */
    public static DeadLetters open(DataSource dataSource, String consumerName, String tablePrefix) {
        return new DeadLetters(null, null, new ConsumerStores(consumerName, Objects.requireNonNull(dataSource,
                "dataSource"), tablePrefix, ConsumerTransactions.jdbc(), null, new DeadLetterStore(tablePrefix),
                Clock.systemUTC()));
    }

    /**
     * Asks the running consumer to replay a PARKED or BLOCKING dead letter (it does so within seconds, with
     * its current handler). For tools that cannot run handlers; a consumer in this process can call
     * {@link #replay} directly.
     *
     * @throws IllegalArgumentException if there is no such open dead letter
     */
    public void requestReplay(String producer, FlakeId id) {
        boolean changed = withConnection(c -> letters.requestReplay(c, consumerName, producer, id));
        if (!changed) {
            throw new IllegalArgumentException("consumer " + consumerName + " has no PARKED or BLOCKING dead letter " + id
                    + " from producer " + producer);
        }
        log.info("strongzero-consumer[{}]: replay of dead letter {} (producer {}) requested", consumerName, id, producer);
    }

    /** The result of a replay. */
    public record ReplayResult(FlakeId id, boolean applied, String failure) {
    }

    /** Dead letters, filtered by producer, type and status (each null for any), at most {@code limit}. */
    public List<DeadLetter> list(String producer, String type, DeadLetter.Status status, int limit) {
        return withConnection(c -> letters.list(c, consumerName, producer, type, status, limit));
    }

    /**
     * All dead letters that are not discarded (BLOCKING, then REPLAY_REQUESTED, then PARKED), up to 10,000 of each.
     * Their number is {@link #count()}.
     */
    public List<DeadLetter> open() {
        List<DeadLetter> out = new ArrayList<>(list(null, null, DeadLetter.Status.BLOCKING, 10_000));
        out.addAll(list(null, null, DeadLetter.Status.REPLAY_REQUESTED, 10_000));
        out.addAll(list(null, null, DeadLetter.Status.PARKED, 10_000));
        return out;
    }

    /** One dead letter with its full history. */
    public Optional<DeadLetter> get(String producer, FlakeId id) {
        return Optional.ofNullable(withConnection(c -> letters.get(c, consumerName, producer, id)));
    }

    /**
     * Dead letters not discarded: PARKED, BLOCKING and REPLAY_REQUESTED (a replay asked for but not yet carried
     * out still needs attention). The same figure as the consumer's health detail {@code deadLetters} and the
     * {@code strongzero.consumer.dead.letters.open} gauge.
     */
    public long count() {
        return withConnection(c -> letters.countOpen(c, consumerName));
    }

    /**
     * Runs the current handler on a dead letter; on success its effects commit with the removal of the row
     * (and, for a BLOCKING one, the offset move).
     *
     * @throws IllegalArgumentException if there is no such dead letter, or it was discarded
     */
    public ReplayResult replay(String producer, FlakeId id) {
        if (applier == null) {
            throw new IllegalStateException("replay runs the consumer's handler: call it on consumer.deadLetters(), or use "
                    + "requestReplay(...) to have the running consumer " + consumerName + " do it");
        }
        DeadLetter letter = get(producer, id).orElseThrow(() -> new IllegalArgumentException("consumer "
                + consumerName + " has no dead letter " + id + " from producer " + producer));
        if (letter.status() == DeadLetter.Status.DISCARDED) {
            throw new IllegalArgumentException("dead letter " + id + " was discarded (" + letter.discardReason()
                    + "); it cannot be replayed");
        }
        Envelope e = new Envelope(letter.position(), letter.id(), letter.type(), letter.contentType(), letter.payload(),
                letter.producedAt().toEpochMilli(), letter.key(), Headers.of(letter.headers()));
        int attempt = letter.attempts() + 1;
        boolean blocking = withConnection(c -> holdsTheStream(c, producer, letter));
        BatchApplier.Result result = applier.replay(producer, e, attempt, letter.status(), blocking);
        if (result instanceof BatchApplier.Committed committed) {
            counters.replayCommitted();
            committed.runAfterCommit(consumerName);
            log.info("strongzero-consumer[{}]: replayed dead letter {} (producer {}, position {}, type {})",
                    consumerName, id, producer, e.position(), e.type());
            return new ReplayResult(id, true, null);
        }
        Throwable failure = ((BatchApplier.Failed) result).cause();
        FailureRecord record = FailureRecord.of(attempt, clock.instant(), failure);
        withConnection(c -> {
            letters.recordFailure(c, letter, record);
            return null;
        });
        log.warn("strongzero-consumer[{}]: replay of dead letter {} failed: {}", consumerName, id, failure.toString());
        return new ReplayResult(id, false, failure.toString());
    }

    /**
     * True if {@code letter} stops its stream, so that replaying or discarding it must move the offset past it: it is
     * BLOCKING or replay-requested while the stream's single position stands just before it. A dead letter of a
     * stream applied in lanes stops only its key (its lane passed it): replaying or discarding it moves nothing,
     * and the lane then applies the key's held messages.
     */
    private boolean holdsTheStream(Connection c, String producer, DeadLetter letter) throws SQLException {
        if (letter.status() != DeadLetter.Status.BLOCKING && letter.status() != DeadLetter.Status.REPLAY_REQUESTED) {
            return false;
        }
        PositionStore o = offsets(c);
        Long offset;
        if (o instanceof OffsetStore lanes) {
            LanePositions recorded = lanes.loadLanes(c, consumerName, producer);
            offset = recorded == null || recorded.lanes() > 1 ? null : recorded.position(0);
        } else {
            offset = o.load(c, consumerName, producer);
        }
        return offset != null && offset == letter.position() - 1;
    }

    /** Replays every open dead letter of a producer (or of all producers if null), in position order. */
    public List<ReplayResult> replayAll(String producer) {
        List<ReplayResult> out = new ArrayList<>();
        for (DeadLetter l : list(producer, null, DeadLetter.Status.BLOCKING, 10_000)) {
            out.add(replay(l.producer(), l.id()));
        }
        for (DeadLetter l : list(producer, null, DeadLetter.Status.PARKED, 10_000)) {
            out.add(replay(l.producer(), l.id()));
        }
        return out;
    }

    /**
     * Marks a dead letter DISCARDED with a reason; for one that stops its stream (BLOCKING, or REPLAY_REQUESTED
     * while the offset still stands just before it) the offset moves past it in the same transaction, so the
     * stream resumes.
     *
     * @throws IllegalArgumentException if there is no such open dead letter, or the reason is blank
     */
    public void discard(String producer, FlakeId id, String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 1000) {
            throw new IllegalArgumentException("a discard needs a reason of 1 to 1000 characters");
        }
        DeadLetter letter = get(producer, id).orElseThrow(() -> new IllegalArgumentException("consumer "
                + consumerName + " has no dead letter " + id + " from producer " + producer));
        if (letter.status() == DeadLetter.Status.DISCARDED) {
            throw new IllegalArgumentException("dead letter " + id + " is already discarded");
        }
        withTransaction(c -> {
            if (holdsTheStream(c, producer, letter) && !offsets(c).advance(c, consumerName, producer,
                    letter.position() - 1, letter.position(), id, clock.millis())) {
                throw new StrongZeroException("the offset of consumer " + consumerName + " for producer " + producer
                        + " is not just before blocking message " + id);
            }
            if (!letters.discard(c, consumerName, producer, id, letter.status(), reason)) {
                throw new StrongZeroException("dead letter " + id + " was replayed or discarded concurrently");
            }
            return null;
        });
        log.info("strongzero-consumer[{}]: discarded dead letter {} (producer {}, position {}): {}", consumerName, id,
                producer, letter.position(), reason);
    }

    /**
     * The consumers this database knows: those with a row in the offset table (written when a consumer starts a
     * stream from a producer) or in the dead-letter table, this consumer among them once it has started. In the
     * database's name order, each once; empty if none. For tools that check a name before acting on it (a name
     * not among them is a typo or the wrong database). Reads the database at each call; thread-safe.
     *
     * @throws StrongZeroStorageException if the tables cannot be read
     */
    public List<String> knownConsumers() {
        return withConnection(c -> letters.knownConsumers(c));
    }

    /**
     * The producers this consumer has an offset row or a dead letter for, in the database's name order, each once;
     * empty if none (it never started and has no dead letters). Reads the database at each call; thread-safe.
     *
     * @throws StrongZeroStorageException if the tables cannot be read
     */
    public List<String> knownProducers() {
        return withConnection(c -> letters.knownProducers(c, consumerName));
    }

    /** The offset store: the consumer's, or (for {@link #open}) one made with the dialect of {@code c}. */
    private PositionStore offsets(Connection c) throws SQLException {
        PositionStore o = offsets;
        if (o == null) {
            o = PositionStore.jdbc(Dialect.detect(c), prefix);
            offsets = o;
        }
        return o;
    }

    private <T> T withConnection(Transactions.SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return Transactions.autoCommit(c, work);
        } catch (SQLException e) {
            throw new StrongZeroStorageException("dead-letter operation on consumer " + consumerName + " failed", e);
        }
    }

    private <T> T withTransaction(Transactions.SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return Transactions.inTransaction(c, work);
        } catch (SQLException e) {
            throw new StrongZeroStorageException("dead-letter operation on consumer " + consumerName + " failed", e);
        }
    }
}
