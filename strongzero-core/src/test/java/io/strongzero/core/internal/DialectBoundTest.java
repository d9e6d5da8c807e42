package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.strongzero.core.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DialectBoundTest {

    private final List<Dialect> made = new ArrayList<>();

    private String make(Dialect d) {
        made.add(d);
        return "for " + d.name();
    }

    @Test
    void aGivenDialectMakesTheValueAtOnceAndNoConnectionIsAskedFor() throws SQLException {
        DialectBound<String> bound = new DialectBound<>(Dialect.POSTGRESQL, this::make);
        assertEquals(List.of(Dialect.POSTGRESQL), made, "made in the constructor");
        assertEquals("for POSTGRESQL", bound.get(null), "no connection needed once made");
        assertEquals(1, made.size());
    }

    @Test
    void withoutADialectTheFirstConnectionsDialectMakesItOnceAndItIsKept() throws SQLException {
        DialectBound<String> bound = new DialectBound<>(null, this::make);
        assertEquals(List.of(), made, "nothing made before first use");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:dialect-bound-" + UUID.randomUUID());
        try (Connection c = ds.getConnection()) {
            String first = bound.get(c);
            assertEquals("for H2", first);
            assertSame(first, bound.get(c), "kept");
        }
        assertEquals(List.of(Dialect.H2), made);
    }
}
