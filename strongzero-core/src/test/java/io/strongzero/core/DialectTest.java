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
