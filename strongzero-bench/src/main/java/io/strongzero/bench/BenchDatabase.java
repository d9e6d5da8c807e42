package io.strongzero.bench;

import io.strongzero.core.Dialect;
import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Fresh, isolated databases for one run: a PostgreSQL schema ({@code currentSchema} in the URL), a
 * MariaDB database, or an H2 file database in a temporary directory (opened by one child JVM only).
 * Everything created is dropped by {@link #close()}.
 *
 * <p>Servers: the local servers of the tests, {@link TestDatabase#PG_URL} as {@link TestDatabase#PG_USER}
 * ({@code -Dstrongzero.pg.url}, default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres})
 * and {@link TestDatabase#MARIADB_URL} as {@link TestDatabase#MARIADB_USER} ({@code -Dstrongzero.mariadb.url},
 * default {@code jdbc:mariadb://127.0.0.1:3306/test}, user {@code root}). The benchmark always measures those
 * servers: it never starts a container.
 */
final class BenchDatabase implements AutoCloseable {

    private static final String PG_URL = TestDatabase.PG_URL;
    private static final String PG_USER = TestDatabase.PG_USER;
    private static final String MARIADB_URL = TestDatabase.MARIADB_URL;
    private static final String MARIADB_USER = TestDatabase.MARIADB_USER;

    /** One database: its JDBC URL and user, as passed to a child JVM. */
    record Target(String url, String user) {
    }

    private final Dialect dialect;
    private final String runId;
    private final List<String> created = new ArrayList<>();
    private Path h2Dir;

    BenchDatabase(Dialect dialect, String runId) {
        this.dialect = dialect;
        this.runId = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    Dialect dialect() {
        return dialect;
    }

    /** A fresh database named after {@code purpose}. */
    Target create(String purpose) {
        String name = ("szbench_" + runId + "_" + purpose).toLowerCase(Locale.ROOT);
        switch (dialect.shortName()) {
            case "postgresql":
                admin("CREATE SCHEMA " + name);
                created.add(name);
                return new Target(PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + name
                        + "&ApplicationName=" + applicationName(), PG_USER);
            case "mariadb":
                admin("CREATE DATABASE " + name);
                created.add(name);
                return new Target(MARIADB_URL.substring(0, MARIADB_URL.lastIndexOf('/') + 1) + name, MARIADB_USER);
            default:
                try {
                    if (h2Dir == null) {
                        h2Dir = Files.createTempDirectory("strongzero-bench-h2-");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return new Target("jdbc:h2:file:" + h2Dir.resolve(name).toAbsolutePath() + ";LOCK_TIMEOUT=10000", "");
        }
    }

    /** The PostgreSQL application name of this run's connections. */
    private String applicationName() {
        return "szbench_" + runId;
    }

    /**
     * CPU time (user + system) used so far by the PostgreSQL backends serving this run's connections,
     * from {@code /proc/<pid>/stat}; -1 for other databases or when it cannot be read (the server must
     * run on this machine). Backends of closed connections are no longer counted, so take differences
     * while the pools stay open.
     */
    long serverCpuNanos() {
        if (dialect != Dialect.POSTGRESQL) {
            return -1;
        }
        long ticks = 0;
        try (Connection c = DriverManager.getConnection(adminUrl(), adminUser(), "");
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, applicationName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String stat = Files.readString(Path.of("/proc", Integer.toString(rs.getInt(1)), "stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        } catch (SQLException | IOException | RuntimeException e) {
            return -1;
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    /** The server's version string ("H2 x.y.z" for H2). */
    String version() {
        if (dialect == Dialect.H2) {
            return "H2 " + org.h2.engine.Constants.FULL_VERSION + " (embedded, file database in the child JVM)";
        }
        try (Connection c = DriverManager.getConnection(adminUrl(), adminUser(), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return (dialect == Dialect.MARIADB ? "MariaDB " : "") + rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(dialect.shortName() + " is not reachable at " + adminUrl() + ": "
                    + e.getMessage() + " (start it, see README)", e);
        }
    }

    /** Durability-relevant server settings, for the report. */
    String settings() {
        String sql;
        if (dialect == Dialect.POSTGRESQL) {
            sql = "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN "
                    + "('fsync', 'synchronous_commit', 'shared_buffers', 'autovacuum', 'wal_level', 'full_page_writes')";
        } else if (dialect == Dialect.MARIADB) {
            sql = "SELECT CONCAT('innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit, "
                    + "', innodb_buffer_pool_size=', @@innodb_buffer_pool_size, ', log_bin=', @@log_bin, "
                    + "', innodb_doublewrite=', @@innodb_doublewrite)";
        } else {
            return "embedded MVStore file database, default settings (commits are not fsynced individually)";
        }
        try (Connection c = DriverManager.getConnection(adminUrl(), adminUser(), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    private String adminUrl() {
        return dialect == Dialect.POSTGRESQL ? PG_URL : MARIADB_URL;
    }

    private String adminUser() {
        return dialect == Dialect.POSTGRESQL ? PG_USER : MARIADB_USER;
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl(), adminUser(), "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(dialect.shortName() + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }

    /** Drops every schema/database this run created, and the H2 files. */
    @Override
    public void close() {
        for (String name : created) {
            try {
                admin(dialect == Dialect.POSTGRESQL ? "DROP SCHEMA IF EXISTS " + name + " CASCADE" : "DROP DATABASE IF EXISTS " + name);
            } catch (RuntimeException e) {
                System.err.println("bench: could not drop " + name + ": " + e.getMessage());
            }
        }
        created.clear();
        if (h2Dir != null) {
            try (Stream<Path> files = Files.walk(h2Dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("bench: could not delete " + h2Dir + ": " + e.getMessage());
            }
            h2Dir = null;
        }
    }
}
