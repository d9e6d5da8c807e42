package io.strongzero.consumer.internal;

import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.HandlerContext;
import io.strongzero.consumer.IdempotencyGuard;
import io.strongzero.core.Envelope;
import io.strongzero.core.StrongZeroStorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HandlerContext} of one delivery: in AUTO mode the guarded connection of the consumer's transaction and
 * its after-commit actions; in MANUAL mode a {@link ManualOffset} that {@code consumed(connection)} records. Valid
 * during the handler call.
 */
final class DeliveryContext implements HandlerContext {

    private static final Logger log = LoggerFactory.getLogger(DeliveryContext.class);

    private final Envelope message;
    private final int attempt;
    private final Connection connection;
    private final ManualOffset manual;
    private final AfterCommit afterCommit;
    private final IdempotencyGuard idempotency;

    private DeliveryContext(Envelope message, int attempt, Connection connection, ManualOffset manual,
                            AfterCommit afterCommit, IdempotencyGuard idempotency) {
        this.message = message;
        this.attempt = attempt;
        this.connection = connection;
        this.manual = manual;
        this.afterCommit = afterCommit;
        this.idempotency = idempotency;
    }

    /** AUTO: the handler writes on {@code connection} (guarded) and registers after-commit actions. */
    static DeliveryContext auto(Envelope message, int attempt, Connection connection, AfterCommit afterCommit,
                                IdempotencyGuard idempotency) {
        return new DeliveryContext(message, attempt, connection, null, afterCommit, idempotency);
    }

    /** MANUAL: the handler runs its own transaction and records the message with {@code consumed(connection)}. */
    static DeliveryContext manual(Envelope message, int attempt, ManualOffset offset, IdempotencyGuard idempotency) {
        return new DeliveryContext(message, attempt, null, offset, null, idempotency);
    }

    @Override
    public Connection connection() {
        return inThisMode(connection, "connection() is for TransactionMode.AUTO; in MANUAL the handler uses its own "
                + "connection and calls consumed(connection) before committing");
    }

    @Override
    public void consumed(Connection c) {
        inThisMode(manual, "consumed(connection) is for TransactionMode.MANUAL; in AUTO the consumer records the "
                + "offset itself").consumed(c);
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public IdempotencyGuard.Outcome once(String effectName, IdempotencyGuard.SideEffect effect) throws Exception {
        return idempotency.once(message.id(), effectName, effect);
    }

    @Override
    public void afterCommit(Runnable action) {
        inThisMode(afterCommit, "afterCommit(action) is for TransactionMode.AUTO; in MANUAL the handler commits its "
                + "own transaction and can act right after that").add(action);
    }

    /** {@code part} of this delivery, or the {@code misuse} refusal when the transaction mode has no such part. */
    private static <T> T inThisMode(T part, String misuse) {
        if (part == null) {
            throw new IllegalStateException(misuse);
        }
        return part;
    }

    /** Thrown by {@link HandlerContext#consumed} in MANUAL mode when the position (or the dead letter) moved. */
    static final class OffsetConflictSignal extends StrongZeroStorageException {
        private static final long serialVersionUID = 1L;

        OffsetConflictSignal(String message) {
            super(message, null);
        }
    }

    /** Records a MANUAL-mode message as consumed: moves the position (or, for a replay, removes the dead letter). */
    static final class ManualOffset {
        private final String consumer;
        private final String producer;
        private final Envelope message;
        private final Mark mark;
        private final DeadLetter.Status replayOf;
        /** A held message being released: consumed() takes it out of the held table. */
        private boolean releasesHeld;
        private final ConsumerStores stores;
        private boolean done;

        /**
         * {@code mark}: the position to move (normal delivery, or a replay of the message the stream stopped at),
         * or null; {@code replayOf}: null for normal delivery, else the status of the dead letter being replayed.
         */
        ManualOffset(ConsumerStores stores, String producer, Envelope message, Mark mark, DeadLetter.Status replayOf) {
            this.stores = stores;
            this.consumer = stores.consumer();
            this.producer = producer;
            this.message = message;
            this.mark = mark;
            this.replayOf = replayOf;
        }

        /** For a held message being released: {@code consumed(connection)} takes it out of the held table. */
        static ManualOffset releasing(ConsumerStores stores, String producer, Envelope message) {
            ManualOffset o = new ManualOffset(stores, producer, message, null, null);
            o.releasesHeld = true;
            return o;
        }

        void consumed(Connection c) {
            if (done) {
                throw new IllegalStateException("consumed() was already called for message " + message.id());
            }
            try {
                if (mark != null && !mark.move(stores, c, producer, message)) {
                    throw new OffsetConflictSignal("the offset of consumer " + consumer + " for producer " + producer
                            + " is no longer at " + mark.describe()
                            + ": roll back (another instance, or an earlier commit failed)");
                }
                if (releasesHeld && !stores.held().delete(c, consumer, producer, message.position())) {
                    throw new OffsetConflictSignal("held message " + message.id() + " was released concurrently");
                }
                if (replayOf != null && !stores.letters().delete(c, consumer, producer, message.id(), replayOf)) {
                    throw new OffsetConflictSignal("dead letter " + message.id() + " was replayed or discarded concurrently");
                }
            } catch (SQLException e) {
                throw new StrongZeroStorageException("cannot record message " + message.id() + " as consumed", e);
            }
            done = true;
        }

        /** True once {@code consumed(connection)} succeeded. */
        boolean done() {
            return done;
        }
    }

    /**
     * The actions handlers registered with {@link HandlerContext#afterCommit} for one transaction. Handlers may run
     * on another thread (handler timeouts), so registration is synchronized; {@link #runAll} is called by the thread
     * that committed, after the handlers returned.
     */
    static final class AfterCommit {
        private final List<Runnable> actions = new ArrayList<>();

        synchronized void add(Runnable action) {
            actions.add(Objects.requireNonNull(action, "action"));
        }

        /** Runs every action once; a failing one is logged and the rest still run. */
        void runAll(String consumer) {
            List<Runnable> toRun;
            synchronized (this) {
                if (actions.isEmpty()) {
                    return;
                }
                toRun = new ArrayList<>(actions);
                actions.clear();
            }
            for (Runnable action : toRun) {
                try {
                    action.run();
                } catch (RuntimeException | Error x) {
                    if (x instanceof VirtualMachineError) {
                        throw x;
                    }
                    log.warn("strongzero-consumer[{}]: an afterCommit action failed after its transaction committed "
                            + "(the commit stands): {}", consumer, x.toString(), x);
                }
            }
        }
    }
}
