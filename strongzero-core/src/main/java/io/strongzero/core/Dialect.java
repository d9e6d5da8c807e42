package io.strongzero.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL dialects StrongZero speaks. Correctness never depends on a dialect-specific feature; the
 * dialect picks column types for the DDL and enables optional optimizations.
 */
public enum Dialect {
    H2("h2"),
    POSTGRESQL("postgresql"),
    /** MariaDB (InnoDB; the suites run 10.11). A MySQL server is served by it too, untested. */
    MARIADB("mariadb");

    private static final Logger log = LoggerFactory.getLogger(Dialect.class);

    private final String resourceName;

    Dialect(String resourceName) {
        this.resourceName = resourceName;
    }

    /** The short name used in resource paths and on the command line: {@code h2}, {@code postgresql}, {@code mariadb}. */
    public String shortName() {
        return resourceName;
    }

    /** The dialect for a short name (case-insensitive; {@code mysql} means {@link #MARIADB}). */
    public static Dialect fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "h2":
                return H2;
            case "postgresql":
            case "postgres":
                return POSTGRESQL;
            case "mariadb":
            case "mysql":
                return MARIADB;
            default:
                throw new StrongZeroConfigException("dialect must be one of h2, postgresql, mariadb but was '" + name + "'");
        }
    }

    /** Detects the dialect from the database product name a connection reports. */
    public static Dialect detect(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("h2")) {
            return H2;
        }
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.contains("mariadb")) {
            return MARIADB;
        }
        if (p.contains("mysql")) {
            log.warn("{} {} is served with the MARIADB dialect but is not tested: the suites run MariaDB 10.11;"
                    + " see docs/schema.md#mysql for what to check", product, version(connection));
            return MARIADB;
        }
        throw new StrongZeroConfigException("database '" + product
                + "' is not supported: StrongZero supports H2, PostgreSQL and MariaDB (MySQL is served as MariaDB, untested); set the dialect explicitly only for one of these");
    }

    private static String version(Connection connection) {
        try {
            return connection.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "(version unknown)";
        }
    }

    /** Detects the dialect of a data source by opening one connection. */
    public static Dialect detect(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return detect(c);
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot open a connection to detect the SQL dialect", e);
        }
    }
}
