package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strongzero.core.Dialect;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The built-in databases keep what they offered as enum constants: names, dialects, values() and valueOf. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BuiltInDatabasesTest {

    @Test
    void theConstantsKeepTheirNamesAndDialectsInDeclarationOrder() {
        TestDatabase[] all = TestDatabase.values();
        assertArrayEquals(new TestDatabase[] {TestDatabase.H2, TestDatabase.POSTGRESQL, TestDatabase.MARIADB}, all);
        assertArrayEquals(new String[] {"H2", "POSTGRESQL", "MARIADB"},
                java.util.Arrays.stream(all).map(TestDatabase::name).toArray(String[]::new));
        assertArrayEquals(new Dialect[] {Dialect.H2, Dialect.POSTGRESQL, Dialect.MARIADB},
                java.util.Arrays.stream(all).map(TestDatabase::dialect).toArray(Dialect[]::new));
        for (TestDatabase d : all) {
            assertEquals(d.name(), d.toString());
        }
        assertNotSame(all, TestDatabase.values(), "a new array each time, as an enum's values()");
    }

    @Test
    void valueOfFindsABuiltInDatabaseByItsNameOnly() {
        assertSame(TestDatabase.POSTGRESQL, TestDatabase.valueOf("POSTGRESQL"));
        assertSame(TestDatabase.H2, TestDatabase.valueOf("H2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestDatabase.valueOf("postgresql"));
        assertEquals("no built-in TestDatabase postgresql: H2, POSTGRESQL or MARIADB", e.getMessage());
    }
}
