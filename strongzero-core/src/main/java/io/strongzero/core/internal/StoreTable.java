package io.strongzero.core.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The table a store's statements run on: its name, {@code <prefix><suffix>} with the prefix validated, and the
 * dialect the statements are written for; plus the one statement every store needs, an insert that may find its
 * key taken by another instance. Immutable; thread-safe. Internal API.
 */
public final class StoreTable {

    /** Sets the parameters of a prepared statement. */
    @FunctionalInterface
    public interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    private final Dialect dialect;
    private final String name;

    private StoreTable(Dialect dialect, String name) {
        this.dialect = dialect;
        this.name = name;
    }

    /** The table {@code <prefix><suffix>} in {@code dialect}; refuses a null dialect or an invalid prefix. */
    public static StoreTable of(Dialect dialect, String prefix, String suffix) {
        return new StoreTable(Objects.requireNonNull(dialect, "dialect"), name(prefix, suffix));
    }

    /** The table name {@code <prefix><suffix>}, the prefix validated ({@link Schema#validatePrefix}). */
    public static String name(String prefix, String suffix) {
        return Schema.validatePrefix(prefix) + suffix;
    }

    /** The table's name. */
    public String name() {
        return name;
    }

    /** The dialect the statements are written for. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Runs the insert {@code sql} with {@code parameters}: true if it inserted, false if a row with its key exists
     * already (the dialect's duplicate-key failure); any other failure is thrown.
     */
    public boolean insertIfAbsent(Connection c, String sql, Parameters parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            parameters.set(ps);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (!dialect.isDuplicateKey(e)) {
                throw e;
            }
            return false;
        }
    }
}
