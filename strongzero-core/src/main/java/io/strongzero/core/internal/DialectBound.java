package io.strongzero.core.internal;

import io.strongzero.core.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a component makes from its database's dialect (its stores): made at once when the dialect is given, else
 * on first use from the dialect of the connection it is used with, so that the component can be built without a
 * connection. Thread-safe: two threads that use it first at the same time may both make it; one result is kept,
 * and both are equivalent. Internal API.
 *
 * @param <T> what is made
 */
public final class DialectBound<T> {

    private final Function<Dialect, T> make;
    private volatile T value;

    /**
     * @param dialect the dialect if known, or null to detect it on first use
     * @param make    makes the value for a dialect
     */
    public DialectBound(Dialect dialect, Function<Dialect, T> make) {
        this.make = Objects.requireNonNull(make, "make");
        this.value = dialect == null ? null : make.apply(dialect);
    }

    /** The value, made now from the dialect of {@code c} if it was not made yet. */
    public T get(Connection c) throws SQLException {
        T v = value;
        if (v == null) {
            v = make.apply(Dialect.detect(c));
            value = v;
        }
        return v;
    }
}
