package io.strongzero.testing;

/**
 * A fresh, isolated H2 database per test, or per class with {@link #perClass()}: see
 * {@link DatabaseExtension}. H2 runs embedded: in memory, always available.
 *
 * <p>Thread-safe for tests that run one at a time.
 */
public final class H2Database extends DatabaseExtension {

    /** Per test: what {@code @ExtendWith(H2Database.class)} creates. */
    public H2Database() {
        super(TestDatabase.H2, false);
    }

    private H2Database(boolean perClass) {
        super(TestDatabase.H2, perClass);
    }

    /** @return an extension that creates a new instance for every test */
    public static H2Database perTest() {
        return new H2Database();
    }

    /** @return an extension that creates one instance per test class; register it in a static field */
    public static H2Database perClass() {
        return new H2Database(true);
    }
}
