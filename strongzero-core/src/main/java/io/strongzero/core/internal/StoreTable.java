package io.strongzero.core.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The table a store's statements run on: its name, {@code <prefix><suffix>} with the prefix validated (made by
 * {@link #of}), and the dialect the statements are written for; plus the one statement every store needs, an insert
 * that may find its key taken by another instance. Immutable; thread-safe. Internal API.
 *
 * @param dialect the dialect the statements are written for
 * @param name    the table's name
 */
public record StoreTable(Dialect dialect, String name) {

    /** Sets the parameters of a prepared statement. */
    @FunctionalInterface
    public interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    public StoreTable {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(name, "name");
    }

    /** The table {@code <prefix><suffix>} in {@code dialect}; refuses a null dialect or an invalid prefix. */
    public static StoreTable of(Dialect dialect, String prefix, String suffix) {
        return new StoreTable(dialect, name(prefix, suffix));
    }

    /** The table name {@code <prefix><suffix>}, the prefix validated ({@link Schema#validatePrefix}). */
    public static String name(String prefix, String suffix) {
        return Schema.validatePrefix(prefix) + suffix;
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
