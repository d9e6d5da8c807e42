package io.strongzero.cli;

import static io.strongzero.cli.Cli.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strongzero.consumer.NonRetryableException;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CLI against a real producer and consumer on one database product: outputs (text and JSON) and exit
 * codes of every command that touches a database. Run once per database by small subclasses.
 */
abstract class CliContract {

    static final String PRODUCER = "users";
    static final String TYPE = "user.created";

    record User(String name, int n) {
    }

    private TestDatabase.Instance producerDb;
    private TestDatabase.Instance consumerDb;
    private StrongZeroPump pump;
    private StrongZeroProducer producer;
    private StrongZeroSender sender;
    private final List<StrongZeroConsumer> consumers = new ArrayList<>();

    protected abstract TestDatabase database();

    @BeforeEach
    void setUp() {
        producerDb = database().create("cli_prod");
        consumerDb = database().create("cli_cons");
    }

    @AfterEach
    void tearDown() {
        consumers.forEach(StrongZeroConsumer::close);
        if (sender != null) {
            sender.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (pump != null) {
            pump.close();
        }
        producerDb.close();
        consumerDb.close();
    }

    private void startProducer() {
        pump = StrongZeroPump.builder().name(PRODUCER).dataSource(producerDb.dataSource()).createSchemaIfMissing(true)
                .pollInterval(Duration.ofMillis(50)).build();
        producer = StrongZeroProducer.builder().pump(pump).bind("tcp://127.0.0.1:*").progressInterval(Duration.ofMillis(50))
                .build().start();
        sender = StrongZeroSender.builder().producer(producer).dataSource(producerDb.dataSource()).build();
    }

    private StrongZeroConsumer startConsumer(String name, Consumer<StrongZeroConsumer.Builder> customize) {
        StrongZeroConsumer.Builder b = StrongZeroConsumer.builder().name(name).dataSource(consumerDb.dataSource())
                .createSchemaIfMissing(true).producer(PRODUCER, producer.endpoints().get(0))
                .longPollWait(Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .retryPolicy(RetryPolicy.builder().maxAttempts(2).backoff(Duration.ofMillis(5), Duration.ofMillis(20)).build())
                .handler(TYPE, User.class, (m, ctx) -> { });
        customize.accept(b);
        StrongZeroConsumer c = b.build().start();
        consumers.add(c);
        return c;
    }

    private String send(String type, int n) {
        return sender.inTransaction(c -> sender.send(c, type, new User(type + "-" + n, n)).toString());
    }

    private Cli.Result producerCli(String... command) {
        return Cli.run(args(Cli.connection(producerDb), command));
    }

    private Cli.Result consumerCli(String... command) {
        return Cli.run(args(Cli.connection(consumerDb), command));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertEquals(StrongZeroCli.OK, r.code(), r.toString());
        assertEquals("", r.err(), r.toString());
        return r;
    }

    private static JsonNode consumer(JsonNode consumers, String name) {
        for (JsonNode c : consumers) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no consumer " + name + " in " + consumers);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void statusReportsJournalHeadAndEveryConsumersLagAsTextAndJson() {
        startProducer();
        producer.registerConsumer("members"); // a plaintext name nobody registered would be UNREGISTERED
        StrongZeroConsumer members = startConsumer("members", b -> { });
        for (int i = 1; i <= 10; i++) {
            send(TYPE, i);
        }
        Await.until(Duration.ofSeconds(20), "producer recorded members at 10", () -> producer.consumers().stream()
                .anyMatch(c -> c.name().equals("members") && c.position() == 10), producer::consumers);
        members.close();
        for (int i = 11; i <= 15; i++) {
            send(TYPE, i);
        }
        Await.until(Duration.ofSeconds(10), "head 15", () -> pump.head() == 15);

        Cli.Result text = ok(producerCli("status"));
        assertTrue(text.out().contains("journal sz_journal at "), text.out());
        assertTrue(text.out().matches("(?s).*\\n  rows +15\\n.*"), text.out());
        assertTrue(text.out().matches("(?s).*\\n  unsequenced +0\\n.*"), text.out());
        assertTrue(text.out().matches("(?s).*\\n  head +15\\n.*"), text.out());
        assertTrue(text.out().matches("(?s).*\\n  min position +1\\n.*"), text.out());
        assertTrue(text.out().matches("(?s).*\\n  members +ACTIVE +10 +5 .*"), text.out());

        JsonNode json = ok(producerCli("status", "--json")).json();
        assertEquals(15, json.get("rows").asLong());
        assertEquals(0, json.get("unsequenced").asLong());
        assertEquals(15, json.get("head").asLong());
        assertEquals(1, json.get("minPosition").asLong());
        assertEquals(database().dialect().shortName(), json.get("dialect").asText());
        assertFalse(json.get("sequencerOwner").isNull(), json.toString());
        JsonNode m = consumer(json.get("consumers"), "members");
        assertEquals("ACTIVE", m.get("state").asText());
        assertEquals(10, m.get("position").asLong());
        assertEquals(5, m.get("lagMessages").asLong());
        assertTrue(m.get("lagMillis").asLong() >= 0);
        assertFalse(m.get("lastPull").isNull());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void consumersRegisterAndRemoveDecideWhatRetentionKeeps() {
        startProducer();
        producer.registerConsumer("members"); // a plaintext name nobody registered would not hold retention
        StrongZeroConsumer members = startConsumer("members", b -> { });
        for (int i = 1; i <= 15; i++) {
            send(TYPE, i);
        }
        Await.until(Duration.ofSeconds(20), "members applied 15", () -> members.position(PRODUCER) == 15);
        // recorded once a later pull shows 15 committed (a prefetching pull does not)
        Await.until(Duration.ofSeconds(10), "producer recorded members at 15", () -> producer.consumers().stream()
                .anyMatch(c -> c.name().equals("members") && c.position() == 15), producer::consumers);
        members.close();

        Cli.Result registered = ok(producerCli("consumers", "register", "reports", "--position", "4"));
        assertTrue(registered.out().startsWith("registered consumer reports at position 4"), registered.out());
        JsonNode again = ok(producerCli("consumers", "register", "reports", "--json")).json();
        assertFalse(again.get("changed").asBoolean(), "registering a known consumer changes nothing");
        assertEquals("REGISTERED", again.get("state").asText());
        assertEquals(4, again.get("position").asLong());

        Cli.Result kept = ok(producerCli("retention", "run", "--min", "0s"));
        assertTrue(kept.out().contains("deleted 4 journal rows (positions up to 4)"), kept.out());
        assertTrue(kept.out().contains("the journal holds 11 rows, positions 5..15"), kept.out());
        Cli.Result nothing = ok(producerCli("retention", "run", "--min", "0s"));
        assertTrue(nothing.out().startsWith("nothing to delete") && nothing.out().contains("reports at position 4"),
                nothing.out());

        Cli.Result removed = ok(producerCli("consumers", "remove", "reports"));
        assertTrue(removed.out().startsWith("consumer reports is GONE"), removed.out());
        JsonNode list = ok(producerCli("consumers", "list", "--json")).json();
        assertEquals("GONE", consumer(list.get("consumers"), "reports").get("state").asText());
        JsonNode run = ok(producerCli("retention", "run", "--min", "0", "--chunk", "3", "--json")).json();
        assertEquals(11, run.get("deletedRows").asLong(), "members pulled everything, reports is GONE");
        assertEquals(15, run.get("deletedUpTo").asLong());
        assertEquals(0, run.get("rows").asLong());
        assertEquals(0, run.get("consumersOverrun").size());

        Cli.Result unknown = producerCli("consumers", "remove", "nobody");
        assertEquals(StrongZeroCli.FAILED, unknown.code(), unknown.toString());
        assertTrue(unknown.err().startsWith("strongzero: the producer knows no consumer named nobody"), unknown.err());

        // max retention overruns a consumer that did not pull: it is named
        ok(producerCli("consumers", "register", "late"));
        for (int i = 16; i <= 18; i++) {
            send(TYPE, i);
        }
        Await.until(Duration.ofSeconds(10), "head 18", () -> pump.head() == 18);
        Cli.Result forced = ok(producerCli("retention", "run", "--min", "0s", "--max", "0s"));
        assertTrue(forced.out().contains("deleted 3 journal rows (positions up to 18)"), forced.out());
        assertTrue(forced.out().contains("WARNING: consumers late, members had not pulled the deleted rows"), forced.out());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void consumersRegisterTurnsAnUnregisteredConsumerIntoOneRetentionWaitsFor() {
        startProducer();
        StrongZeroConsumer walkIn = startConsumer("walkin", b -> { });
        for (int i = 1; i <= 6; i++) {
            send(TYPE, i);
        }
        Await.until(Duration.ofSeconds(20), "producer recorded walkin at 6", () -> producer.consumers().stream()
                .anyMatch(c -> c.name().equals("walkin") && c.position() == 6), producer::consumers);
        walkIn.close();
        for (int i = 7; i <= 9; i++) {
            send(TYPE, i);
        }
        Await.until(Duration.ofSeconds(10), "head 9", () -> pump.head() == 9);
        JsonNode listed = consumer(ok(producerCli("consumers", "list", "--json")).json().get("consumers"), "walkin");
        assertEquals("UNREGISTERED", listed.get("state").asText(), listed.toString());

        JsonNode registered = ok(producerCli("consumers", "register", "walkin", "--json")).json();
        assertTrue(registered.get("changed").asBoolean(), "an UNREGISTERED consumer is registered: " + registered);
        assertEquals("REGISTERED", registered.get("state").asText(), registered.toString());
        assertEquals(0, registered.get("position").asLong(),
                "the lower of its recorded position (6) and the one given (default 0)");
        Cli.Result nothing = ok(producerCli("retention", "run", "--min", "0s"));
        assertTrue(nothing.out().startsWith("nothing to delete") && nothing.out().contains("walkin at position 0"),
                "retention now waits for it: " + nothing.out());
        assertEquals(9, ok(producerCli("status", "--json")).json().get("rows").asLong());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void dlqListShowDiscardAndAReplayRequestCarriedOutByTheRunningConsumer() {
        startProducer();
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger flakyApplied = new AtomicInteger();
        StrongZeroConsumer members = startConsumer("members", b -> b
                .handler("user.flaky", User.class, (m, ctx) -> {
                    if (broken.get()) {
                        throw new IllegalStateException("downstream unavailable for " + m.payload().name());
                    }
                    flakyApplied.incrementAndGet();
                })
                .handler("user.strict", User.class, (m, ctx) -> {
                    throw new NonRetryableException("strict refuses " + m.payload().name());
                })
                .retryPolicy("user.strict", RetryPolicy.builder().onExhausted(RetryPolicy.OnExhausted.BLOCK).build()));
        send(TYPE, 1);
        String flaky = sender.inTransaction(c -> sender.send(c, "user.flaky", "user-2", new User("user.flaky-2", 2),
                io.strongzero.core.Headers.of("trace-id", "t-2")).toString());
        send(TYPE, 3);
        Await.until(Duration.ofSeconds(20), "parked and moved on", () -> members.position(PRODUCER) == 3
                && members.parkedCount() == 1);

        Cli.Result list = ok(consumerCli("dlq", "list", "--consumer", "members"));
        assertTrue(list.out().startsWith("open dead letters of consumer members (1)"), list.out());
        assertTrue(list.out().matches("(?s).*\\n  users +2 +" + flaky + " +user\\.flaky +PARKED +2 .*IllegalStateException: "
                + "downstream unavailable for user\\.flaky-2\\n.*"), list.out());
        Cli.Result show = ok(consumerCli("dlq", "show", flaky, "--consumer", "members", "--payload"));
        assertTrue(show.out().contains("dead letter " + flaky + " of consumer members"), show.out());
        assertTrue(show.out().matches("(?s).*\\n  status +PARKED \\(the stream went on; .*"), show.out());
        assertTrue(show.out().matches("(?s).*\\n  1 +\\S+ +java\\.lang\\.IllegalStateException: downstream unavailable.*"),
                show.out());
        assertTrue(show.out().contains("\"name\" : \"user.flaky-2\""), "payload decoded: " + show.out());
        assertTrue(show.out().matches("(?s).*\\n  key +user-2\\n.*"), show.out());
        assertTrue(show.out().matches("(?s).*\\n  headers +trace-id=t-2\\n.*"), show.out());
        JsonNode shown = ok(consumerCli("dlq", "show", flaky, "--consumer", "members", "--producer", PRODUCER, "--json"))
                .json();
        assertEquals(2, shown.get("errors").size());
        assertEquals("java.lang.IllegalStateException", shown.get("errors").get(1).get("exceptionClass").asText());
        assertFalse(shown.has("payload"), "the payload only with --payload");
        assertEquals("user-2", shown.get("key").asText());
        assertEquals("trace-id", shown.get("headerNames").get(0).asText());
        assertFalse(shown.has("headers"), "header values only with --payload");

        broken.set(false);
        Cli.Result replay = ok(consumerCli("dlq", "replay", flaky, "--consumer", "members"));
        assertTrue(replay.out().contains("requested; the running consumer replays it within seconds"), replay.out());
        Await.until(Duration.ofSeconds(20), "the running consumer replayed it", () -> flakyApplied.get() == 1
                && ok(consumerCli("dlq", "list", "--consumer", "members", "--json")).json().get("deadLetters").isEmpty());
        assertEquals(1, flakyApplied.get());
        Cli.Result gone = consumerCli("dlq", "show", flaky, "--consumer", "members");
        assertEquals(StrongZeroCli.FAILED, gone.code(), gone.toString());
        assertTrue(gone.err().startsWith("strongzero: consumer members has no dead letter " + flaky), gone.err());

        broken.set(true);
        String second = send("user.flaky", 4);
        Await.until(Duration.ofSeconds(20), "second parked", () -> members.position(PRODUCER) == 4
                && members.parkedCount() == 2);
        Cli.Result noReason = consumerCli("dlq", "discard", second, "--consumer", "members");
        assertEquals(StrongZeroCli.USAGE, noReason.code(), noReason.toString());
        assertTrue(noReason.err().startsWith("strongzero: dlq needs --reason"), noReason.err());
        Cli.Result discarded = ok(consumerCli("dlq", "discard", second, "--consumer", "members", "--reason",
                "customer deleted"));
        assertTrue(discarded.out().startsWith("discarded dead letter " + second), discarded.out());
        JsonNode old = ok(consumerCli("dlq", "list", "--consumer", "members", "--status", "discarded", "--json")).json();
        assertEquals(1, old.get("deadLetters").size());
        assertEquals("customer deleted", old.get("deadLetters").get(0).get("discardReason").asText());
        Cli.Result replayDiscarded = consumerCli("dlq", "replay", second, "--consumer", "members");
        assertEquals(StrongZeroCli.FAILED, replayDiscarded.code(), replayDiscarded.toString());
        assertTrue(replayDiscarded.err().contains("was discarded (customer deleted)"), replayDiscarded.err());

        // a BLOCKING dead letter stops the stream; discarding it from the CLI lets the stream go on
        String strict = send("user.strict", 5);
        send(TYPE, 6);
        Await.until(Duration.ofSeconds(20), "blocked", () -> members.isBlocked(PRODUCER));
        JsonNode blocking = ok(consumerCli("dlq", "list", "--consumer", "members", "--json")).json().get("deadLetters");
        assertEquals(1, blocking.size());
        assertEquals("BLOCKING", blocking.get(0).get("status").asText());
        ok(consumerCli("dlq", "discard", strict, "--consumer", "members", "--reason", "obsolete"));
        Await.until(Duration.ofSeconds(20), "stream resumed past 5", () -> members.position(PRODUCER) == 6,
                () -> members.position(PRODUCER));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void schemaPrintsDdlThatCreatesWorkingTablesInThisDatabase() throws Exception {
        String dialect = database().dialect().shortName();
        Cli.Result producerDdl = ok(Cli.run("schema", "--dialect", dialect, "--side", "producer", "--prefix", "ops_"));
        Cli.Result consumerDdl = ok(Cli.run("schema", "--dialect", dialect, "--side", "consumer", "--prefix", "ops_"));
        assertTrue(producerDdl.out().contains("CREATE TABLE IF NOT EXISTS ops_journal"), producerDdl.out());
        assertFalse(producerDdl.out().contains("ops_offset"), producerDdl.out());
        assertTrue(consumerDdl.out().contains("CREATE TABLE IF NOT EXISTS ops_dead_letter"), consumerDdl.out());
        execute(producerDb, producerDdl.out());
        execute(consumerDb, consumerDdl.out());

        JsonNode status = ok(producerCli("status", "--prefix", "ops_", "--json")).json();
        assertEquals("ops_journal", status.get("journal").asText());
        assertEquals(0, status.get("rows").asLong());
        assertEquals(0, status.get("consumers").size());
        Cli.Result unknown = consumerCli("dlq", "list", "--consumer", "members", "--prefix", "ops_");
        assertEquals(StrongZeroCli.FAILED, unknown.code(), "no consumer has started yet: " + unknown);
        insertOffset(consumerDb, "ops_", "members", PRODUCER);
        Cli.Result none = ok(consumerCli("dlq", "list", "--consumer", "members", "--prefix", "ops_"));
        assertEquals("consumer members has no open dead letters\n", none.out().replace("\r\n", "\n"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDatabaseWithoutTheTablesFailsNamingTheCommandThatPrintsTheirDdl() {
        Schema.create(consumerDb.dataSource(), database().dialect(), Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        Cli.Result wrongDb = Cli.run(args(Cli.connection(consumerDb), "status"));
        assertEquals(StrongZeroCli.FAILED, wrongDb.code(), wrongDb.toString());
        assertEquals("", wrongDb.out());
        assertEquals(1, wrongDb.err().lines().count(), wrongDb.err());
        assertTrue(wrongDb.err().contains("table sz_journal not found") && wrongDb.err().contains("is this the producer's "
                + "database") && wrongDb.err().contains("'strongzero schema --dialect " + database().dialect().shortName()
                + " --side producer'"), wrongDb.err());
        Cli.Result json = Cli.run(args(Cli.connection(producerDb), "dlq", "list", "--consumer", "members", "--json"));
        assertEquals(StrongZeroCli.FAILED, json.code(), json.toString());
        assertEquals(1, json.json().get("exitCode").asInt());
        assertTrue(json.json().get("error").asText().contains("table sz_dead_letter not found"), json.out());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFormatOneJournalFailsNamingTheMigrationNotAMissingTable() throws Exception {
        update(producerDb, "CREATE TABLE sz_journal (id CHAR(32) NOT NULL PRIMARY KEY, pos BIGINT)");
        Cli.Result status = Cli.run(args(Cli.connection(producerDb), "status"));
        assertEquals(StrongZeroCli.FAILED, status.code(), status.toString());
        assertTrue(status.err().contains("table sz_journal is in journal format 1"), status.err());
        assertTrue(status.err().contains("io/strongzero/sql/" + database().dialect().shortName()
                + "/migrate-1-to-2-producer.sql"), status.err());
        assertTrue(status.err().contains("docs/schema.md#migrating-from-format-1-to-format-2"), status.err());
        assertFalse(status.err().contains("not found"), status.err());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anOffsetTableWithoutLanesFailsNamingTheLaneMigrationNotAMissingTable() throws Exception {
        String bytes = database().dialect() == Dialect.POSTGRESQL ? "BYTEA" : "BINARY(16)";
        update(consumerDb, "CREATE TABLE sz_offset (consumer_name VARCHAR(128) NOT NULL, producer_name VARCHAR(128) NOT NULL,"
                + " pos BIGINT NOT NULL, message_id " + bytes + ", updated_at BIGINT NOT NULL,"
                + " PRIMARY KEY (consumer_name, producer_name))");
        Schema.create(consumerDb.dataSource(), database().dialect(), Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        Cli.Result list = Cli.run(args(Cli.connection(consumerDb), "dlq", "list", "--consumer", "members"));
        assertEquals(StrongZeroCli.FAILED, list.code(), list.toString());
        assertTrue(list.err().contains("table sz_offset predates lanes (issue 17)"), list.err());
        assertTrue(list.err().contains("io/strongzero/sql/" + database().dialect().shortName()
                + "/migrate-offset-lanes.sql"), list.err());
        assertTrue(list.err().contains("docs/schema.md#adding-lanes-to-the-offset-table"), list.err());
        assertFalse(list.err().contains("table sz_offset not found"), list.err());
    }

    private static void execute(TestDatabase.Instance db, String ddl) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String stmt : Schema.statements(ddl)) {
                s.execute(stmt);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    private static void insertOffset(TestDatabase.Instance db, String prefix, String consumer, String producer)
            throws Exception {
        update(db, "INSERT INTO " + prefix + "offset (consumer_name, producer_name, lane, lanes, pos, message_id, "
                + "updated_at) VALUES ('" + consumer + "', '" + producer + "', 0, 1, 0, NULL, 1)");
    }

    private static void update(TestDatabase.Instance db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    private static void failedWith(Cli.Result r, String start, String... contains) {
        assertEquals(StrongZeroCli.FAILED, r.code(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("strongzero: " + start), r.err());
        for (String c : contains) {
            assertTrue(r.err().contains(c), "'" + c + "' in " + r.err());
        }
    }

    /** Issue 12 item 5: a mistyped --consumer used to print "has no open dead letters" and exit 0. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyDlqCommandFailsWithExit1NamingTheKnownConsumersWhenTheConsumerIsUnknown() throws Exception {
        Schema.create(consumerDb.dataSource(), database().dialect(), Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        Cli.Result none = consumerCli("dlq", "list", "--consumer", "members");
        failedWith(none, "no consumer named members in sz_offset or sz_dead_letter at ",
                "known consumers: none (a consumer is known once it has started)");
        insertOffset(consumerDb, "sz_", "members", PRODUCER);
        insertOffset(consumerDb, "sz_", "billing", PRODUCER);
        String id = "0000018bcfe568000a0b0c0d0e0f0003";
        for (String[] command : new String[][] {{"dlq", "list"}, {"dlq", "show", id}, {"dlq", "replay", id},
            {"dlq", "discard", id, "--reason", "typo"}}) {
            Cli.Result r = consumerCli(args(command, "--consumer", "nobody"));
            failedWith(r, "no consumer named nobody in sz_offset or sz_dead_letter at ", "known consumers: billing, members");
        }
        JsonNode json = consumerCli("dlq", "list", "--consumer", "nobody", "--json").json();
        assertEquals(1, json.get("exitCode").asInt());
        assertTrue(json.get("error").asText().startsWith("no consumer named nobody"), json.toString());
        Cli.Result known = ok(consumerCli("dlq", "list", "--consumer", "members"));
        assertEquals("consumer members has no open dead letters\n", known.out().replace("\r\n", "\n"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyDlqCommandFailsWithExit1NamingTheKnownProducersWhenTheProducerIsUnknown() throws Exception {
        Schema.create(consumerDb.dataSource(), database().dialect(), Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
        insertOffset(consumerDb, "sz_", "members", PRODUCER);
        insertOffset(consumerDb, "sz_", "members", "orders");
        insertOffset(consumerDb, "sz_", "billing", "invoices");
        String id = "0000018bcfe568000a0b0c0d0e0f0003";
        for (String[] command : new String[][] {{"dlq", "list"}, {"dlq", "show", id}, {"dlq", "replay", id},
            {"dlq", "discard", id, "--reason", "typo"}}) {
            Cli.Result r = consumerCli(args(command, "--consumer", "members", "--producer", "userz"));
            failedWith(r, "consumer members knows no producer named userz", "known producers of members: orders, users");
        }
        ok(consumerCli("dlq", "list", "--consumer", "members", "--producer", PRODUCER));
        Cli.Result notOurs = consumerCli("dlq", "list", "--consumer", "members", "--producer", "invoices");
        failedWith(notOurs, "consumer members knows no producer named invoices");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void consumersRemoveOfAnUnknownConsumerFailsWithExit1NamingTheKnownOnes() {
        Schema.create(producerDb.dataSource(), database().dialect(), Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
        failedWith(producerCli("consumers", "remove", "members"), "the producer knows no consumer named members (no row in "
                + "sz_consumer at ", "known consumers: none");
        ok(producerCli("consumers", "register", "members"));
        ok(producerCli("consumers", "register", "billing"));
        failedWith(producerCli("consumers", "remove", "member"), "the producer knows no consumer named member",
                "known consumers: billing, members");
    }

    /** Issue 12 item 7: a consumer that stopped 27 minutes ago was listed as ACTIVE. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anActiveConsumerWithNoPullForIdleAfterOrNeverIsShownAsIdleInConsumersListAndStatus() throws Exception {
        Schema.create(producerDb.dataSource(), database().dialect(), Schema.Side.PRODUCER, Schema.DEFAULT_PREFIX);
        java.time.Instant now = java.time.Instant.parse("2026-12-07T01:00:00Z");
        long t = now.toEpochMilli();
        String insert = "INSERT INTO sz_consumer (consumer_name, pos, last_seen, state) VALUES ";
        update(producerDb, insert + "('fresh', 0, " + (t - 10_000) + ", 'ACTIVE')");
        update(producerDb, insert + "('edge', 0, " + (t - 60_000) + ", 'ACTIVE')");
        update(producerDb, insert + "('stale', 0, " + (t - 27 * 60_000) + ", 'ACTIVE')");
        update(producerDb, insert + "('never', 0, 0, 'ACTIVE')");
        update(producerDb, insert + "('planned', 0, 0, 'REGISTERED')");
        update(producerDb, insert + "('retired', 0, " + (t - 27 * 60_000) + ", 'GONE')");
        String[] connection = Cli.connection(producerDb);

        Cli.Result list = Cli.runAt(now, args(connection, "consumers", "list"));
        ok(list);
        String text = list.out().replace("\r\n", "\n");
        assertTrue(text.matches("(?s).*\\n  fresh +ACTIVE +0 .*"), text);
        assertTrue(text.matches("(?s).*\\n  edge +ACTIVE +0 .*"), "60 s is not older than 60 s: " + text);
        assertTrue(text.matches("(?s).*\\n  stale +IDLE +0 .*\\(27 min ago\\)\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n  never +IDLE +0 .*never\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n  planned +REGISTERED +0 .*"), text);
        assertTrue(text.matches("(?s).*\\n  retired +GONE \\(ignored by retention\\) .*"), text);

        JsonNode json = ok(Cli.runAt(now, args(connection, "consumers", "list", "--json"))).json();
        assertEquals(60_000, json.get("idleAfterMillis").asLong());
        assertEquals("IDLE", consumer(json.get("consumers"), "stale").get("state").asText());
        assertEquals("ACTIVE", consumer(json.get("consumers"), "stale").get("storedState").asText());
        assertEquals("ACTIVE", consumer(json.get("consumers"), "fresh").get("state").asText());
        assertEquals("IDLE", consumer(json.get("consumers"), "never").get("state").asText());
        assertEquals("REGISTERED", consumer(json.get("consumers"), "planned").get("state").asText());
        assertEquals("GONE", consumer(json.get("consumers"), "retired").get("state").asText());

        JsonNode longer = ok(Cli.runAt(now, args(connection, "consumers", "list", "--idle-after", "30m", "--json"))).json();
        assertEquals("ACTIVE", consumer(longer.get("consumers"), "stale").get("state").asText());
        assertEquals("IDLE", consumer(longer.get("consumers"), "never").get("state").asText());

        Cli.Result status = ok(Cli.runAt(now, args(connection, "status")));
        assertTrue(status.out().matches("(?s).*\\n  stale +IDLE +0 .*"), status.out());
        JsonNode statusJson = ok(Cli.runAt(now, args(connection, "status", "--idle-after", "5s", "--json"))).json();
        assertEquals("IDLE", consumer(statusJson.get("consumers"), "fresh").get("state").asText());
    }
}
