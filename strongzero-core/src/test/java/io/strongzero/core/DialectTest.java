package io.strongzero.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DialectTest {

    @ParameterizedTest
    @CsvSource({
        "h2, H2", "H2, H2", "' h2 ', H2",
        "postgresql, POSTGRESQL", "PostgreSQL, POSTGRESQL", "postgres, POSTGRESQL",
        "mariadb, MARIADB", "MariaDB, MARIADB", "mysql, MARIADB", "MySQL, MARIADB",
    })
    void fromNameAcceptsShortNamesAndAliasesIgnoringCase(String name, Dialect expected) {
        assertEquals(expected, Dialect.fromName(name));
    }

    static java.util.List<Dialect> dialects() {
        return Dialect.values();
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void fromNameOfTheShortNameReturnsTheDialect(Dialect dialect) {
        assertEquals(dialect, Dialect.fromName(dialect.shortName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "oracle", "h3", "pg", "sqlserver", "my sql"})
    void fromNameRejectsUnknownNamesNamingTheValueAndTheChoices(String name) {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, () -> Dialect.fromName(name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("h2, postgresql, mariadb"), e.getMessage());
    }

    @Test
    void fromNameRejectsNull() {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, () -> Dialect.fromName(null));
        assertTrue(e.getMessage().contains("'null'"), e.getMessage());
    }

    @Test
    @Timeout(30)
    void detectRecognisesH2FromADataSourceAndAConnection() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:dialect-" + UUID.randomUUID());
        assertEquals(Dialect.H2, Dialect.detect(ds));
        try (Connection c = ds.getConnection()) {
            assertEquals(Dialect.H2, Dialect.detect(c));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "PostgreSQL, POSTGRESQL", "MariaDB, MARIADB", "MySQL, MARIADB", "H2, H2",
    })
    void detectMapsProductNamesToDialects(String product, Dialect expected) throws SQLException {
        assertEquals(expected, Dialect.detect(connectionReporting(product)));
    }

    @Test
    void detectRefusesAnUnsupportedDatabaseNamingIt() {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                () -> Dialect.detect(connectionReporting("Oracle")));
        assertTrue(e.getMessage().contains("'Oracle'"), e.getMessage());
    }

    @Test
    void detectOnAnUnreachableDataSourceThrowsAStorageExceptionWithTheSqlState() {
        DataSource down = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new SQLException("connection refused", "08001");
                });
        StrongZeroStorageException e = assertThrows(StrongZeroStorageException.class, () -> Dialect.detect(down));
        assertEquals("08001", e.sqlState());
    }

    @Test
    void valuesListsTheBuiltInDialectsFirstInAFixedOrder() {
        assertEquals(java.util.List.of(Dialect.H2, Dialect.POSTGRESQL, Dialect.MARIADB), Dialect.values().subList(0, 3));
        assertEquals(java.util.List.of("H2", "PostgreSQL", "MariaDB"),
                Dialect.values().subList(0, 3).stream().map(Dialect::displayName).toList());
    }

    /** A dialect a jar would add: found through ServiceLoader, then by name and by product name. */
    public static final class ExampleDialect extends Dialect {
        public ExampleDialect() {
            super("EXAMPLEDB", "exampledb", "example");
        }

        @Override
        protected boolean recognizes(String product, DatabaseMetaData meta) {
            return product.contains("exampledb");
        }

        @Override
        public String displayName() {
            return "ExampleDB";
        }

        @Override
        public String limited(String query) {
            return query + " FETCH FIRST ? ROWS ONLY";
        }

        @Override
        public String bytesType() {
            return "BLOB";
        }
    }

    /** A provider that claims a built-in's short name: the built-in wins. */
    public static final class ImpostorDialect extends Dialect {
        public ImpostorDialect() {
            super("IMPOSTOR", "h2");
        }

        @Override
        protected boolean recognizes(String product, DatabaseMetaData meta) {
            return true;
        }

        @Override
        public String displayName() {
            return "Impostor";
        }

        @Override
        public String bytesType() {
            return "BLOB";
        }
    }

    @Test
    @Timeout(30)
    void aDialectProvidedThroughServiceLoaderIsFoundByNameAndByProductAndCannotShadowABuiltIn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path services = dir.resolve("META-INF/services");
        java.nio.file.Files.createDirectories(services);
        java.nio.file.Files.writeString(services.resolve(Dialect.class.getName()),
                ImpostorDialect.class.getName() + "\n" + ExampleDialect.class.getName() + "\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            java.util.List<String> names = Dialect.values().stream().map(Dialect::shortName).toList();
            assertEquals(java.util.List.of("h2", "postgresql", "mariadb", "exampledb"), names);
            Dialect example = Dialect.fromName("Example");
            assertEquals("EXAMPLEDB", example.name());
            assertEquals(example.getClass(), Dialect.detect(connectionReporting("ExampleDB Server")).getClass());
            assertEquals(Dialect.H2, Dialect.fromName("h2"));
            assertEquals(Dialect.POSTGRESQL, Dialect.detect(connectionReporting("PostgreSQL")));
            assertEquals("SELECT 1 FETCH FIRST ? ROWS ONLY", example.limited("SELECT 1"));
            StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, () -> Dialect.fromName("oracle"));
            assertTrue(e.getMessage().contains("h2, postgresql, mariadb, exampledb"), e.getMessage());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        assertThrows(StrongZeroConfigException.class, () -> Dialect.fromName("exampledb"));
    }

    @Test
    void theBuiltInDialectsShareTheStandardLimitAndLockingClauses() {
        for (Dialect d : java.util.List.of(Dialect.H2, Dialect.POSTGRESQL, Dialect.MARIADB)) {
            assertEquals("SELECT a FROM t ORDER BY a LIMIT ?", d.limited("SELECT a FROM t ORDER BY a"), d.name());
            assertEquals("SELECT a FROM t WHERE k = ? FOR UPDATE", d.lockingRead("SELECT a FROM t WHERE k = ?"), d.name());
            assertEquals("SELECT 1 FROM t LIMIT 1", d.limited("SELECT 1 FROM t", 1), d.name());
            assertThrows(IllegalArgumentException.class, () -> d.limited("SELECT 1 FROM t", 0), d.name());
        }
    }

    @Test
    void aShortNameThatIsNotLowerCaseLettersAndDigitsIsRefused() {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, () -> new Dialect("X", "Ex-1") {
            @Override
            protected boolean recognizes(String product, DatabaseMetaData meta) {
                return false;
            }

            @Override
            public String displayName() {
                return "X";
            }

            @Override
            public String bytesType() {
                return "BLOB";
            }
        });
        assertTrue(e.getMessage().contains("'Ex-1'"), e.getMessage());
    }

    private static Connection connectionReporting(String product) {
        DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(DialectTest.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getDatabaseProductName")) {
                        return product;
                    }
                    if (method.getName().equals("getDatabaseProductVersion")) {
                        return "8.0.36"; // read only for the warning that MySQL is untested
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Connection) Proxy.newProxyInstance(DialectTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getMetaData")) {
                        return meta;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
