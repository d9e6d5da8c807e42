package io.strongzero.it.faults;

import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.testing.Ports;
import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * Runs a {@link Scenario} against one database: starts the producer and consumer apps in their own JVMs
 * under continuous load, injects the scenario's fault once per round at a moment drawn from the seed,
 * measures how long the consumer takes to catch up, and at the end stops the load, lets the system
 * drain and compares the consumer's data with the producer's committed data.
 *
 * <p><b>Recovery time</b> of a round: from the moment t0 the fault ends (a process is killed, its
 * restart issued at once; the database restart command is issued; the proxy resumes) until the
 * consumer has committed every message that was committed before t0 <em>and</em> at least one that
 * was committed after t0: the flow is restored and caught up. The journal is read at t0 in one
 * statement: its highest position and the committed rows still waiting for a position. Once those rows
 * have positions, the highest of them is the target; every position above it belongs to a row
 * committed after t0, so the round has recovered when the consumer's offset passes the target.
 *
 * <p>Not thread-safe; one scenario at a time.
 */
final class FaultDriver {

    /** How a run is paced and how long it may wait. */
    record Settings(long seed, int writersPerProducer, double transactionsPerSecondPerWriter, int minGapMillis,
                    int maxGapMillis, int maxFaultMillis, Duration recoveryTimeout, Duration drainTimeout, Path logDir) {

        /** The short variant for CI. */
        static Settings ci(long seed, Path logDir) {
            return new Settings(seed, 2, 40, 300, 900, 2_500, Duration.ofSeconds(45), Duration.ofSeconds(60), logDir);
        }

        /** The long variant. */
        static Settings longRun(long seed, Path logDir) {
            return new Settings(seed, 2, 40, 300, 3_000, 6_000, Duration.ofSeconds(120), Duration.ofSeconds(180), logDir);
        }
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final FaultDatabase db;
    private final Settings settings;

    FaultDriver(FaultDatabase db, Settings settings) {
        this.db = db;
        this.settings = settings;
    }

    /** Runs {@code rounds} rounds of {@code scenario}; the result says whether every check held. */
    ScenarioResult run(Scenario scenario, int rounds) {
        long seed = settings.seed() * 1_000_003L + scenario.ordinal();
        Path logs = settings.logDir().resolve(db.kind().name().toLowerCase(Locale.ROOT) + "-"
                + scenario.name().toLowerCase(Locale.ROOT) + "-" + LocalDateTime.now().format(STAMP));
        ScenarioResult result = new ScenarioResult(displayName(db.kind().dialect()), scenario, settings.seed(), logs);
        long start = System.nanoTime();
        try (Run run = new Run(scenario, new SplittableRandom(seed), logs, result)) {
            run.setUp();
            for (int r = 1; r <= rounds; r++) {
                run.round(r);
                result.rounds = r;
            }
            run.stopLoad();
            run.drain();
            run.verify();
        }
        result.durationMillis = (System.nanoTime() - start) / 1_000_000L;
        return result;
    }

    static String displayName(Dialect dialect) {
        return dialect.displayName();
    }

    /** One producer app instance: its fixed port, ledger and clock offset survive its restarts. */
    private final class ProducerInstance {
        final String name;
        final int port;
        final Path ledger;
        long clockOffset;
        AppProcess process;
        int starts;

        ProducerInstance(String name, Path logs) {
            this.name = name;
            this.port = Ports.freeLoopbackPort();
            this.ledger = logs.resolve("ledger-" + name + ".txt");
        }

        void start(Run run) throws IOException {
            starts++;
            process = AppProcess.start("producer-" + name, FaultProducerApp.class, jvmArgs(), List.of(
                    "--jdbc=" + run.producerDb.jdbcUrl, "--user=" + nullToEmpty(run.producerDb.user), "--instance=" + name,
                    "--port=" + port, "--ledger=" + ledger, "--writers=" + settings.writersPerProducer(),
                    "--rate=" + settings.transactionsPerSecondPerWriter(), "--rollback-percent=10",
                    "--seed=" + run.rnd.nextLong(), "--clock-offset=" + clockOffset), run.logs);
        }
    }

    /**
     * JVM options of the apps. For H2, HikariCP must validate every connection it hands out: H2 reports a
     * connection broken by a server restart with SQLStates (90067, 90121) that HikariCP does not take as
     * fatal, so without validation the pool would keep handing out dead connections.
     */
    private List<String> jvmArgs() {
        return db.kind() == TestDatabase.H2 ? List.of("-Dcom.zaxxer.hikari.aliveBypassWindowMs=0") : List.of();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private record Watermark(long head, List<String> unstamped) {
    }

    /** One scenario run: the databases, the apps, the proxy. */
    private final class Run implements AutoCloseable {
        final Scenario scenario;
        final SplittableRandom rnd;
        final Path logs;
        final ScenarioResult result;
        final List<ProducerInstance> producers = new ArrayList<>();
        FaultDatabase.Target producerDb;
        FaultDatabase.Target consumerDb;
        TcpProxy proxy;
        AppProcess consumer;
        String consumerEndpoint;

        Run(Scenario scenario, SplittableRandom rnd, Path logs, ScenarioResult result) {
            this.scenario = scenario;
            this.rnd = rnd;
            this.logs = logs;
            this.result = result;
        }

        void setUp() {
            try {
                producerDb = db.create("fprod");
                consumerDb = db.create("fcons");
                Dialect dialect = db.dialect();
                Schema.create(producerDb.pool, dialect, Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
                Schema.create(consumerDb.pool, dialect, Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
                exec(producerDb.pool, "CREATE TABLE fault_items (item_key VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, "
                        + "content VARCHAR(500) NOT NULL, msg_id CHAR(32) NOT NULL, PRIMARY KEY (item_key, seq))");
                String identity = dialect == Dialect.MARIADB ? "BIGINT AUTO_INCREMENT PRIMARY KEY"
                        : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
                exec(consumerDb.pool, "CREATE TABLE fault_received (applied_order " + identity + ", msg_id CHAR(32) NOT NULL, "
                        + "pos BIGINT NOT NULL, item_key VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, "
                        + "content VARCHAR(500) NOT NULL)");
                producers.add(new ProducerInstance("a", logs));
                if (scenario == Scenario.TWO_PRODUCERS) {
                    producers.add(new ProducerInstance("b", logs));
                }
                int upstream = producers.get(0).port;
                if (scenario == Scenario.NETWORK || scenario == Scenario.TWO_PRODUCERS) {
                    proxy = TcpProxy.start(upstream);
                    consumerEndpoint = proxy.endpoint();
                } else {
                    consumerEndpoint = "tcp://127.0.0.1:" + upstream;
                }
                for (ProducerInstance p : producers) {
                    p.start(this);
                }
                startConsumer();
                for (ProducerInstance p : producers) {
                    p.process.awaitMarker("READY", Duration.ofSeconds(90));
                }
                consumer.awaitMarker("READY", Duration.ofSeconds(90));
                long end = System.nanoTime() + settings.recoveryTimeout().toNanos();
                while (consumerOffsetQuietly() < 1) {
                    checkAlive();
                    if (System.nanoTime() > end) {
                        throw new AssertionError("the consumer applied nothing within " + settings.recoveryTimeout()
                                + " of start\n" + tails());
                    }
                    sleep(20);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void startConsumer() throws IOException {
            consumer = AppProcess.start("consumer", FaultConsumerApp.class, jvmArgs(), List.of("--jdbc=" + consumerDb.jdbcUrl,
                    "--user=" + nullToEmpty(consumerDb.user), "--endpoint=" + consumerEndpoint, "--tx-size=20"), logs);
        }

        void round(int round) {
            sleep(rnd.nextInt(settings.minGapMillis(), settings.maxGapMillis() + 1));
            checkAlive();
            try {
                long recovery = switch (scenario) {
                    case PRODUCER_KILL -> producerKill(round);
                    case CONSUMER_KILL -> consumerKill(round);
                    case NETWORK -> network(round);
                    case TWO_PRODUCERS -> twoProducers(round);
                    case DATABASE_RESTART -> databaseRestart();
                };
                result.recoveryMillis.add(recovery);
                System.out.printf(Locale.ROOT, "faults: %s %s round %d: recovered in %d ms%n", db.kind(), scenario, round,
                        recovery);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            checkAlive();
        }

        private long producerKill(int round) throws IOException {
            ProducerInstance p = producers.get(0);
            if (round % 2 == 0) {
                p.process.send("arm-lock");
                p.process.awaitMarker("SEQUENCER-LOCKED", Duration.ofSeconds(30));
            }
            p.process.kill();
            long t0 = System.nanoTime();
            Watermark w = watermark();
            p.start(this);
            long recovery = awaitRecovered(w, t0, "round " + round + (round % 2 == 0 ? " (killed holding the sequencer lock)" : ""));
            p.process.awaitMarker("READY", Duration.ofSeconds(60));
            return recovery;
        }

        private long consumerKill(int round) throws IOException {
            String[] modes = {"random", "in-batch", "at-commit", "after-commit"};
            String mode = modes[(round - 1) % modes.length];
            if (!mode.equals("random")) {
                consumer.send("arm " + mode);
                consumer.awaitMarker(mode.toUpperCase(Locale.ROOT), Duration.ofSeconds(30));
            }
            consumer.kill();
            long t0 = System.nanoTime();
            Watermark w = watermark();
            checkOffsetMatchesEffects("after the consumer was killed (" + mode + ", round " + round + ")");
            startConsumer();
            long recovery = awaitRecovered(w, t0, "round " + round + " (" + mode + ")");
            consumer.awaitMarker("READY", Duration.ofSeconds(60));
            return recovery;
        }

        private long network(int round) {
            String[] modes = {"stall", "cut", "reset"};
            String mode = modes[(round - 1) % modes.length];
            int faultMillis = rnd.nextInt(200, settings.maxFaultMillis() + 1);
            switch (mode) {
                case "stall" -> {
                    proxy.stall();
                    sleep(faultMillis);
                    proxy.resume();
                }
                case "cut" -> {
                    proxy.cut();
                    sleep(faultMillis);
                    proxy.resume();
                }
                default -> proxy.resetAll();
            }
            long t0 = System.nanoTime();
            Watermark w = watermark();
            return awaitRecovered(w, t0, "round " + round + " (" + mode + (mode.equals("reset") ? "" : " " + faultMillis + " ms") + ")");
        }

        private long twoProducers(int round) throws IOException {
            ProducerInstance stepped = producers.get(rnd.nextInt(producers.size()));
            long step = rnd.nextLong(1_000, 120_001) * (rnd.nextBoolean() ? 1 : -1);
            stepped.clockOffset = Math.max(-600_000, Math.min(600_000, stepped.clockOffset + step));
            stepped.process.send("clock " + stepped.clockOffset);
            stepped.process.awaitMarker("CLOCK", Duration.ofSeconds(30));
            sleep(rnd.nextInt(settings.minGapMillis(), settings.maxGapMillis() + 1));
            ProducerInstance victim = producers.get(0).port == proxy.upstreamPort() ? producers.get(0) : producers.get(1);
            ProducerInstance survivor = victim == producers.get(0) ? producers.get(1) : producers.get(0);
            boolean holdingLock = round % 2 == 0;
            if (holdingLock) {
                victim.process.send("arm-lock");
                victim.process.awaitMarker("SEQUENCER-LOCKED", Duration.ofSeconds(30));
            }
            proxy.retarget(survivor.port);
            victim.process.kill();
            long t0 = System.nanoTime();
            Watermark w = watermark();
            long recovery = awaitRecovered(w, t0, "round " + round + ": " + victim.name + " killed"
                    + (holdingLock ? " holding the sequencer lock" : "") + ", clocks " + producers.get(0).clockOffset
                    + " / " + producers.get(1).clockOffset + " ms");
            victim.start(this);
            victim.process.awaitMarker("READY", Duration.ofSeconds(60));
            return recovery;
        }

        private long databaseRestart() {
            long t0 = System.nanoTime();
            Watermark w = watermark();
            db.restart();
            return awaitRecovered(w, t0, "database restart");
        }

        /** The highest position and the committed but unpositioned rows, in one statement (one snapshot). */
        Watermark watermark() {
            long end = System.nanoTime() + settings.recoveryTimeout().toNanos();
            while (true) {
                try {
                    return withConnection(producerDb, c -> {
                        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                                "SELECT id, pos FROM sz_journal WHERE pos IS NULL OR pos = (SELECT MAX(pos) FROM sz_journal)")) {
                            long head = 0;
                            List<String> unstamped = new ArrayList<>();
                            while (rs.next()) {
                                long pos = rs.getLong(2);
                                if (rs.wasNull()) {
                                    unstamped.add(FlakeId.fromBytes(rs.getBytes(1)).toString());
                                } else {
                                    head = pos;
                                }
                            }
                            return new Watermark(head, unstamped);
                        }
                    });
                } catch (SQLException e) {
                    if (System.nanoTime() > end) {
                        throw new AssertionError("cannot read the journal: " + e, e);
                    }
                    sleep(100);
                }
            }
        }

        /** Polls until the consumer's offset covers the watermark; returns the milliseconds since {@code t0}. */
        long awaitRecovered(Watermark w, long t0, String what) {
            long target = w.unstamped().isEmpty() ? w.head() : -1;
            long deadline = t0 + settings.recoveryTimeout().toNanos();
            long offset = -1;
            String lastError = null;
            while (true) {
                try {
                    if (target < 0) {
                        target = positionsOf(w);
                    }
                    offset = consumerOffset();
                    if (target >= 0 && offset > target) {
                        return (System.nanoTime() - t0) / 1_000_000L;
                    }
                } catch (SQLException e) {
                    lastError = e.toString();
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(db.kind() + " " + scenario + " " + what + ": the consumer did not catch up within "
                            + settings.recoveryTimeout().toSeconds() + " s (seed " + settings.seed() + "): target position "
                            + target + " (head " + w.head() + ", " + w.unstamped().size() + " rows then unpositioned), "
                            + "consumer offset " + offset + (lastError == null ? "" : ", last error " + lastError)
                            + "\n" + tails());
                }
                sleep(20);
            }
        }

        /** The highest position of the rows unpositioned at the watermark, or -1 while some still have none. */
        private long positionsOf(Watermark w) throws SQLException {
            List<String> ids = w.unstamped();
            return withConnection(producerDb, c -> {
                long max = w.head();
                for (int from = 0; from < ids.size(); from += 500) {
                    List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(pos), MAX(pos) FROM sz_journal WHERE id IN ("
                            + "?, ".repeat(chunk.size() - 1) + "?)")) {
                        for (int i = 0; i < chunk.size(); i++) {
                            ps.setBytes(i + 1, FlakeId.parse(chunk.get(i)).toBytes());
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getInt(1) < chunk.size()) {
                                return -1L;
                            }
                            max = Math.max(max, rs.getLong(2));
                        }
                    }
                }
                return max;
            });
        }

        long consumerOffset() throws SQLException {
            return withConnection(consumerDb, c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT MIN(pos) FROM sz_offset WHERE consumer_name = ? AND producer_name = ?")) {
                    ps.setString(1, Apps.CONSUMER);
                    ps.setString(2, Apps.PRODUCER);
                    try (ResultSet rs = ps.executeQuery()) {
                        long pos = rs.next() ? rs.getLong(1) : -1L;
                        return rs.wasNull() ? -1L : pos;
                    }
                }
            });
        }

        private long consumerOffsetQuietly() {
            try {
                return consumerOffset();
            } catch (SQLException e) {
                return -1;
            }
        }

        /** Effects and offset commit together: after a kill the applied rows are exactly the offset's count. */
        private void checkOffsetMatchesEffects(String when) {
            long[] v;
            try {
                v = queryLongs(consumerDb, "SELECT (SELECT COUNT(*) FROM fault_received), (SELECT MIN(pos) FROM sz_offset "
                        + "WHERE consumer_name = '" + Apps.CONSUMER + "' AND producer_name = '" + Apps.PRODUCER + "')");
            } catch (SQLException e) {
                throw new AssertionError("cannot read the consumer's offset and rows " + when + ": " + e, e);
            }
            if (v[0] != v[1]) {
                result.offsetMismatch++;
                result.detail(when + ": " + v[0] + " rows applied but the offset is " + v[1]);
            }
        }

        void checkAlive() {
            for (ProducerInstance p : producers) {
                if (!p.process.isAlive()) {
                    throw new AssertionError(p.process + " died unexpectedly (seed " + settings.seed() + "):\n" + p.process.tail());
                }
            }
            if (!consumer.isAlive()) {
                throw new AssertionError(consumer + " died unexpectedly (seed " + settings.seed() + "):\n" + consumer.tail());
            }
        }

        String tails() {
            StringBuilder sb = new StringBuilder();
            for (ProducerInstance p : producers) {
                sb.append("--- ").append(p.process).append(" (").append(p.process.log()).append(")\n")
                        .append(p.process.tail()).append('\n');
            }
            sb.append("--- ").append(consumer).append(" (").append(consumer.log()).append(")\n").append(consumer.tail());
            return sb.toString();
        }

        void stopLoad() {
            for (ProducerInstance p : producers) {
                p.process.send("stop");
            }
            for (ProducerInstance p : producers) {
                p.process.awaitMarker("STOPPED", Duration.ofSeconds(180));
            }
        }

        /** Waits until every committed row has a position and the consumer's offset is the last one. */
        void drain() {
            long end = System.nanoTime() + settings.drainTimeout().toNanos();
            long[] v = {-1, -1, -1};
            while (true) {
                try {
                    v = queryLongs(producerDb, "SELECT (SELECT COUNT(*) FROM sz_journal WHERE pos IS NULL), "
                            + "(SELECT COALESCE(MAX(pos), 0) FROM sz_journal)");
                    long offset = consumerOffset();
                    if (v[0] == 0 && offset == v[1]) {
                        return;
                    }
                    v = new long[] {v[0], v[1], offset};
                } catch (SQLException e) {
                    // the database is still coming back
                }
                if (System.nanoTime() > end) {
                    throw new AssertionError(db.kind() + " " + scenario + ": not drained within " + settings.drainTimeout()
                            .toSeconds() + " s (seed " + settings.seed() + "): " + v[0] + " rows unpositioned, head " + v[1]
                            + ", consumer offset " + v[2] + "\n" + tails());
                }
                sleep(50);
            }
        }

        /** The comparison of both sides after the drain. */
        void verify() {
            try {
                verifyNow();
            } catch (IOException | SQLException e) {
                throw new AssertionError("verification failed to read the data: " + e, e);
            }
        }

        private void verifyNow() throws IOException, SQLException {
            record Row(String key, long seq, String content) {
            }
            record Applied(String id, long pos, String key, long seq, String content) {
            }
            Map<String, Row> items = new HashMap<>();
            Map<String, Long> journal = new HashMap<>();
            List<Applied> applied = new ArrayList<>();
            try (Connection c = producerDb.pool.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT msg_id, item_key, seq, content FROM fault_items")) {
                    while (rs.next()) {
                        items.put(rs.getString(1), new Row(rs.getString(2), rs.getLong(3), rs.getString(4)));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT id, pos FROM sz_journal")) {
                    while (rs.next()) {
                        journal.put(FlakeId.fromBytes(rs.getBytes(1)).toString(), rs.getLong(2));
                    }
                }
            }
            long deadLetters;
            try (Connection c = consumerDb.pool.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT msg_id, pos, item_key, seq, content FROM fault_received "
                        + "ORDER BY applied_order")) {
                    while (rs.next()) {
                        applied.add(new Applied(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sz_dead_letter")) {
                    rs.next();
                    deadLetters = rs.getLong(1);
                }
            }
            long offset = consumerOffset();
            ScenarioResult r = result;
            r.messagesCommitted = journal.size();
            r.messagesReceivedRows = applied.size();
            r.deadLetters = deadLetters;
            if (deadLetters > 0) {
                r.detail(deadLetters + " messages were parked in sz_dead_letter");
            }

            // business rows and messages commit together
            for (String id : items.keySet()) {
                if (!journal.containsKey(id)) {
                    r.torn++;
                    r.detail("business row without its message: " + id);
                }
            }
            for (String id : journal.keySet()) {
                if (!items.containsKey(id)) {
                    r.torn++;
                    r.detail("message without its business row: " + id);
                }
            }

            // positions are dense 1..N
            Set<Long> positions = new HashSet<>(journal.values());
            long maxPos = positions.stream().mapToLong(Long::longValue).max().orElse(0);
            if (positions.size() != journal.size() || maxPos != journal.size() || positions.contains(0L)) {
                r.positionAnomalies++;
                r.detail("journal positions are not exactly 1.." + journal.size() + " (distinct " + positions.size()
                        + ", max " + maxPos + ")");
            }

            // consumer side: duplicates, lost, phantoms, content, order
            Map<String, Integer> seen = new HashMap<>();
            Map<String, Long> lastSeqOfKey = new HashMap<>();
            long lastPos = 0;
            for (Applied a : applied) {
                if (seen.merge(a.id(), 1, Integer::sum) > 1) {
                    r.duplicated++;
                    r.detail("applied twice: " + a.id() + " (position " + a.pos() + ")");
                }
                Row row = items.get(a.id());
                if (row == null) {
                    if (!journal.containsKey(a.id())) {
                        r.phantom++;
                        r.detail("applied but never committed: " + a.id());
                    }
                } else if (!row.equals(new Row(a.key(), a.seq(), a.content()))) {
                    r.contentMismatch++;
                    r.detail("content differs for " + a.id() + ": producer " + row + ", consumer " + a);
                }
                Long prev = lastSeqOfKey.put(a.key(), a.seq());
                if (prev != null && a.seq() <= prev) {
                    r.orderViolations++;
                    r.detail("key " + a.key() + ": seq " + a.seq() + " applied after seq " + prev + " (" + a.id() + ")");
                }
                if (a.pos() <= lastPos) {
                    r.positionAnomalies++;
                    r.detail("position " + a.pos() + " applied after position " + lastPos);
                }
                Long journalPos = journal.get(a.id());
                if (journalPos != null && journalPos != a.pos()) {
                    r.positionAnomalies++;
                    r.detail(a.id() + " applied as position " + a.pos() + " but has position " + journalPos);
                }
                lastPos = a.pos();
            }
            for (String id : journal.keySet()) {
                if (!seen.containsKey(id)) {
                    r.lost++;
                    r.detail("committed but never applied: " + id + " (position " + journal.get(id) + ")");
                }
            }
            if (offset != applied.size() || offset != journal.size()) {
                r.offsetMismatch++;
                r.detail("consumer offset " + offset + ", rows applied " + applied.size() + ", messages " + journal.size());
            }

            // the writers' ledgers against the journal
            List<Path> ledgers = new ArrayList<>();
            for (ProducerInstance p : producers) {
                ledgers.add(p.ledger);
            }
            Set<String> known = new HashSet<>();
            for (Ledger.Tx tx : Ledger.read(ledgers).values()) {
                if (tx.items.isEmpty()) {
                    continue;
                }
                int present = 0;
                for (Ledger.Item item : tx.items) {
                    known.add(item.id());
                    if (journal.containsKey(item.id())) {
                        present++;
                    }
                }
                boolean all = present == tx.items.size();
                if (present != 0 && !all) {
                    r.torn++;
                    r.detail("transaction " + tx + " is partly in the journal (" + present + " of " + tx.items.size() + ")");
                }
                switch (tx.outcome) {
                    case COMMITTED -> {
                        r.transactionsCommitted++;
                        if (!all) {
                            r.acknowledgedButMissing += tx.items.size() - present;
                            r.detail("commit() returned but not in the journal: " + tx);
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
                            r.detail("rolled back but in the journal: " + tx);
                        }
                    }
                    case IN_DOUBT, UNFINISHED -> {
                        if (all) {
                            r.inDoubtCommitted++;
                        } else {
                            r.inDoubtRolledBack++;
                        }
                        if (tx.resolution != null && !tx.resolution.equals(all ? "committed" : "absent")) {
                            r.writerResolutionWrong++;
                            r.detail("the writer resolved " + tx + " but the journal says " + (all ? "committed" : "absent"));
                        }
                    }
                }
            }
            for (String id : journal.keySet()) {
                if (!known.contains(id)) {
                    r.unknownIds++;
                    r.detail("in the journal but in no ledger: " + id);
                }
            }
        }

        @Override
        public void close() {
            if (consumer != null) {
                consumer.close();
            }
            for (ProducerInstance p : producers) {
                if (p.process != null) {
                    p.process.close();
                }
            }
            if (proxy != null) {
                proxy.close();
            }
            try {
                db.ensureUp();
            } finally {
                if (producerDb != null) {
                    producerDb.close();
                }
                if (consumerDb != null) {
                    consumerDb.close();
                }
            }
        }
    }

    private static void exec(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a pooled connection; a connection that failed is evicted from the pool (H2 reports
     * a broken connection with SQLStates that HikariCP does not recognise, so it would hand it out again).
     */
    private static <T> T withConnection(FaultDatabase.Target db, SqlWork<T> work) throws SQLException {
        Connection c = db.pool.getConnection();
        try {
            T result = work.run(c);
            c.close();
            return result;
        } catch (SQLException | RuntimeException e) {
            db.pool.evictConnection(c);
            throw e;
        }
    }

    private static long[] queryLongs(FaultDatabase.Target db, String sql) throws SQLException {
        return withConnection(db, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                long[] out = new long[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = rs.getLong(i + 1);
                }
                return out;
            }
        });
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
