package io.strongzero.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/** Names, pools and the H2 shutdown of the isolated schemas {@link TestDatabase} creates. */
final class Schemas {

    private static final int MAX_PURPOSE_LENGTH = 40;

    private Schemas() {
    }

    /** {@code sz_<purpose>_<8 random hex digits>}, lower case, only letters, digits and underscores. */
    static String schemaName(String purpose) {
        String p = purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (p.length() > MAX_PURPOSE_LENGTH) {
            p = p.substring(0, MAX_PURPOSE_LENGTH);
        }
        return "sz_" + p + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A pool of up to 20 connections; {@code user} and {@code password} only when given (not null, not empty). */
    static HikariDataSource pool(String schema, String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("test-" + schema);
        config.setMaximumPoolSize(20);
        config.setConnectionTimeout(10_000);
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        return new HikariDataSource(config);
    }

    /** Frees an in-memory H2 database (kept alive by DB_CLOSE_DELAY=-1 until then). */
    static void shutdownH2(String url) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException("H2: SHUTDOWN of " + url + " failed: " + e.getMessage(), e);
        }
    }
}
