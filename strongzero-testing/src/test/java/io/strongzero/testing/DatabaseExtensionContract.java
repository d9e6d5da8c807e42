package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The database extensions' lifecycle on one database, for real: small fixture test classes run through the JUnit
 * launcher with the extension under test, and this suite checks what they saw and what is left afterwards. Run
 * once per database by small subclasses.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class DatabaseExtensionContract {

    /** The extension the fixtures run with, set before each launch. */
    static volatile DatabaseExtension underTest;
    /** What the fixtures saw, in order: "where:schema". */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();
    /** Instances the fixtures were given, to check after the run that they were dropped. */
    static final List<TestDatabase.Instance> GIVEN = new CopyOnWriteArrayList<>();

    /** A per-test extension of this database (what {@code new XxxDatabase()} makes). */
    protected abstract DatabaseExtension perTest();

    /** A per-class extension of this database. */
    protected abstract DatabaseExtension perClass();

    protected abstract TestDatabase database();

    /** Whether the isolated schema (database) of {@code instance} still exists, asked after it was closed. */
    protected abstract boolean exists(TestDatabase.Instance instance) throws SQLException;

    /** Forwards every callback to {@link #underTest}: the fixtures register this. */
    static final class UnderTest implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
            ParameterResolver {
        @Override
        public void beforeAll(ExtensionContext context) {
            underTest.beforeAll(context);
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            underTest.beforeEach(context);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            underTest.afterEach(context);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            underTest.afterAll(context);
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return underTest.supportsParameter(p, e);
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return underTest.resolveParameter(p, e);
        }
    }

    private static void record(String where, TestDatabase.Instance db) {
        SEEN.add(where + ":" + db.schema());
        if (!GIVEN.contains(db)) {
            GIVEN.add(db);
        }
    }

    private static void createTable(TestDatabase.Instance db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kit_probe (n INT)");
            s.execute("INSERT INTO kit_probe (n) VALUES (1)");
        }
    }

    private static boolean hasTable(TestDatabase.Instance db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kit_probe")) {
            rs.next();
            return rs.getInt(1) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Per test: each test gets its own instance, the same one in its @BeforeEach. */
    @ExtendWith(UnderTest.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerTestFixture {
        @BeforeEach
        void before(TestDatabase.Instance db) {
            record("beforeEach", db);
        }

        @Test
        @Order(1)
        void first(TestDatabase.Instance db) throws SQLException {
            record("first", db);
            assertSame(db, underTest.instance());
            createTable(db);
            assertTrue(hasTable(db));
        }

        @Test
        @Order(2)
        void second(TestDatabase.Instance db) throws SQLException {
            record("second", db);
            assertSame(db, underTest.instance());
            assertFalse(hasTable(db), "a fresh schema: the first test's table is not here");
        }
    }

    /** Per class: one instance for the constructor, @BeforeAll and every test. */
    @ExtendWith(UnderTest.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassFixture {
        PerClassFixture(TestDatabase.Instance db) {
            record("constructor", db);
        }

        @BeforeAll
        static void beforeAll(TestDatabase.Instance db) {
            record("beforeAll", db);
        }

        @Test
        @Order(1)
        void first(TestDatabase.Instance db) throws SQLException {
            record("first", db);
            createTable(db);
        }

        @Test
        @Order(2)
        void second(TestDatabase.Instance db) throws SQLException {
            record("second", db);
            assertTrue(hasTable(db), "the class's schema: the first test's table is here");
        }
    }

    /** A per-test instance cannot be had in @BeforeAll. */
    @ExtendWith(UnderTest.class)
    static class PerTestInBeforeAllFixture {
        @BeforeAll
        static void beforeAll(TestDatabase.Instance db) {
            record("beforeAll", db);
        }

        @Test
        void test() {
            SEEN.add("test ran");
        }
    }

    private TestExecutionSummary run(DatabaseExtension extension, Class<?> fixture) {
        underTest = extension;
        SEEN.clear();
        GIVEN.clear();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), listener);
        return listener.getSummary();
    }

    private static String failures(TestExecutionSummary summary) {
        List<String> out = new ArrayList<>();
        summary.getFailures().forEach(f -> out.add(f.getTestIdentifier().getDisplayName() + ": " + f.getException()));
        return String.join("\n", out);
    }

    @Test
    void perTestEveryTestGetsAFreshSchemaThatIsDroppedAfterIt() throws SQLException {
        DatabaseExtension extension = perTest();
        assertFalse(extension.isPerClass());
        assertSame(database(), extension.database());
        TestExecutionSummary summary = run(extension, PerTestFixture.class);

        assertEquals(2, summary.getTestsSucceededCount(), failures(summary));
        assertEquals(0, summary.getTotalFailureCount(), failures(summary));
        assertEquals(4, SEEN.size(), SEEN.toString());
        String first = SEEN.get(1).substring("first:".length());
        String second = SEEN.get(3).substring("second:".length());
        assertEquals(List.of("beforeEach:" + first, "first:" + first, "beforeEach:" + second, "second:" + second), SEEN);
        assertNotEquals(first, second);
        assertEquals(2, GIVEN.size());
        for (TestDatabase.Instance db : GIVEN) {
            assertSame(database(), db.database());
            assertTrue(db.dataSource().isClosed(), db + ": pool closed");
            assertFalse(exists(db), db + ": dropped after its test");
        }
        assertThrows(IllegalStateException.class, extension::instance, "no instance outside a test");
    }

    @Test
    void perClassAllTestsShareOneSchemaThatIsDroppedAfterTheClass() throws SQLException {
        DatabaseExtension extension = perClass();
        assertTrue(extension.isPerClass());
        TestExecutionSummary summary = run(extension, PerClassFixture.class);

        assertEquals(2, summary.getTestsSucceededCount(), failures(summary));
        assertEquals(0, summary.getTotalFailureCount(), failures(summary));
        assertEquals(1, GIVEN.size(), SEEN.toString());
        String schema = GIVEN.get(0).schema();
        assertEquals(List.of("beforeAll:" + schema, "constructor:" + schema, "first:" + schema, "constructor:" + schema,
                "second:" + schema), SEEN);
        assertTrue(GIVEN.get(0).dataSource().isClosed());
        assertFalse(exists(GIVEN.get(0)), "dropped after the class");
        assertThrows(IllegalStateException.class, extension::instance);
    }

    @Test
    void aPerTestInstanceAskedForInBeforeAllFailsTheClassSayingToUsePerClass() {
        TestExecutionSummary summary = run(perTest(), PerTestInBeforeAllFixture.class);

        assertEquals(0, summary.getTestsSucceededCount());
        assertEquals(1, summary.getTotalFailureCount(), failures(summary));
        String failure = String.valueOf(summary.getFailures().get(0).getException().getMessage());
        assertTrue(failure.contains("use perClass() in a static @RegisterExtension field"), failure);
        assertTrue(SEEN.isEmpty(), SEEN.toString());
    }

    @Test
    void aCreatedInstanceIsAnIsolatedSchemaOfThisDatabaseUntilClosed() throws SQLException {
        TestDatabase.Instance db = database().create("contract");
        try {
            assertTrue(db.schema().startsWith("sz_contract_"), db.schema());
            assertTrue(exists(db), "exists while open");
            createTable(db);
            assertTrue(hasTable(db));
        } finally {
            db.close();
        }
        assertFalse(exists(db), "dropped on close");
        db.close(); // idempotent
    }
}
