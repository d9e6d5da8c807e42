package io.strongzero.core;

import io.strongzero.core.internal.SchemaStore;
import io.strongzero.core.internal.Transactions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The DDL of StrongZero's tables and checks that they exist.
 *
 * <p>The DDL ships as plain resources, one per dialect and side, for you to run with Flyway, Liquibase
 * or by hand: {@code io/strongzero/sql/<h2|postgresql|mariadb>/producer.sql} (journal and sequencer,
 * in the producer's database) and {@code .../consumer.sql} (offsets, in the consumer's database). They
 * use the default prefix {@code sz_}; {@link #ddl(Dialect, Side, String)} rewrites it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Schema {


    /** Default table name prefix. */
    public static final String DEFAULT_PREFIX = "sz_";

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,29}");

    /** Which database a DDL script belongs in. */
    public enum Side {
        /** The producer's journal database: journal and sequencer tables. */
        PRODUCER("producer"),
        /** The consumer's own database: offsets (and, later, dead letters). */
        CONSUMER("consumer");

        private final String file;

        Side(String file) {
            this.file = file;
        }
    }

    private Schema() {
    }

    /**
     * Validates a table prefix: a letter followed by up to 29 letters, digits or underscores.
     *
     * @throws StrongZeroConfigException naming the value and the rule
     */
    public static String validatePrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new StrongZeroConfigException("tablePrefix must be a letter followed by at most 29 letters, digits or "
                    + "underscores (for example 'sz_') but was '" + prefix + "'");
        }
        return prefix;
    }

    /** The classpath resource holding the DDL for a dialect and side. */
    public static String resource(Dialect dialect, Side side) {
        return "io/strongzero/sql/" + dialect.shortName() + "/" + side.file + ".sql";
    }

    /** The DDL script for a dialect and side, with the given table prefix. */
    public static String ddl(Dialect dialect, Side side, String prefix) {
        validatePrefix(prefix);
        String resource = resource(dialect, side);
        try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new StrongZeroException("DDL resource " + resource + " is missing from the classpath: is strongzero-core on it?");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return prefix.equals(DEFAULT_PREFIX) ? text : text.replaceAll("\\bsz_", prefix);
        } catch (IOException e) {
            throw new StrongZeroException("cannot read DDL resource " + resource, e);
        }
    }

    /** The statements of a DDL script, without comments. */
    public static List<String> statements(String ddl) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : ddl.split("\n")) {
            int comment = line.indexOf("--");
            String code = comment >= 0 ? line.substring(0, comment) : line;
            if (code.isBlank()) {
                continue;
            }
            current.append(code.stripTrailing()).append('\n');
            if (code.stripTrailing().endsWith(";")) {
                String stmt = current.toString().trim();
                out.add(stmt.substring(0, stmt.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().trim());
        }
        return out;
    }

    /** Runs the DDL for a side (every statement is {@code IF NOT EXISTS}, so this is idempotent). */
    public static void create(DataSource dataSource, Dialect dialect, Side side, String prefix) {
        Objects.requireNonNull(dataSource, "dataSource");
        String ddl = ddl(dialect, side, prefix);
        List<String> statements = statements(ddl);
        try (Connection c = dataSource.getConnection()) {
            Transactions.useAutoCommit(c, auto -> SchemaStore.execute(auto, statements));
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot create the StrongZero " + side.file + " tables from "
                    + resource(dialect, side), e);
        }
    }

    /**
     * Checks that a table exists with the given columns, by selecting them from no rows.
     *
     * @throws StrongZeroSchemaException naming the table, the columns and the DDL resource to run
     * @throws StrongZeroStorageException (not the schema exception) when the database cannot be reached, so an
     *         outage is never reported as a missing table
     */
    public static void verifyTable(DataSource dataSource, Dialect dialect, Side side, String table, String... columns) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot open a connection to check the table " + table, e);
        }
        try (c) {
            SchemaStore.probe(c, table, columns);
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            if (isConnectionFailure(e)) {
                throw new StrongZeroStorageException("the connection broke while checking the table " + table, e);
            }
            throw new StrongZeroSchemaException(table, "table " + table + " is missing or lacks the columns "
                    + String.join(", ", columns) + ": run the DDL in " + resource(dialect, side)
                    + " (inside strongzero-core.jar; Schema.ddl() returns it with your prefix) or set createSchemaIfMissing(true)", e);
        }
    }

    /** SQLState class 08: connection exception. */
    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }
}
