package io.strongzero.producer;

import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.FlakeIdGenerator;
import io.strongzero.core.Headers;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.StrongZeroStorageException;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Checks;
import io.strongzero.core.internal.Jdbc;
import io.strongzero.core.internal.JournalStore;
import io.strongzero.core.internal.MessageRules;
import io.strongzero.core.internal.Protocol;
import io.strongzero.core.internal.Transactions;
import io.strongzero.pump.StrongZeroPump;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Writes messages into the journal <em>inside the caller's transaction</em>, so a message exists
 * exactly when the business change it describes commits.
 *
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     insertUser(c, user);                       // your business change
 *     sender.send(c, "user.created", user);      // the journal row, same transaction
 *     c.commit();
 * }
 * sender.updated();                              // after commit: wake the pump (a latency hint)
 * }</pre>
 *
 * <p>Three ways to use it:
 * <ul>
 *   <li>{@link #send(Connection, String, Object)} on the connection of your open transaction, then
 *       {@link #updated()} after commit;</li>
 *   <li>{@link #send(String, Object)} with a transaction-aware {@link DataSource} (one whose
 *       {@code getConnection()} returns the current transaction's connection, such as Spring's
 *       {@code TransactionAwareDataSourceProxy}); with an {@link AfterCommitRegistry} the pump is woken
 *       after commit automatically;</li>
 *   <li>{@link #inTransaction(TransactionWork)}, which opens, commits and wakes for you.</li>
 * </ul>
 * A wake-up is only a hint: if it is lost, the pump still finds the rows within its poll interval.
 *
 * <p>Each form has a variant with an optional <b>ordering key</b> and one with a key and <b>headers</b>:
 * <pre>{@code
 * sender.send(c, "order.created", order.id(), order);                                   // with a key
 * sender.send(c, "order.created", order.id(), order, Headers.of("trace-id", traceId));  // key and headers
 * sender.send(c, "order.created", null, order, Headers.of("trace-id", traceId));        // headers only
 * }</pre>
 * The key (1 to {@value Envelope#MAX_KEY_LENGTH} characters, not blank, no control characters) and the
 * headers ({@link Headers}: at most 32 names and values, 8 KiB) are stored with the message and handed to the
 * consumer's handler ({@code Message.key()}, {@code Message.headers()}) and into its dead letters, unchanged.
 * StrongZero delivers every message of a stream in one total order, so the key does not change the order: it
 * is metadata for the handler (an entity id to group, route or deduplicate by, as a Kafka record key would be).
 * A consumer must speak protocol version 2 (StrongZero with keys and headers) to receive a message that has
 * a key or headers; an older consumer is refused with an error that says it must be upgraded.
 *
 * <p>Encoding and SQL errors are thrown to the caller inside the transaction
 * ({@link io.strongzero.core.StrongZeroSerializationException}, {@link StrongZeroStorageException}),
 * so the caller's transaction rolls back and nothing half-written escapes.
 *
 * <p>Several instances serving one journal: on PostgreSQL each instance's pump hears the others' stampings through
 * database notifications; elsewhere give the sender every instance's pump as a {@linkplain
 * Builder#pokeEndpoints(String...) poke endpoint}, or an instance that was not woken learns of new messages only at
 * its pump's poll interval.
 *
 * <p>Thread-safe; one instance serves the whole application. {@link #close()} releases the poke sockets.
 */
public final class StrongZeroSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StrongZeroSender.class);
    private static final int MAX_TYPE_LENGTH = 255;

    private final SenderConfig config;
    private final DataSource dataSource;
    private final JournalStore.Writer journal;
    private final String prefix;
    private final PayloadCodec codec;
    private final FlakeIdGenerator ids;
    private final Clock clock;
    private final Ticker ticker;
    private final StrongZeroPump pump;
    private final List<String> pokeEndpoints;
    private final AfterCommitRegistry afterCommit;
    private final StrongZeroMetrics metrics;
    private final Runnable wakeAction = this::updated;

    private final ReentrantLock pokeLock = new ReentrantLock();
    private ZContext pokeContext;
    /** One PUSH socket per poke endpoint (one socket connected to several would round-robin: wake only one). */
    private List<ZMQ.Socket> pokeSockets;
    private volatile boolean closed;

    private StrongZeroSender(Builder b, SenderConfig given) {
        this.dataSource = b.dataSource;
        this.prefix = given.tablePrefix() != null ? given.tablePrefix()
                : b.pump != null ? b.pump.tablePrefix() : Schema.DEFAULT_PREFIX;
        this.journal = new JournalStore.Writer(prefix);
        this.codec = b.codec;
        this.ids = b.idGenerator != null ? b.idGenerator
                : FlakeIdGenerator.create(given.nodeId() != null ? given.nodeId() : FlakeIdGenerator.defaultNodeId(), b.clock);
        this.config = given.toBuilder().tablePrefix(prefix).nodeId(ids.node()).build();
        this.clock = b.clock;
        this.ticker = b.ticker;
        this.pump = b.pump;
        this.pokeEndpoints = given.pokeEndpoints();
        this.afterCommit = b.afterCommit;
        this.metrics = b.metrics;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings this sender runs with: the table prefix and node id in use filled in. */
    public SenderConfig config() {
        return config;
    }

    /** This sender's Flake id node. */
    public long nodeId() {
        return ids.node();
    }

    /**
     * Writes a message on {@code connection}, in its current transaction. If the connection is in
     * auto-commit mode the message commits at once on its own, and the pump is woken immediately.
     *
     * @param connection the connection of the caller's open transaction (not committed, not closed here)
     * @param type       the message type, 1 to 255 characters; selects the consumer's handler
     * @param payload    the payload, encoded with this sender's {@link PayloadCodec}
     * @return the message's id
     * @throws io.strongzero.core.StrongZeroSerializationException if the payload cannot be encoded
     * @throws StrongZeroStorageException if the insert fails (roll back your transaction)
     */
    public FlakeId send(Connection connection, String type, Object payload) {
        return send(connection, type, null, payload, Headers.NONE);
    }

    /**
     * As {@link #send(Connection, String, Object)}, with an ordering key.
     *
     * @param key the message's ordering key, or null for none: 1 to {@value Envelope#MAX_KEY_LENGTH} characters, not
     *            blank, no ISO control characters
     * @throws StrongZeroConfigException if the key breaks its rule (the message names the key and the rule)
     */
    public FlakeId send(Connection connection, String type, String key, Object payload) {
        return send(connection, type, key, payload, Headers.NONE);
    }

    /**
     * As {@link #send(Connection, String, Object)}, with an ordering key and headers.
     *
     * @param key     the message's ordering key, or null for none (see {@link #send(Connection, String, String, Object)})
     * @param headers the message's headers, {@link Headers#NONE} for none (validated when made: see {@link Headers})
     * @throws StrongZeroConfigException if the key breaks its rule or headers is null
     */
    public FlakeId send(Connection connection, String type, String key, Object payload, Headers headers) {
        Objects.requireNonNull(connection, "connection");
        checkType(type);
        MessageRules.checkKey(key);
        Checks.notNull("headers", headers);
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null (type " + type + ")");
        }
        long start = ticker.nanos();
        byte[] bytes = codec.encode(payload);
        FlakeId id = ids.next();
        boolean autoCommit;
        try {
            journal.insert(connection, id, type, codec.contentType(), bytes, clock.millis(), key, headers);
            autoCommit = connection.getAutoCommit();
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot write message " + id + " of type " + type + " into "
                    + journal.table() + " (is the table created? DDL: io/strongzero/sql/<h2|postgresql|mariadb>/producer.sql);"
                    + " roll back the transaction", e);
        }
        metrics.sent(type, bytes.length, ticker.nanos() - start);
        if (autoCommit) {
            updated();
        } else if (afterCommit != null) {
            afterCommit.afterCommit(wakeAction);
        }
        return id;
    }

    /**
     * Writes a message on the current transaction's connection, taken from the configured
     * transaction-aware {@link DataSource}.
     *
     * @throws StrongZeroConfigException if no dataSource was configured
     * @throws StrongZeroException if the data source's connection is in auto-commit mode (no open
     *     transaction): the message would commit apart from your business change. With
     *     {@link SenderConfig.Setters#requireTransaction(boolean) requireTransaction(false)} such a message commits
     *     on its own instead.
     */
    public FlakeId send(String type, Object payload) {
        return send(type, null, payload, Headers.NONE);
    }

    /**
     * As {@link #send(String, Object)}, with an ordering key (see {@link #send(Connection, String, String, Object)}).
     */
    public FlakeId send(String type, String key, Object payload) {
        return send(type, key, payload, Headers.NONE);
    }

    /**
     * As {@link #send(String, Object)}, with an ordering key (or null) and headers (see
     * {@link #send(Connection, String, String, Object, Headers)}).
     */
    public FlakeId send(String type, String key, Object payload, Headers headers) {
        if (dataSource == null) {
            throw new StrongZeroConfigException("send(type, payload) needs a transaction-aware dataSource on the "
                    + "builder; otherwise call send(connection, type, payload)");
        }
        try (Connection c = dataSource.getConnection()) {
            if (config.requireTransaction() && c.getAutoCommit()) {
                throw new StrongZeroException("send(" + type + ", ...) found no open transaction: the data source "
                        + "returned a connection in auto-commit mode. Call it inside a transaction with a "
                        + "transaction-aware DataSource, use send(connection, type, payload), or set "
                        + "requireTransaction(false) to let such a message commit on its own");
            }
            return send(c, type, key, payload, headers);
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot get the transaction's connection from the data source", e);
        }
    }

    /**
     * Runs {@code work} in a new transaction on a connection from the configured data source, commits it
     * and wakes the pump. Rolls back and rethrows (wrapped if checked) if {@code work} throws.
     */
    public <T> T inTransaction(TransactionWork<T> work) {
        if (dataSource == null) {
            throw new StrongZeroConfigException("inTransaction needs a dataSource on the builder");
        }
        T result;
        try (Connection c = dataSource.getConnection()) {
            // the work throws checked exceptions of its own: set and restored through Settings, not a lambda
            Transactions.Settings held = Transactions.Settings.set(c, false, Transactions.KEEP_ISOLATION);
            try {
                result = work.run(c);
                c.commit();
            } catch (Exception | Error e) {
                Jdbc.rollbackQuietly(c, e);
                held.restoreQuietly(c, e);
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                if (e instanceof Error er) {
                    throw er;
                }
                throw new StrongZeroException("transaction failed and was rolled back: " + e, e);
            }
            held.restore(c);
        } catch (SQLException e) {
            throw new StrongZeroStorageException("transaction failed and was rolled back", e);
        }
        updated();
        return result;
    }

    /**
     * Tells the pump that transactions with messages committed: call it after commit. A hint: cheap,
     * never blocks, never fails the caller (a lost wake-up only costs up to one poll interval).
     */
    public void updated() {
        if (pump != null) {
            pump.wakeUp();
        }
        if (!pokeEndpoints.isEmpty() && !closed) {
            poke();
        }
    }

    private void poke() {
        if (!pokeLock.tryLock()) {
            return; // another thread is poking right now: one poke is as good as two
        }
        try {
            if (closed) {
                return;
            }
            if (pokeSockets == null) {
                pokeContext = new ZContext(1);
                List<ZMQ.Socket> sockets = new ArrayList<>(pokeEndpoints.size());
                for (String endpoint : pokeEndpoints) {
                    ZMQ.Socket socket = pokeContext.createSocket(SocketType.PUSH);
                    socket.setLinger(0);
                    socket.setSndHWM(16);
                    socket.setImmediate(true);
                    socket.setHandshakeIvl(1_000); // see StrongZeroConsumer: jeromq's connect hand-off race
                    socket.connect(endpoint);
                    sockets.add(socket);
                }
                pokeSockets = sockets;
            }
            for (int i = 0; i < pokeSockets.size(); i++) {
                try {
                    pokeSockets.get(i).send(POKE, ZMQ.DONTWAIT);
                } catch (RuntimeException e) {
                    log.debug("strongzero-sender: poke to {} failed; that pump will poll instead", pokeEndpoints.get(i), e);
                }
            }
        } catch (RuntimeException e) {
            log.debug("strongzero-sender: poke sockets to {} failed; the pumps will poll instead", pokeEndpoints, e);
        } finally {
            pokeLock.unlock();
        }
    }

    private static final byte[] POKE = {1};

    private static void checkType(String type) {
        if (type == null || type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
            throw new IllegalArgumentException("type must be 1 to " + MAX_TYPE_LENGTH + " characters but was "
                    + (type == null ? "null" : "'" + (type.length() > 40 ? type.substring(0, 40) + "...'" : type + "'")));
        }
        for (int i = 0; i < type.length(); i++) {
            if (Character.isISOControl(type.charAt(i))) {
                throw new IllegalArgumentException("type must not contain control characters but '" + type.strip()
                        + "' has one at index " + i);
            }
        }
    }

    /** Releases the poke sockets, if they were opened. Idempotent. */
    @Override
    public void close() {
        pokeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (pokeContext != null) {
                pokeContext.close();
            }
        } finally {
            pokeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "StrongZeroSender[" + journal.table() + ", node=" + ids.node() + ", " + codec.contentType()
                + (pump != null ? ", pump=" + pump.name() : "") + (pokeEndpoints.isEmpty() ? "" : ", poke=" + String.join(",", pokeEndpoints)) + "]";
    }

    /** Table prefix in use. */
    public String tablePrefix() {
        return prefix;
    }

    /**
     * Builds a {@link StrongZeroSender}: its settings go into a {@link SenderConfig} (the setters are the config's,
     * {@link SenderConfig.Setters}, validated at once), its collaborators stay here. Not thread-safe.
     */
    public static final class Builder extends SenderConfig.Setters<Builder> {
        private DataSource dataSource;
        private PayloadCodec codec = PayloadCodec.msgpack();
        private FlakeIdGenerator idGenerator;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private StrongZeroPump pump;
        private AfterCommitRegistry afterCommit;
        private StrongZeroMetrics metrics = StrongZeroMetrics.NONE;

        private Builder() {
        }

        /**
         * The data source for {@link StrongZeroSender#send(String, Object)} (must be transaction-aware) and
         * {@link StrongZeroSender#inTransaction}. Optional.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** Replaces every setting with {@code config}'s. */
        public Builder config(SenderConfig config) {
            return copyFrom(Objects.requireNonNull(config, "config"));
        }


        /** Payload codec, default {@link PayloadCodec#msgpack()}. Its content type must not be the reserved {@code strongzero-redacted}. */
        public Builder codec(PayloadCodec codec) {
            Objects.requireNonNull(codec, "codec");
            Checks.valid(!Protocol.REDACTED_CONTENT_TYPE.equals(codec.contentType()),
                    "codec content type '" + codec.contentType() + "' is reserved for "
                        + "redacted entries; consumers would skip every message: choose another content type");
            this.codec = codec;
            return this;
        }


        /** A ready generator (tests: a skewed clock); replaces {@link #nodeId(long)}. */
        public Builder idGenerator(FlakeIdGenerator generator) {
            this.idGenerator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** The clock for {@code producedAt}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The monotonic time source that times each send for the metrics; default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** An in-process pump to wake after commit (no socket hop); also adopts its table prefix. */
        public Builder pump(StrongZeroPump pump) {
            this.pump = Objects.requireNonNull(pump, "pump");
            return this;
        }

        /** The in-process producer's pump; see {@link #pump(StrongZeroPump)}. */
        public Builder producer(StrongZeroProducer producer) {
            return pump(producer.pump());
        }


        /** A hook to wake the pump after commit automatically (for example Spring's synchronizations). */
        public Builder afterCommit(AfterCommitRegistry registry) {
            this.afterCommit = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Where measurements go; default {@link StrongZeroMetrics#NONE}. */
        public Builder metrics(StrongZeroMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Builds the sender.
         *
         * @throws StrongZeroConfigException if a tablePrefix was set that differs from the pump's
         */
        public StrongZeroSender build() {
            SenderConfig built = buildConfig();
            String tablePrefix = built.tablePrefix();
            Checks.valid(pump == null || tablePrefix == null || tablePrefix.equals(pump.tablePrefix()),
                    () -> "tablePrefix '" + tablePrefix + "' conflicts with the prefix '"
                        + pump.tablePrefix() + "' of pump " + pump.name() + ": the sender must write the journal the pump "
                        + "reads; drop tablePrefix(...) to adopt the pump's");
            return new StrongZeroSender(this, built);
        }
    }
}
