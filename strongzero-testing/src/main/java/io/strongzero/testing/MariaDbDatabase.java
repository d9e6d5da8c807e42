package io.strongzero.testing;

/**
 * A fresh, isolated MariaDB database per test, or per class with {@link #perClass()}: see
 * {@link DatabaseExtension}. MariaDB: a database per instance, on the local server or in a container.
 *
 * <p>Thread-safe for tests that run one at a time.
 */
public final class MariaDbDatabase extends DatabaseExtension {

    /** Per test: what {@code @ExtendWith(MariaDbDatabase.class)} creates. */
    public MariaDbDatabase() {
        super(TestDatabase.MARIADB, false);
    }

    private MariaDbDatabase(boolean perClass) {
        super(TestDatabase.MARIADB, perClass);
    }

    /** @return an extension that creates a new instance for every test */
    public static MariaDbDatabase perTest() {
        return new MariaDbDatabase();
    }

    /** @return an extension that creates one instance per test class; register it in a static field */
    public static MariaDbDatabase perClass() {
        return new MariaDbDatabase(true);
    }
}
