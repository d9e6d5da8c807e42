package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroSchemaException;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import io.strongzero.pump.StrongZeroPump;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Every builder refuses invalid and conflicting settings with a {@link StrongZeroConfigException} that
 * names the setting and the value; components refuse to start on missing tables, naming the table and
 * the DDL to run. H2 only: the rules do not depend on the database.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BuilderValidationTest {

    private static final String ENDPOINT = "tcp://127.0.0.1:7300";

    private TestDatabase.Instance db;

    @BeforeEach
    void setUp() {
        db = TestDatabase.H2.create("builders");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /** Asserts that {@code call} is refused with a message containing every fragment. */
    private static StrongZeroConfigException refused(Executable call, String... fragments) {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" should contain \"" + f + "\"");
        }
        return e;
    }

    private static final String[] BAD_NAMES = {"", "-starts-with-dash", ".dot", "has space", "slash/name", "x".repeat(129),
        "ünïcode"};

    /** What build() says when a producer has neither a pump nor a pump configuration and a data source. */
    private static final String EITHER_PUMP = "either pump(StrongZeroPump), or pump(PumpConfig) and dataSource";

    private static PumpConfig.Builder pumpConfig() {
        return PumpConfig.builder().name("users");
    }

    private StrongZeroPump.Builder pump() {
        return StrongZeroPump.builder().name("users").dataSource(db.dataSource()).dialect(Dialect.H2);
    }

    private StrongZeroConsumer.Builder consumer() {
        return StrongZeroConsumer.builder().name("members").dataSource(db.dataSource()).dialect(Dialect.H2)
                .producer("users", ENDPOINT).handler("user.created", Pipeline.User.class, (m, ctx) -> { });
    }

    // ---- StrongZeroPump -----------------------------------------------------------------------------------

    @Test
    void pumpRefusesInvalidNamesNamingTheValue() {
        for (String bad : BAD_NAMES) {
            refused(() -> StrongZeroPump.builder().name(bad), "name must be", "'" + bad + "'");
        }
        refused(() -> StrongZeroPump.builder().name(null), "name must be", "'null'");
        assertDoesNotThrow(() -> StrongZeroPump.builder().name("a" + "b.c_d:e-F9".repeat(12)).name("x"));
    }

    @Test
    void pumpRefusesOutOfRangeDurationsAndSizes() {
        refused(() -> pump().pollInterval(Duration.ZERO), "pollInterval", "PT0S");
        refused(() -> pump().pollInterval(Duration.ofMillis(-5)), "pollInterval", "PT-0.005S");
        refused(() -> pump().pollInterval(Duration.ofSeconds(61)), "pollInterval", "PT1M1S");
        refused(() -> pump().pollInterval(null), "pollInterval", "null");
        refused(() -> pump().batchSize(0), "batchSize", "was 0");
        refused(() -> pump().batchSize(10_001), "batchSize", "10001");
        assertDoesNotThrow(() -> pump().pollInterval(Duration.ofMillis(1)).pollInterval(Duration.ofSeconds(60))
                .batchSize(1).batchSize(10_000));
    }

    @Test
    void pumpRefusesBadEndpointsPrefixesAndOwners() {
        refused(() -> pump().pokeEndpoint("udp://127.0.0.1:7301"), "pokeEndpoint", "udp://127.0.0.1:7301");
        refused(() -> pump().pokeEndpoint(null), "pokeEndpoint", "null");
        refused(() -> pump().tablePrefix("1sz_"), "tablePrefix", "'1sz_'");
        refused(() -> pump().tablePrefix("sz-"), "tablePrefix", "'sz-'");
        refused(() -> pump().tablePrefix("a" + "b".repeat(30)), "tablePrefix");
        refused(() -> pump().tablePrefix("sz_; DROP TABLE x; --"), "tablePrefix");
        refused(() -> pump().owner(""), "owner", "''");
        refused(() -> pump().owner("   "), "owner");
        refused(() -> pump().owner("o".repeat(201)), "owner", "1 to 200");
    }

    @Test
    void pumpRequiresNameAndDataSource() {
        refused(() -> StrongZeroPump.builder().dataSource(db.dataSource()).build(), "name is required");
        refused(() -> StrongZeroPump.builder().name("users").build(), "dataSource is required");
    }

    // ---- StrongZeroProducer -------------------------------------------------------------------------------

    @Test
    void producerRefusesInvalidNamesEndpointsAndSizes() {
        for (String bad : BAD_NAMES) {
            refused(() -> PumpConfig.builder().name(bad), "name must be", "'" + bad + "'");
        }
        for (String bad : new String[] {"http://127.0.0.1:7300", "127.0.0.1:7300", "", "tcp:/x"}) {
            refused(() -> StrongZeroProducer.builder().bind(bad), "bind endpoint", "'" + bad + "'");
        }
        refused(() -> StrongZeroProducer.builder().bind(null), "bind endpoint", "'null'");
        refused(() -> StrongZeroProducer.builder().readers(0), "readers", "was 0");
        refused(() -> StrongZeroProducer.builder().readers(65), "readers", "65");
        refused(() -> StrongZeroProducer.builder().maxBatchMessages(0), "maxBatchMessages", "was 0");
        refused(() -> StrongZeroProducer.builder().maxBatchMessages(10_001), "maxBatchMessages", "10001");
        refused(() -> StrongZeroProducer.builder().maxBatchBytes(1023), "maxBatchBytes", "1023");
        refused(() -> StrongZeroProducer.builder().maxBatchBytes(64 * 1024 * 1024 + 1), "maxBatchBytes", "67108865");
        refused(() -> StrongZeroProducer.builder().maxParked(0), "maxParked", "was 0");
        refused(() -> StrongZeroProducer.builder().maxParked(1_000_001), "maxParked", "1000001");
        refused(() -> StrongZeroProducer.builder().maxQueuedReads(0), "maxQueuedReads", "was 0");
        refused(() -> StrongZeroProducer.builder().maxQueuedReads(100_001), "maxQueuedReads", "100001");
        refused(() -> StrongZeroProducer.builder().heartbeat(Duration.ofMillis(99)), "heartbeat", "PT0.099S");
        refused(() -> StrongZeroProducer.builder().heartbeat(Duration.ofSeconds(61)), "heartbeat", "PT1M1S");
        refused(() -> StrongZeroProducer.builder().heartbeat(null), "heartbeat", "null");
        refused(() -> PumpConfig.builder().pollInterval(Duration.ZERO), "pollInterval", "PT0S");
        refused(() -> PumpConfig.builder().tablePrefix("9_"), "tablePrefix", "'9_'");
        refused(() -> StrongZeroProducer.builder().maxUnregisteredConsumers(-1), "maxUnregisteredConsumers",
                "between 0 and 100000", "was -1");
        refused(() -> StrongZeroProducer.builder().maxUnregisteredConsumers(100_001), "maxUnregisteredConsumers", "100001");
        refused(() -> StrongZeroProducer.builder().consumerIdleAfter(Duration.ofMillis(999)), "consumerIdleAfter",
                "between 1 s and 7 days", "PT0.999S");
        refused(() -> StrongZeroProducer.builder().consumerIdleAfter(Duration.ofDays(7).plusMillis(1)),
                "consumerIdleAfter", "PT168H0.001S");
        refused(() -> StrongZeroProducer.builder().consumerIdleAfter(null), "consumerIdleAfter", "null");
        assertDoesNotThrow(() -> StrongZeroProducer.builder().maxUnregisteredConsumers(0).maxUnregisteredConsumers(100_000)
                .consumerIdleAfter(Duration.ofSeconds(1)).consumerIdleAfter(Duration.ofDays(7)));
        assertDoesNotThrow(() -> StrongZeroProducer.builder().bind("tcp://*:7300").bind("ipc:///tmp/x.sz")
                .bind("inproc://x").readers(1).readers(64).maxBatchBytes(1024).heartbeat(Duration.ofMillis(100)));
    }

    @Test
    void producerRefusesABadPokeEndpointWhenItIsSet() {
        refused(() -> PumpConfig.builder().pokeEndpoint("bogus"), "pokeEndpoint", "'bogus'");
        refused(() -> PumpConfig.builder().pokeEndpoint(null), "pokeEndpoint", "'null'");
    }

    @Test
    void producerRequiresAnEndpointAndEitherAPumpOrNameAndDataSource() {
        refused(() -> StrongZeroProducer.builder().pump(pumpConfig().build()).dataSource(db.dataSource()).build(),
                "at least one bind endpoint");
        refused(() -> StrongZeroProducer.builder().bind(ENDPOINT).build(), EITHER_PUMP);
        refused(() -> StrongZeroProducer.builder().bind(ENDPOINT).pump(pumpConfig().build()).build(), EITHER_PUMP);
        refused(() -> StrongZeroProducer.builder().bind(ENDPOINT).dataSource(db.dataSource()).build(), EITHER_PUMP);
    }

    @Test
    void producerRefusesAPumpCombinedWithPumpSettings() {
        StrongZeroPump p = pump().build();
        refused(() -> StrongZeroProducer.builder().pump(p).pump(pumpConfig().build()).bind(ENDPOINT).build(), "pump",
                "PumpConfig");
        refused(() -> StrongZeroProducer.builder().pump(p).dataSource(db.dataSource()).bind(ENDPOINT).build(),
                "pump", "dataSource");
        refused(() -> StrongZeroProducer.builder().pump(p).pump(pumpConfig().pokeEndpoint("tcp://127.0.0.1:7301").build())
                .bind(ENDPOINT).build(), "pump", "PumpConfig");
        refused(() -> StrongZeroProducer.builder().pump(p).pump(pumpConfig().createSchemaIfMissing(true).build())
                .bind(ENDPOINT).build(), "pump", "PumpConfig");
        refused(() -> StrongZeroProducer.builder().pump(p).pump(pumpConfig().pollInterval(Duration.ofMillis(10)).build())
                .bind(ENDPOINT).build(), "pump", "PumpConfig");
        refused(() -> StrongZeroProducer.builder().pump(p).pump(pumpConfig().tablePrefix("app_").build()).bind(ENDPOINT)
                .build(), "pump", "PumpConfig");
        refused(() -> StrongZeroProducer.builder().pump(p).pump(pumpConfig().dialect(Dialect.POSTGRESQL).build())
                .bind(ENDPOINT).build(), "pump", "PumpConfig");
        assertDoesNotThrow(() -> StrongZeroProducer.builder().pump(p).bind(ENDPOINT).readers(2).build());
    }

    // ---- StrongZeroSender ---------------------------------------------------------------------------------

    @Test
    void senderRefusesInvalidPrefixNodeAndEndpoint() {
        refused(() -> StrongZeroSender.builder().tablePrefix("_sz"), "tablePrefix", "'_sz'");
        refused(() -> StrongZeroSender.builder().nodeId(-1), "nodeId", "-1");
        refused(() -> StrongZeroSender.builder().nodeId(FlakeId.MAX_NODE + 1), "nodeId",
                String.valueOf(FlakeId.MAX_NODE + 1));
        refused(() -> StrongZeroSender.builder().pokeEndpoint("ws://host"), "pokeEndpoint", "'ws://host'");
        refused(() -> StrongZeroSender.builder().pokeEndpoint(null), "pokeEndpoint", "'null'");
        assertDoesNotThrow(() -> StrongZeroSender.builder().nodeId(0).nodeId(FlakeId.MAX_NODE).build().close());
    }

    @Test
    void senderRefusesATablePrefixThatDiffersFromItsPumps() {
        StrongZeroPump p = pump().build();
        refused(() -> StrongZeroSender.builder().pump(p).tablePrefix("app_").build(), "tablePrefix", "'app_'", "'sz_'");
        refused(() -> StrongZeroSender.builder().tablePrefix("app_").pump(p).build(), "tablePrefix", "'app_'", "'sz_'");
        try (StrongZeroSender same = StrongZeroSender.builder().tablePrefix("sz_").pump(p).build();
             StrongZeroSender adopted = StrongZeroSender.builder().pump(p).build()) {
            assertEquals("sz_", same.tablePrefix());
            assertEquals("sz_", adopted.tablePrefix());
        }
        StrongZeroPump app = pump().tablePrefix("app_").build();
        try (StrongZeroSender s = StrongZeroSender.builder().pump(app).build()) {
            assertEquals("app_", s.tablePrefix(), "the sender adopts its pump's prefix");
        }
    }

    @Test
    void senderWithoutDataSourceRefusesTheCallsThatNeedOne() {
        try (StrongZeroSender s = StrongZeroSender.builder().build()) {
            refused(() -> s.send("user.created", new Pipeline.User("x", 1)), "dataSource", "send(connection, type, payload)");
            refused(() -> s.inTransaction(c -> null), "dataSource");
        }
    }

    // ---- StrongZeroConsumer -------------------------------------------------------------------------------

    @Test
    void consumerRefusesInvalidNamesProducersAndHandlers() {
        for (String bad : BAD_NAMES) {
            refused(() -> StrongZeroConsumer.builder().name(bad), "name must be", "'" + bad + "'");
            refused(() -> StrongZeroConsumer.builder().producer(bad, ENDPOINT), "producer name", "'" + bad + "'");
        }
        refused(() -> StrongZeroConsumer.builder().producer("users", "http://x"), "endpoint of producer users",
                "'http://x'");
        refused(() -> StrongZeroConsumer.builder().producer("users", null), "endpoint of producer users", "'null'");
        refused(() -> StrongZeroConsumer.builder().producer("users", ENDPOINT).producer("users", "tcp://127.0.0.1:7400"),
                "producer 'users' is already configured");
        refused(() -> StrongZeroConsumer.builder().handler("", Pipeline.User.class, (m, c) -> { }), "handler type",
                "''");
        refused(() -> StrongZeroConsumer.builder().handler(null, Pipeline.User.class, (m, c) -> { }), "handler type",
                "'null'");
        refused(() -> StrongZeroConsumer.builder().handler("t".repeat(256), Pipeline.User.class, (m, c) -> { }),
                "handler type", "1 to 255");
        refused(() -> StrongZeroConsumer.builder().handler("a", Pipeline.User.class, (m, c) -> { })
                .handler("a", Pipeline.User.class, (m, c) -> { }), "a handler for type 'a' is already registered");
    }

    @Test
    void consumerRefusesOutOfRangeSizes() {
        refused(() -> consumer().maxBatchMessages(0), "maxBatchMessages", "was 0");
        refused(() -> consumer().maxBatchMessages(10_001), "maxBatchMessages", "10001");
        refused(() -> consumer().maxBatchBytes(1023), "maxBatchBytes", "1023");
        refused(() -> consumer().maxBatchBytes(64 * 1024 * 1024 + 1), "maxBatchBytes", "67108865");
        refused(() -> consumer().transactionSize(0), "transactionSize", "was 0");
        refused(() -> consumer().transactionSize(10_001), "transactionSize", "10001");
    }

    @Test
    void consumerRefusesOutOfRangeDurationsIncludingFractionsAboveTheLimit() {
        refused(() -> consumer().longPollWait(Duration.ofMillis(-1)), "longPollWait", "PT-0.001S");
        refused(() -> consumer().longPollWait(Duration.ofMillis(60_001)), "longPollWait", "PT1M0.001S");
        refused(() -> consumer().longPollWait(null), "longPollWait", "null");
        refused(() -> consumer().requestTimeout(Duration.ofMillis(99)), "requestTimeout", "PT0.099S");
        refused(() -> consumer().requestTimeout(Duration.ofMinutes(5).plusSeconds(1)), "requestTimeout", "PT5M1S");
        refused(() -> consumer().heartbeat(Duration.ofMillis(99)), "heartbeat", "PT0.099S");
        refused(() -> consumer().heartbeat(Duration.ofMillis(60_001)), "heartbeat", "PT1M0.001S");
        refused(() -> consumer().handshakeTimeout(Duration.ofMillis(99)), "handshakeTimeout", "PT0.099S");
        refused(() -> consumer().handshakeTimeout(Duration.ofMillis(60_001)), "handshakeTimeout", "PT1M0.001S");
        refused(() -> consumer().handshakeTimeout(null), "handshakeTimeout", "null");
        refused(() -> consumer().closeTimeout(Duration.ofMillis(-1)), "closeTimeout", "PT-0.001S");
        refused(() -> consumer().closeTimeout(Duration.ofMinutes(10).plusSeconds(1)), "closeTimeout", "PT10M1S");
        refused(() -> consumer().reconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)), "reconnectBackoff", "base PT0S");
        refused(() -> consumer().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)), "reconnectBackoff",
                "base PT2S", "cap PT1S");
        refused(() -> consumer().reconnectBackoff(Duration.ofMillis(1), Duration.ofHours(24).plusSeconds(1)),
                "reconnectBackoff", "cap PT24H1S");
        refused(() -> consumer().reconnectBackoff(null, Duration.ofSeconds(1)), "reconnectBackoff", "base null");
        assertDoesNotThrow(() -> consumer().longPollWait(Duration.ZERO).longPollWait(Duration.ofSeconds(60))
                .requestTimeout(Duration.ofMillis(100)).requestTimeout(Duration.ofMinutes(5))
                .closeTimeout(Duration.ZERO).closeTimeout(Duration.ofMinutes(10))
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofHours(24)));
    }

    @Test
    void consumerBuildRefusesMissingAndConflictingSettings() {
        refused(() -> StrongZeroConsumer.builder().dataSource(db.dataSource()).producer("users", ENDPOINT)
                .unknownTypePolicy(UnknownTypePolicy.SKIP).build(), "name is required");
        refused(() -> StrongZeroConsumer.builder().name("members").producer("users", ENDPOINT)
                .unknownTypePolicy(UnknownTypePolicy.SKIP).build(), "dataSource is required");
        refused(() -> StrongZeroConsumer.builder().name("members").dataSource(db.dataSource())
                .unknownTypePolicy(UnknownTypePolicy.SKIP).build(), "at least one producer");
        refused(() -> StrongZeroConsumer.builder().name("members").dataSource(db.dataSource()).producer("users", ENDPOINT)
                .build(), "no handler is registered", "unknownTypePolicy is FAIL");
        refused(() -> consumer().transactionSize(600).build(), "transactionSize (600)", "maxBatchMessages (500)");
        refused(() -> consumer().maxBatchMessages(50).build(), "transactionSize (100)", "maxBatchMessages (50)");
        assertDoesNotThrow(() -> StrongZeroConsumer.builder().name("members").dataSource(db.dataSource())
                .dialect(Dialect.H2).producer("users", ENDPOINT).unknownTypePolicy(UnknownTypePolicy.SKIP).build().close());
        assertDoesNotThrow(() -> consumer().maxBatchMessages(50).transactionSize(50).build().close());
    }

    // ---- missing tables -----------------------------------------------------------------------------------

    @Test
    void consumerStartWithoutOffsetTableNamesTheTableAndTheDdl() {
        try (StrongZeroConsumer c = consumer().build()) {
            StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, c::start);
            assertEquals("sz_offset", e.table());
            assertTrue(e.getMessage().contains("sz_offset"), e.getMessage());
            assertTrue(e.getMessage().contains(Schema.resource(Dialect.H2, Schema.Side.CONSUMER)), e.getMessage());
            assertTrue(e.getMessage().contains("createSchemaIfMissing(true)"), e.getMessage());
        }
    }

    @Test
    void pumpStartWithoutJournalTablesNamesTheTableAndTheDdl() {
        try (StrongZeroPump p = pump().build()) {
            StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, p::start);
            assertEquals("sz_journal", e.table());
            assertTrue(e.getMessage().contains("sz_journal"), e.getMessage());
            assertTrue(e.getMessage().contains("io/strongzero/sql/h2/producer.sql"), e.getMessage());
            assertFalse(p.isRunning());
        }
        Pipeline.exec(db, "CREATE TABLE sz_journal (id BINARY(16) PRIMARY KEY, pos BIGINT, msg_type VARCHAR(255), "
                + "content_type VARCHAR(32), payload VARBINARY(1000), produced_at BIGINT)");
        try (StrongZeroPump p = pump().build()) {
            StrongZeroSchemaException e = assertThrows(StrongZeroSchemaException.class, p::start);
            assertEquals("sz_sequencer", e.table(), e.getMessage());
        }
    }

    @Test
    void createSchemaIfMissingCreatesTheTablesWithTheConfiguredPrefix() {
        try (StrongZeroPump p = pump().tablePrefix("app_").createSchemaIfMissing(true).build().start();
             StrongZeroConsumer c = consumer().tablePrefix("app_").createSchemaIfMissing(true).build().start()) {
            assertTrue(p.isRunning());
            assertEquals(0, Pipeline.count(db, "SELECT COUNT(*) FROM app_journal"));
            assertEquals(1, Pipeline.count(db, "SELECT COUNT(*) FROM app_sequencer"), "the sequencer row");
            assertTrue(Pipeline.count(db, "SELECT COUNT(*) FROM app_offset") >= 0);
            assertEquals("members", c.name());
        }
        try (StrongZeroProducer producer = StrongZeroProducer.builder().dataSource(db.dataSource())
                .pump(PumpConfig.builder().name("orders").createSchemaIfMissing(true).build()).bind("tcp://127.0.0.1:*")
                .build().start()) {
            assertEquals(0, Pipeline.count(db, "SELECT COUNT(*) FROM sz_journal"),
                    "a producer that creates its own pump passes createSchemaIfMissing on");
            assertEquals("orders", producer.name());
        }
    }
}
