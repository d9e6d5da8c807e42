package io.strongzero.testing;

/**
 * A fresh, isolated PostgreSQL database per test, or per class with {@link #perClass()}: see
 * {@link DatabaseExtension}. PostgreSQL: a schema per instance, on the local server or in a container.
 *
 * <p>Thread-safe for tests that run one at a time.
 */
public final class PostgresDatabase extends DatabaseExtension {

    /** Per test: what {@code @ExtendWith(PostgresDatabase.class)} creates. */
    public PostgresDatabase() {
        super(TestDatabase.POSTGRESQL, false);
    }

    private PostgresDatabase(boolean perClass) {
        super(TestDatabase.POSTGRESQL, perClass);
    }

    /** @return an extension that creates a new instance for every test */
    public static PostgresDatabase perTest() {
        return new PostgresDatabase();
    }

    /** @return an extension that creates one instance per test class; register it in a static field */
    public static PostgresDatabase perClass() {
        return new PostgresDatabase(true);
    }
}
