package io.strongzero.cli;

import io.strongzero.core.Dialect;
import io.strongzero.core.Redaction;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroException;
import io.strongzero.core.StrongZeroSchemaException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The database a command works on, from {@code --jdbc}, {@code --user} and {@code --password-env}: a
 * data source that opens a new connection per call (a tool needs no pool), the detected dialect and the
 * table prefix. The password is read from the named environment variable and never printed;
 * {@link #redact(String)} removes it, and any password in the URL, from text shown to the user.
 */
final class Database implements DataSource {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/:@]+:)[^/@]*@");
    private static final int LOGIN_TIMEOUT_SECONDS = 10;

    final String url;
    final String user;
    final String prefix;
    final Dialect dialect;
    private final String password;

    private Database(String url, String user, String password, String prefix, Dialect dialect) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.prefix = prefix;
        this.dialect = dialect;
    }

    /**
     * Reads the connection options, connects once (to fail early with a clear message) and detects the dialect.
     *
     * @throws UsageException if --jdbc is missing, the prefix is invalid or the password variable is not set
     * @throws CliFailure if the database cannot be reached
     */
    static Database open(String command, Args args, Map<String, String> env) {
        String url = args.require(command, "jdbc", "URL (the JDBC URL of the database)");
        String user = args.get("user");
        String password = null;
        String variable = args.get("password-env");
        if (variable != null) {
            password = env.get(variable);
            if (password == null) {
                throw new UsageException(command, "the environment variable " + variable + " named by --password-env is not set");
            }
        }
        String prefix = args.get("prefix") == null ? Schema.DEFAULT_PREFIX : args.get("prefix");
        try {
            Schema.validatePrefix(prefix);
        } catch (StrongZeroException e) {
            throw new UsageException(command, "--prefix: " + e.getMessage());
        }
        Database probe = new Database(url, user, password, prefix, null);
        Dialect dialect;
        try (Connection c = probe.getConnection()) {
            dialect = Dialect.detect(c);
        } catch (SQLException e) {
            String hint = String.valueOf(e.getMessage()).startsWith("No suitable driver")
                    ? " (this CLI has the drivers for jdbc:h2:, jdbc:postgresql: and jdbc:mariadb:)" : "";
            throw new CliFailure("cannot connect to " + probe.redact(url) + (user == null ? "" : " as " + user) + ": "
                    + probe.redact(CliFailure.describe(e)) + hint, e);
        }
        return new Database(url, user, password, prefix, dialect);
    }

    /** Checks that {@code table} exists; if not, says which side's DDL creates it. */
    void requireTable(Schema.Side side, String table, String... columns) {
        try {
            Schema.verifyTable(this, dialect, side, prefix + table, columns);
        } catch (StrongZeroSchemaException e) {
            if (e.needsMigration()) {
                throw new CliFailure(redact(e.getMessage()), e);
            }
            String sideName = side.name().toLowerCase(java.util.Locale.ROOT);
            throw new CliFailure("table " + prefix + table + " not found in " + redact(url) + ": is this the "
                    + sideName + "'s database (and is the prefix " + prefix + ")? 'strongzero schema --dialect "
                    + dialect.shortName() + " --side " + sideName + "' prints the DDL that creates it", e);
        }
    }

    /** {@code text} without the password (from the environment or the URL). */
    String redact(String text) {
        return redact(text, password, url);
    }

    /**
     * {@code text} without {@code secret} (if not null), without the passwords written in {@code url} (a
     * driver may echo them, even in a message about something else) and without anything that looks like a
     * password in a JDBC URL.
     */
    static String redact(String text, String secret, String url) {
        if (text == null) {
            return null;
        }
        String out = text;
        java.util.List<String> secrets = new java.util.ArrayList<>();
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
        if (url != null) {
            Matcher m = URL_PASSWORD.matcher(url);
            while (m.find()) {
                secrets.add(url.substring(m.end(1), m.end()));
            }
            m = URL_USERINFO.matcher(url);
            while (m.find()) {
                secrets.add(url.substring(m.end(1), m.end() - 1));
            }
        }
        for (String s : secrets) {
            if (!s.isEmpty()) {
                out = out.replace(s, "***");
            }
        }
        return Redaction.redact(out);
    }

    @Override
    public Connection getConnection() throws SQLException {
        DriverManager.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
        if (user == null && password == null) {
            return DriverManager.getConnection(url);
        }
        return DriverManager.getConnection(url, user, password);
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
        throw new SQLFeatureNotSupportedException("the CLI connects with --user and --password-env");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // not used
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // fixed: LOGIN_TIMEOUT_SECONDS
    }

    @Override
    public int getLoginTimeout() {
        return LOGIN_TIMEOUT_SECONDS;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }

    @Override
    public String toString() {
        return "Database[" + redact(url) + "]";
    }
}
