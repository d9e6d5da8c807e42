package io.strongzero.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives tests a fresh, isolated {@link TestDatabase.Instance} and drops it after them:
 * {@link H2Database}, {@link PostgresDatabase} or {@link MariaDbDatabase}.
 *
 * <ul>
 *   <li><b>Per test</b> ({@code @ExtendWith(PostgresDatabase.class)}, or {@code new PostgresDatabase()} in a
 *       {@code @RegisterExtension} field): a new schema before each test, dropped after it. Test methods and
 *       {@code @BeforeEach}/{@code @AfterEach} methods can take it as a {@link TestDatabase.Instance} parameter.</li>
 *   <li><b>Per class</b> ({@code PostgresDatabase.perClass()} in a <em>static</em> {@code @RegisterExtension}
 *       field): one schema for all tests of the class, dropped after the last; {@code @BeforeAll} methods and
 *       constructors can take it too.</li>
 * </ul>
 * When the database can be provided neither by its local server nor by a container (see {@link TestDatabase}),
 * the class's tests are skipped with one line saying how to enable them, or fail if {@link TestDatabase#required()}.
 * Register one database extension per test class if tests take the instance as a parameter (two would both
 * offer it); {@link #instance()} serves the others.
 *
 * <p>Thread-safe for tests that run one at a time; {@link #instance()} is the instance of the test that runs.
 */
public abstract class DatabaseExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DatabaseExtension.class);

    private final TestDatabase database;
    private final boolean perClass;
    private volatile TestDatabase.Instance current;

    DatabaseExtension(TestDatabase database, boolean perClass) {
        this.database = database;
        this.perClass = perClass;
    }

    /** @return the database this extension creates instances of */
    public final TestDatabase database() {
        return database;
    }

    /** @return true if one instance serves all tests of a class, false if each test gets its own */
    public final boolean isPerClass() {
        return perClass;
    }

    /**
     * The instance of the test that runs (or of its class, per class).
     *
     * @return the instance
     * @throws IllegalStateException outside a test
     */
    public final TestDatabase.Instance instance() {
        TestDatabase.Instance i = current;
        if (i == null) {
            throw new IllegalStateException(database + ": no instance outside a test"
                    + (perClass ? "" : " (per test: from the extension's beforeEach to its afterEach)"));
        }
        return i;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database.assumeAvailable(); // one skip line for the class, not one per test
        if (perClass) {
            open(context, context.getRequiredTestClass().getSimpleName());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perClass) {
            if (context.getStore(NAMESPACE).get(database, TestDatabase.Instance.class) == null) {
                throw new ExtensionConfigurationException(getClass().getSimpleName() + ".perClass() must be registered "
                        + "in a static @RegisterExtension field: JUnit calls beforeAll only for those");
            }
            return;
        }
        open(context, context.getRequiredTestClass().getSimpleName() + "_" + context.getRequiredTestMethod().getName());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            close(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.Instance.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TestDatabase.Instance i = extensionContext.getStore(NAMESPACE).get(database, TestDatabase.Instance.class);
        if (i == null) {
            throw new ParameterResolutionException(database + ": no instance for " + parameterContext.getDeclaringExecutable()
                    + (perClass ? "" : ": a per-test instance exists from beforeEach to afterEach; use perClass() in a "
                    + "static @RegisterExtension field for constructors and @BeforeAll methods"));
        }
        return i;
    }

    private void open(ExtensionContext context, String purpose) {
        TestDatabase.Instance i = database.create(purpose);
        context.getStore(NAMESPACE).put(database, i);
        current = i;
    }

    private void close(ExtensionContext context) {
        TestDatabase.Instance i = context.getStore(NAMESPACE).remove(database, TestDatabase.Instance.class);
        if (i != null) {
            if (current == i) {
                current = null;
            }
            i.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (perClass ? "per class" : "per test") + "]";
    }
}
