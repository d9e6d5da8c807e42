package io.strongzero.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.core.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real database for tests: H2 in memory, or the PostgreSQL / MariaDB servers on 127.0.0.1. Each
 * {@link #create(String)} makes a fresh, isolated schema (database on MariaDB) and drops it on close.
 *
 * <p>When a server is unreachable, its tests are skipped with a one-line reason, unless the system
 * property {@code strongzero.db=required} (set by {@code .ci/run}) or the environment variable CI is
 * set, in which case they fail.
 */
public enum TestDatabase {
    H2(Dialect.H2),
    POSTGRESQL(Dialect.POSTGRESQL),
    MARIADB(Dialect.MARIADB);

    public static final String PG_URL = System.getProperty("strongzero.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = System.getProperty("strongzero.pg.user", "postgres");
    public static final String MARIADB_URL = System.getProperty("strongzero.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/test");
    public static final String MARIADB_USER = System.getProperty("strongzero.mariadb.user", "root");

    private static final Map<TestDatabase, String> UNAVAILABLE = new ConcurrentHashMap<>();
    private static final Map<TestDatabase, Boolean> CHECKED = new ConcurrentHashMap<>();

    private final Dialect dialect;

    TestDatabase(Dialect dialect) {
        this.dialect = dialect;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** True when unreachable servers must fail the tests instead of skipping them. */
    public static boolean required() {
        String p = System.getProperty("strongzero.db", "auto");
        String ci = System.getenv("CI");
        return "required".equalsIgnoreCase(p) || (ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci));
    }

    /** Skips (or, when required, fails) the current test if the server is unreachable. */
    public void assumeAvailable() {
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
            String msg = name() + " is not reachable at " + adminUrl() + " (" + reason + "): start it (see README, "
                    + "'Running the tests') or run .ci/run to run these tests";
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

    /** A fresh isolated database with a connection pool. */
    public Instance create(String purpose) {
        return create(purpose, false);
    }

    /**
     * A fresh isolated database that other processes can open too (for H2: a file database in
     * auto-server mode instead of an in-memory one).
     */
    public Instance createShared(String purpose) {
        return create(purpose, true);
    }

    private Instance create(String purpose, boolean shared) {
        assumeAvailable();
        String schema = ("sz_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        HikariConfig config = new HikariConfig();
        config.setPoolName("test-" + schema);
        config.setMaximumPoolSize(20);
        config.setConnectionTimeout(10_000);
        switch (this) {
            case H2:
                if (shared) {
                    String dir = System.getProperty("java.io.tmpdir") + "/strongzero-it";
                    config.setJdbcUrl("jdbc:h2:file:" + dir + "/" + schema + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000");
                } else {
                    config.setJdbcUrl("jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
                }
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
    public static final class Instance implements AutoCloseable {
        private final TestDatabase db;
        private final String schema;
        private final HikariDataSource dataSource;

        Instance(TestDatabase db, String schema, HikariDataSource dataSource) {
            this.db = db;
            this.schema = schema;
            this.dataSource = dataSource;
        }

        public HikariDataSource dataSource() {
            return dataSource;
        }

        public TestDatabase database() {
            return db;
        }

        public String jdbcUrl() {
            return dataSource.getJdbcUrl();
        }

        public String user() {
            return dataSource.getUsername();
        }

        public String schema() {
            return schema;
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
