package io.strongzero.it.faults;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@link Scenario#LANES_CONSUMER_KILL}: kill -9 of a consumer that applies with {@code concurrency(n)} (issue 17),
 * restarted each round with the next n of {@link #LANES} (8, 3, 16, 8, ...). Two producer apps, each its own stream
 * (producer name, journal database and endpoint), write keyed messages ({@value #KEYS_PER_WRITER} keys per writer
 * thread, so a few hundred keys per stream) under continuous load; the consumer app pulls both, and its handler
 * sleeps 0 to {@value #MAX_DELAY_MS} ms, then inserts a row into {@link #EFFECTS} (no unique constraint: a duplicate
 * shows) in the lane's transaction. Rounds cycle the kill moment: at a random moment, inside a lane's batch, just
 * before and just after a lane's commit.
 *
 * <p>At the end, after the load stopped and the consumer applied every position of both journals: each journal
 * message applied exactly once (none missing, none twice, none unknown), with its stream's position, key and sequence,
 * and each key's effects, in the order the table's identity column numbered them (one lane applies a key's messages
 * one after the other), in increasing sequence and position. The offset rows are not read: their layout under lanes
 * is the runtime's business; the effects are the truth.
 *
 * <p>Recovery of a round: from the kill (restart issued at once) until the consumer applied every position each
 * journal had at the kill.
 */
final class LaneKillRun implements AutoCloseable {

    /** The consumer's effects table in this scenario. */
    static final String EFFECTS = "lane_effects";
    /** The consumer's concurrency: the first start, then one after each kill, in turn. */
    static final int[] LANES = {8, 3, 16};
    static final int KEYS_PER_WRITER = 150;
    static final int MAX_DELAY_MS = 3;
    private static final String[] MODES = {"random", "in-batch", "at-commit", "after-commit"};

    private final FaultDatabase db;
    private final FaultDriver.Settings settings;
    private final SplittableRandom rnd;
    private final Path logs;
    private final ScenarioResult result;
    private final List<String> jvmArgs;
    private final List<Stream> streams = new ArrayList<>();
    private FaultDatabase.Target consumerDb;
    private AppProcess consumer;
    private int consumerStarts;

    /** One producer stream: its app (fixed port, so a consumer finds it again), journal database and ledger. */
    private final class Stream {
        final String name;
        final String instance;
        final int port = Ports.freeLoopbackPort();
        final Path ledger;
        FaultDatabase.Target target;
        AppProcess process;

        Stream(String name, String instance) {
            this.name = name;
            this.instance = instance;
            this.ledger = logs.resolve("ledger-" + name + ".txt");
        }

        void start() throws IOException {
            process = AppProcess.start("producer-" + name, FaultProducerApp.class, jvmArgs, List.of(
                    "--jdbc=" + target.jdbcUrl, "--user=" + (target.user == null ? "" : target.user), "--instance=" + instance,
                    "--producer=" + name, "--port=" + port, "--ledger=" + ledger, "--writers=" + settings.writersPerProducer(),
                    "--rate=" + settings.transactionsPerSecondPerWriter(), "--rollback-percent=10",
                    "--seed=" + rnd.nextLong(), "--keys-per-writer=" + KEYS_PER_WRITER, "--keyed=true"), logs);
        }
    }

    LaneKillRun(FaultDatabase db, FaultDriver.Settings settings, SplittableRandom rnd, Path logs, ScenarioResult result,
                List<String> jvmArgs) {
        this.db = db;
        this.settings = settings;
        this.rnd = rnd;
        this.logs = logs;
        this.result = result;
        this.jvmArgs = jvmArgs;
    }

    /** Sets up, runs {@code rounds} kill rounds, stops the load, drains and verifies into the result. */
    void run(int rounds) {
        try {
            setUp();
            for (int r = 1; r <= rounds; r++) {
                round(r);
                result.rounds = r;
            }
            for (Stream s : streams) {
                s.process.send("stop");
            }
            for (Stream s : streams) {
                s.process.awaitMarker("STOPPED", Duration.ofSeconds(180));
            }
            drain();
            verify();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new AssertionError("cannot read the databases: " + e, e);
        }
    }

    private void setUp() throws IOException {
        Dialect dialect = db.dialect();
        consumerDb = db.create("flcons");
        Schema.create(consumerDb.pool, dialect, Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        String identity = dialect == Dialect.MARIADB ? "BIGINT AUTO_INCREMENT PRIMARY KEY"
                : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
        exec(consumerDb, "CREATE TABLE " + EFFECTS + " (applied_order " + identity + ", producer VARCHAR(64) NOT NULL, "
                + "msg_id CHAR(32) NOT NULL, pos BIGINT NOT NULL, msg_key VARCHAR(64) NOT NULL, item_key VARCHAR(64) NOT NULL, "
                + "seq BIGINT NOT NULL, lanes INT NOT NULL)");
        exec(consumerDb, "CREATE INDEX " + EFFECTS + "_pos ON " + EFFECTS + " (producer, pos)");
        streams.add(new Stream(Apps.PRODUCER, "a"));
        streams.add(new Stream(Apps.PRODUCER + "2", "b"));
        for (Stream s : streams) {
            s.target = db.create("flprod" + s.instance);
            Schema.create(s.target.pool, dialect, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
            exec(s.target, "CREATE TABLE fault_items (item_key VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, "
                    + "content VARCHAR(500) NOT NULL, msg_id CHAR(32) NOT NULL, PRIMARY KEY (item_key, seq))");
            s.start();
        }
        startConsumer();
        for (Stream s : streams) {
            s.process.awaitMarker("READY", Duration.ofSeconds(90));
        }
        consumer.awaitMarker("READY", Duration.ofSeconds(90));
    }

    private void startConsumer() throws IOException {
        int lanes = LANES[consumerStarts % LANES.length];
        consumerStarts++;
        StringBuilder endpoints = new StringBuilder();
        for (Stream s : streams) {
            endpoints.append(endpoints.length() == 0 ? "" : ",").append(s.name).append("=tcp://127.0.0.1:").append(s.port);
        }
        consumer = AppProcess.start("consumer", FaultConsumerApp.class, jvmArgs, List.of("--jdbc=" + consumerDb.jdbcUrl,
                "--user=" + (consumerDb.user == null ? "" : consumerDb.user), "--streams=" + endpoints, "--tx-size=20",
                "--concurrency=" + lanes, "--max-delay-ms=" + MAX_DELAY_MS), logs);
    }

    private void round(int round) throws IOException, SQLException {
        sleep(rnd.nextInt(settings.minGapMillis(), settings.maxGapMillis() + 1));
        checkAlive();
        String mode = MODES[(round - 1) % MODES.length];
        if (!mode.equals("random")) {
            consumer.send("arm " + mode);
            consumer.awaitMarker(mode.toUpperCase(Locale.ROOT), Duration.ofSeconds(30));
        }
        int lanesBefore = LANES[(consumerStarts - 1) % LANES.length];
        consumer.kill();
        long t0 = System.nanoTime();
        long[] heads = new long[streams.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = queryLong(streams.get(i).target, "SELECT COALESCE(MAX(pos), 0) FROM sz_journal");
        }
        startConsumer();
        String what = "round " + round + " (" + mode + ", " + lanesBefore + " lanes, restarted with "
                + LANES[(consumerStarts - 1) % LANES.length] + ")";
        long deadline = t0 + settings.recoveryTimeout().toNanos();
        String progress = "";
        while (true) {
            boolean all = true;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < heads.length; i++) {
                long applied = appliedThrough(streams.get(i).name, heads[i]);
                sb.append(streams.get(i).name).append(' ').append(applied).append('/').append(heads[i]).append(' ');
                all &= applied >= heads[i];
            }
            progress = sb.toString();
            if (all) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(db.kind() + " " + Scenario.LANES_CONSUMER_KILL + " " + what + ": the consumer did not "
                        + "apply the positions of the kill within " + settings.recoveryTimeout().toSeconds() + " s (seed "
                        + settings.seed() + "): applied " + progress + "\n" + tails());
            }
            checkAlive();
            sleep(20);
        }
        long recovery = (System.nanoTime() - t0) / 1_000_000L;
        consumer.awaitMarker("READY", Duration.ofSeconds(60));
        result.recoveryMillis.add(recovery);
        System.out.printf(Locale.ROOT, "faults: %s %s %s: recovered in %d ms%n", db.kind(), Scenario.LANES_CONSUMER_KILL,
                what, recovery);
        checkAlive();
    }

    /** How many distinct positions 1..{@code head} of {@code stream} have an effect row; -1 while unreadable. */
    private long appliedThrough(String stream, long head) {
        try (Connection c = consumerDb.pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT pos) FROM " + EFFECTS
                     + " WHERE producer = ? AND pos <= ?")) {
            ps.setString(1, stream);
            ps.setLong(2, head);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Waits until every journal row has a position and each stream's positions all have an effect row. */
    private void drain() throws SQLException {
        long end = System.nanoTime() + settings.drainTimeout().toNanos();
        String state = "";
        while (true) {
            boolean done = true;
            StringBuilder sb = new StringBuilder();
            for (Stream s : streams) {
                long unpositioned = queryLong(s.target, "SELECT COUNT(*) FROM sz_journal WHERE pos IS NULL");
                long head = queryLong(s.target, "SELECT COALESCE(MAX(pos), 0) FROM sz_journal");
                long applied = appliedThrough(s.name, head);
                sb.append(s.name).append(": ").append(unpositioned).append(" unpositioned, applied ").append(applied)
                        .append(" of ").append(head).append("; ");
                done &= unpositioned == 0 && applied == head;
            }
            state = sb.toString();
            if (done) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(db.kind() + " " + Scenario.LANES_CONSUMER_KILL + ": not drained within "
                        + settings.drainTimeout().toSeconds() + " s (seed " + settings.seed() + "): " + state + "\n" + tails());
            }
            sleep(50);
        }
    }

    private void verify() throws SQLException {
        record Item(String key, long seq) {
        }
        record Effect(String stream, String id, long pos, String msgKey, String key, long seq, int lanes, long order) {
        }
        ScenarioResult r = result;
        Map<String, Long> journal = new HashMap<>();
        Map<String, Item> items = new HashMap<>();
        for (Stream s : streams) {
            try (Connection c = s.target.pool.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT id, pos FROM sz_journal")) {
                    while (rs.next()) {
                        journal.put(s.name + "/" + FlakeId.fromBytes(rs.getBytes(1)), rs.getLong(2));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT msg_id, item_key, seq FROM fault_items")) {
                    while (rs.next()) {
                        items.put(s.name + "/" + rs.getString(1), new Item(rs.getString(2), rs.getLong(3)));
                    }
                }
            }
        }
        List<Effect> effects = new ArrayList<>();
        try (Connection c = consumerDb.pool.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT producer, msg_id, pos, msg_key, item_key, seq, lanes, applied_order FROM "
                    + EFFECTS + " ORDER BY applied_order")) {
                while (rs.next()) {
                    effects.add(new Effect(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getInt(7), rs.getLong(8)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sz_dead_letter")) {
                rs.next();
                r.deadLetters = rs.getLong(1);
            }
        }
        r.messagesCommitted = journal.size();
        r.messagesReceivedRows = effects.size();
        if (r.deadLetters > 0) {
            r.detail(r.deadLetters + " messages were parked in sz_dead_letter");
        }
        Map<String, Effect> first = new HashMap<>();
        Map<String, Effect> lastOfKey = new HashMap<>();
        for (Effect e : effects) {
            String id = e.stream() + "/" + e.id();
            Effect earlier = first.putIfAbsent(id, e);
            if (earlier != null) {
                r.duplicated++;
                r.detail("applied twice: " + id + " position " + e.pos() + ", key " + e.key() + ": first as row "
                        + earlier.order() + " (" + earlier.lanes() + " lanes), again as row " + e.order() + " (" + e.lanes()
                        + " lanes)");
            }
            Long pos = journal.get(id);
            if (pos == null) {
                r.phantom++;
                r.detail("applied but not in the journal: " + id);
            } else if (pos != e.pos()) {
                r.positionAnomalies++;
                r.detail(id + " applied as position " + e.pos() + " but has position " + pos);
            }
            Item item = items.get(id);
            if (item != null && (!item.equals(new Item(e.key(), e.seq())) || !e.msgKey().equals(item.key()))) {
                r.contentMismatch++;
                r.detail(id + ": producer wrote " + item + " (key " + item.key() + "), consumer got key " + e.msgKey()
                        + ", item " + new Item(e.key(), e.seq()));
            }
            Effect prev = lastOfKey.put(e.stream() + "/" + e.key(), e);
            if (prev != null && (e.seq() <= prev.seq() || e.pos() <= prev.pos())) {
                r.orderViolations++;
                r.detail(e.stream() + " key " + e.key() + ": seq " + e.seq() + " (position " + e.pos() + ", row " + e.order()
                        + ", " + e.lanes() + " lanes) applied after seq " + prev.seq() + " (position " + prev.pos() + ", row "
                        + prev.order() + ", " + prev.lanes() + " lanes)");
            }
        }
        for (Map.Entry<String, Long> j : journal.entrySet()) {
            if (!first.containsKey(j.getKey())) {
                r.lost++;
                r.detail("committed but never applied: " + j.getKey() + " (position " + j.getValue() + ")");
            }
        }
        for (Stream s : streams) {
            ledger(s);
        }
        System.out.printf(Locale.ROOT, "faults: %s %s: %d messages in %d streams, %d effect rows, %d keys%n", db.kind(),
                Scenario.LANES_CONSUMER_KILL, journal.size(), streams.size(), effects.size(), lastOfKey.size());
    }

    /** The stream's writers' ledger against its journal: what committed is there whole, what rolled back is absent. */
    private void ledger(Stream s) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = s.target.pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM sz_journal")) {
            while (rs.next()) {
                ids.add(FlakeId.fromBytes(rs.getBytes(1)).toString());
            }
        }
        ScenarioResult r = result;
        Map<String, Ledger.Tx> txs;
        try {
            txs = Ledger.read(List.of(s.ledger));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Ledger.Tx tx : txs.values()) {
            long present = tx.items.stream().filter(i -> ids.contains(i.id())).count();
            if (tx.items.isEmpty()) {
                continue;
            }
            if (present != 0 && present != tx.items.size()) {
                r.torn++;
                r.detail(s.name + ": transaction " + tx + " is partly in the journal");
            }
            switch (tx.outcome) {
                case COMMITTED -> {
                    r.transactionsCommitted++;
                    if (present != tx.items.size()) {
                        r.acknowledgedButMissing += tx.items.size() - present;
                        r.detail(s.name + ": commit() returned but not in the journal: " + tx);
                    }
                }
                case ROLLED_BACK, ABORTED -> {
                    if (tx.outcome == Ledger.Outcome.ROLLED_BACK) {
                        r.transactionsRolledBack++;
                    } else {
                        r.transactionsAborted++;
                    }
                    if (present > 0) {
                        r.rolledBackButPresent += present;
                        r.detail(s.name + ": rolled back but in the journal: " + tx);
                    }
                }
                case IN_DOUBT, UNFINISHED -> {
                    if (present == tx.items.size()) {
                        r.inDoubtCommitted++;
                    } else {
                        r.inDoubtRolledBack++;
                    }
                }
            }
        }
    }

    private void checkAlive() {
        for (Stream s : streams) {
            if (!s.process.isAlive()) {
                throw new AssertionError(s.process + " died unexpectedly (seed " + settings.seed() + "):\n" + s.process.tail());
            }
        }
        if (!consumer.isAlive()) {
            throw new AssertionError(consumer + " died unexpectedly (seed " + settings.seed() + "):\n" + consumer.tail());
        }
    }

    private String tails() {
        StringBuilder sb = new StringBuilder();
        for (Stream s : streams) {
            sb.append("--- ").append(s.process).append(" (").append(s.process.log()).append(")\n").append(s.process.tail())
                    .append('\n');
        }
        return sb.append("--- ").append(consumer).append(" (").append(consumer.log()).append(")\n").append(consumer.tail())
                .toString();
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
        for (Stream s : streams) {
            if (s.process != null) {
                s.process.close();
            }
        }
        for (Stream s : streams) {
            if (s.target != null) {
                s.target.close();
            }
        }
        if (consumerDb != null) {
            consumerDb.close();
        }
    }

    private static void exec(FaultDatabase.Target target, String sql) {
        try (Connection c = target.pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static long queryLong(FaultDatabase.Target target, String sql) throws SQLException {
        try (Connection c = target.pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
