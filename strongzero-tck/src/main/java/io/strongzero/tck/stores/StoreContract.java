package io.strongzero.tck.stores;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the store contracts: each test gets a fresh database with the shipped DDL of one side (tables
 * prefixed {@value #PREFIX}) and the store under test on it, made before the suite's own {@code @BeforeEach} runs;
 * for the suites that run every statement on one connection, that connection too. Closed after the test.
 *
 * @param <S> the store under test
 */
public abstract class StoreContract<S> {

    /** The table prefix of every store contract. */
    protected static final String PREFIX = StoreDatabase.PREFIX;

    private final Schema.Side side;
    private final String purpose;
    private final boolean oneConnection;
    private final BiFunction<Dialect, String, S> newStore;

    /** The test's database. */
    protected StoreDatabase db;
    /** The store under test, on {@link #db}. */
    protected S store;
    /** The test's auto-commit connection (null unless the suite asked for one connection). */
    protected Connection c;

    /**
     * @param side          whose tables the store works on
     * @param purpose       names the test's database
     * @param oneConnection whether to open {@link #c} for the test
     * @param newStore      makes the store under test from the database's dialect and {@link #PREFIX}
     */
    protected StoreContract(Schema.Side side, String purpose, boolean oneConnection,
                            BiFunction<Dialect, String, S> newStore) {
        this.side = Objects.requireNonNull(side, "side");
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.oneConnection = oneConnection;
        this.newStore = Objects.requireNonNull(newStore, "newStore");
    }

    /** @return the database this suite runs on: a constant of {@link TestDatabase}, or one it describes */
    protected abstract TestDatabase database();

    @BeforeEach
    void openDatabase() throws SQLException {
        db = StoreDatabase.create(database(), side, purpose);
        store = newStore.apply(db.dialect(), PREFIX);
        if (oneConnection) {
            c = db.connection();
        }
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        if (c != null) {
            c.close();
        }
        if (db != null) {
            db.close();
        }
    }
}
