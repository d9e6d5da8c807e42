package io.strongzero.core.internal;

import io.strongzero.core.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Something made for one SQL dialect (a component's statements) that is made as soon as the dialect is known: at
 * once when it is given, else from the first connection it is asked with ({@link Dialect#detect(Connection)}), for
 * tools built on a data source alone. Thread-safe: two first calls at once may both make it, alike and harmlessly.
 * Internal API.
 *
 * @param <T> what is made
 */
public final class PerDialect<T> {

    private final Function<Dialect, T> make;
    private volatile T value;

    private PerDialect(T value, Function<Dialect, T> make) {
        this.value = value;
        this.make = Objects.requireNonNull(make, "make");
    }

    /**
     * Made with {@code dialect}, or on first use with the detected dialect when {@code dialect} is null.
     *
     * @param <T>     what is made
     * @param dialect the dialect, or null to detect it
     * @param make    makes the value for a dialect
     * @return the holder
     */
    public static <T> PerDialect<T> of(Dialect dialect, Function<Dialect, T> make) {
        return new PerDialect<>(dialect == null ? null : make.apply(dialect), make);
    }

    /**
     * {@code value} if it is not null, else made on first use with the detected dialect.
     *
     * @param <T>   what is made
     * @param value a ready value, or null
     * @param make  makes the value for a dialect
     * @return the holder
     */
    public static <T> PerDialect<T> given(T value, Function<Dialect, T> make) {
        return new PerDialect<>(value, make);
    }

    /**
     * The value, made with the dialect of {@code c} if it was not made yet.
     *
     * @param c a connection to the database the value is for
     * @return the value
     * @throws SQLException if the dialect cannot be read from {@code c}
     */
    public T get(Connection c) throws SQLException {
        T v = value;
        if (v == null) {
            v = make.apply(Dialect.detect(c));
            value = v;
        }
        return v;
    }
}
