package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.strongzero.core.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PerDialectTest {

    @Test
    void aGivenDialectMakesTheValueAtOnceAndNeverAsksTheConnection() throws SQLException {
        List<Dialect> made = new ArrayList<>();
        PerDialect<String> statements = PerDialect.of(Dialect.POSTGRESQL, d -> {
            made.add(d);
            return "for " + d.shortName();
        });
        assertEquals(List.of(Dialect.POSTGRESQL), made);
        assertEquals("for " + Dialect.POSTGRESQL.shortName(), statements.get(null));   // no connection needed
        assertEquals(1, made.size());
    }

    @Test
    void withoutADialectTheFirstConnectionsDialectMakesTheValueOnce() throws SQLException {
        List<Dialect> made = new ArrayList<>();
        PerDialect<Object> statements = PerDialect.of(null, d -> {
            made.add(d);
            return new Object();
        });
        assertEquals(List.of(), made);
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:perdialect")) {
            Object first = statements.get(c);
            assertSame(first, statements.get(c));
        }
        assertEquals(List.of(Dialect.H2), made);
    }

    @Test
    void aGivenValueIsUsedAsItIs() throws SQLException {
        Object ready = new Object();
        PerDialect<Object> statements = PerDialect.given(ready, d -> new Object());
        assertSame(ready, statements.get(null));
    }
}
