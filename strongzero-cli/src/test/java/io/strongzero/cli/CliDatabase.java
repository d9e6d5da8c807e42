package io.strongzero.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.core.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real database for the CLI tests, with the conventions of strongzero-tests' TestDatabase: H2 in
 * memory, PostgreSQL on 127.0.0.1:5432 (user postgres, database test), MariaDB on 127.0.0.1:3306 (root,
 * empty password, database test); a fresh schema per {@link #create(String)}, dropped on close. An
 * unreachable server skips its tests with a one-line reason, unless {@code strongzero.db=required} or the
 * environment variable CI is set: then they fail.
 */
enum CliDatabase {
    H2(Dialect.H2),
    POSTGRESQL(Dialect.POSTGRESQL),
    MARIADB(Dialect.MARIADB);

    static final String PG_URL = System.getProperty("strongzero.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = System.getProperty("strongzero.pg.user", "postgres");
    static final String MARIADB_URL = System.getProperty("strongzero.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/test");
    static final String MARIADB_USER = System.getProperty("strongzero.mariadb.user", "root");

    private static final Map<CliDatabase, String> UNAVAILABLE = new ConcurrentHashMap<>();
    private static final Map<CliDatabase, Boolean> CHECKED = new ConcurrentHashMap<>();

    final Dialect dialect;

    CliDatabase(Dialect dialect) {
        this.dialect = dialect;
    }

    static boolean required() {
        String p = System.getProperty("strongzero.db", "auto");
        String ci = System.getenv("CI");
        return "required".equalsIgnoreCase(p) || (ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci));
    }

    void assumeAvailable() {
        if (this == H2) {
            return;
        }
        CHECKED.computeIfAbsent(this, db -> {
            try (Connection c = DriverManager.getConnection(adminUrl(), adminUser(), "")) {
                c.isValid(2);
            } catch (SQLException e) {
                UNAVAILABLE.put(db, e.getMessage());
            }
            return Boolean.TRUE;
        });
        String reason = UNAVAILABLE.get(this);
        if (reason != null) {
            String msg = name() + " is not reachable at " + adminUrl() + " (" + reason + "): start it (see README) or "
                    + "run .ci/run to run these tests";
            if (required()) {
                Assertions.fail(msg + " [strongzero.db=required]");
            }
            Assumptions.abort(msg);
        }
    }

    private String adminUrl() {
        return this == POSTGRESQL ? PG_URL : MARIADB_URL;
    }

    private String adminUser() {
        return this == POSTGRESQL ? PG_USER : MARIADB_USER;
    }

    /** A fresh, isolated database with a connection pool. */
    Instance create(String purpose) {
        assumeAvailable();
        String schema = ("sz_cli_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        HikariConfig config = new HikariConfig();
        config.setPoolName("test-" + schema);
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(10_000);
        switch (this) {
            case H2:
                config.setJdbcUrl("jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
                break;
            case POSTGRESQL:
                admin("CREATE SCHEMA " + schema);
                config.setJdbcUrl(PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
                config.setUsername(PG_USER);
                break;
            case MARIADB:
                admin("CREATE DATABASE " + schema);
                config.setJdbcUrl(MARIADB_URL.substring(0, MARIADB_URL.lastIndexOf('/') + 1) + schema);
                config.setUsername(MARIADB_USER);
                break;
            default:
                throw new IllegalStateException();
        }
        return new Instance(this, schema, new HikariDataSource(config));
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl(), adminUser(), "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(name() + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }

    /** One isolated database. */
    record Instance(CliDatabase db, String schema, HikariDataSource dataSource) implements AutoCloseable {

        /** The connection options the CLI needs for this database. */
        String[] connection() {
            return dataSource.getUsername() == null ? new String[] {"--jdbc", dataSource.getJdbcUrl()}
                    : new String[] {"--jdbc", dataSource.getJdbcUrl(), "--user", dataSource.getUsername()};
        }

        @Override
        public void close() {
            dataSource.close();
            if (db == POSTGRESQL) {
                db.admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } else if (db == MARIADB) {
                db.admin("DROP DATABASE IF EXISTS " + schema);
            }
        }
    }
}
