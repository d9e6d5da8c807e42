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
 * <p>Tables of journal format 1 (Flake ids stored as hex text, before issue 15) are refused at start; the
 * one-way scripts {@code io/strongzero/sql/<dialect>/migrate-1-to-2-<side>.sql} ({@link #migration(Dialect, Side,
 * String)}) convert them to format 2: see {@code docs/schema.md}, "Migrating from format 1 to format 2".
 *
 * <p>An offset table of format 2 created before issue 17 has no {@code lane} and {@code lanes} columns (one row per
 * consumer and producer); it is refused at start too, and the one-way script
 * {@code io/strongzero/sql/<dialect>/migrate-offset-lanes.sql} ({@link #laneMigration(Dialect, String)}) adds them:
 * see {@code docs/schema.md}, "Adding lanes to the offset table".
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

        /** Who must be stopped while this side's tables are migrated. */
        private String components() {
            return this == PRODUCER ? "the pump, the producer and every sender of this journal" : "the consumers of this database";
        }
    }

    /** The columns that hold a Flake id: hex text in format 1, 16 bytes in format 2. */
    private static final List<String> FLAKE_ID_COLUMNS = List.of("id", "message_id");

    /** Where the docs describe the migration. */
    private static final String MIGRATION_DOC = "docs/schema.md#migrating-from-format-1-to-format-2";

    /** The offset table's columns added by issue 17 (per-key ordered lanes). */
    private static final List<String> LANE_COLUMNS = List.of("lane", "lanes");

    /** Where the docs describe adding them. */
    private static final String LANE_MIGRATION_DOC = "docs/schema.md#adding-lanes-to-the-offset-table";

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

    /**
     * The classpath resource holding the one-way migration of a side's tables from journal format 1 (hex-text
     * ids) to format 2 (16-byte ids, key and headers columns): {@code io/strongzero/sql/<dialect>/migrate-1-to-2-<side>.sql}.
     */
    public static String migrationResource(Dialect dialect, Side side) {
        return "io/strongzero/sql/" + dialect.shortName() + "/migrate-1-to-2-" + side.file + ".sql";
    }

    /**
     * The classpath resource holding the one-way migration that adds the {@code lane} and {@code lanes} columns
     * (issue 17) to a format-2 offset table created before them:
     * {@code io/strongzero/sql/<dialect>/migrate-offset-lanes.sql}.
     */
    public static String laneMigrationResource(Dialect dialect) {
        return "io/strongzero/sql/" + dialect.shortName() + "/migrate-offset-lanes.sql";
    }

    /** The DDL script for a dialect and side, with the given table prefix. */
    public static String ddl(Dialect dialect, Side side, String prefix) {
        return script(resource(dialect, side), prefix);
    }

    /**
     * The script that migrates a side's tables from journal format 1 to format 2, with the given table prefix
     * (split it with {@link #statements(String)}). One-way: run it once, on format-1 tables, with the components
     * that use them stopped and after a backup, as {@code docs/schema.md} ("Migrating from format 1 to format 2")
     * describes.
     *
     * @throws StrongZeroConfigException if the prefix is invalid
     * @throws StrongZeroException if the resource is not on the classpath (a third-party dialect may ship none)
     */
    public static String migration(Dialect dialect, Side side, String prefix) {
        return script(migrationResource(dialect, side), prefix);
    }

    /**
     * The script that adds the {@code lane} and {@code lanes} columns (issue 17) to an offset table created before
     * them, with the given table prefix (split it with {@link #statements(String)}): every existing row becomes lane
     * 0 of a 1-lane generation, keeping its position, and the primary key becomes (consumer_name, producer_name,
     * lane). One-way: run it once, on a format-2 offset table without the {@code lane} column (a format-1 table takes
     * {@link #migration(Dialect, Side, String)} first), with the consumers of that database stopped and after a backup,
     * as {@code docs/schema.md} ("Adding lanes to the offset table") describes. Its first statement is a guard: on a
     * table that already has the {@code lane} column it fails with an error naming
     * {@code <prefix>offset_already_has_lanes}, changing nothing.
     *
     * @throws StrongZeroConfigException if the prefix is invalid
     * @throws StrongZeroException if the resource is not on the classpath (a third-party dialect may ship none)
     */
    public static String laneMigration(Dialect dialect, String prefix) {
        return script(laneMigrationResource(dialect), prefix);
    }

    private static String script(String resource, String prefix) {
        validatePrefix(prefix);
        try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new StrongZeroException("SQL resource " + resource + " is missing from the classpath: is strongzero-core on it?");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return prefix.equals(DEFAULT_PREFIX) ? text : text.replaceAll("\\bsz_", prefix);
        } catch (IOException e) {
            throw new StrongZeroException("cannot read SQL resource " + resource, e);
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
     * Checks that a table exists with the given columns, by selecting them from no rows, and that it is in journal
     * format 2: a column named {@code id} or {@code message_id} among {@code columns} must not hold text (format 1
     * stored Flake ids as hex text). If {@code columns} include {@code lane} or {@code lanes} (the offset table's
     * columns of issue 17) and the table has all the other columns but not those, it predates lanes. Never changes
     * the table.
     *
     * @throws StrongZeroSchemaException naming the table, the columns and the DDL resource to run; or, for a
     *         format-1 table, saying so and naming the migration resource to run; or, for an offset table that
     *         predates lanes (checked after the format), saying so and naming {@link #laneMigrationResource}; the
     *         last two with {@link StrongZeroSchemaException#needsMigration()} true
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
        List<String> idColumns = new ArrayList<>();
        for (String column : columns) {
            if (FLAKE_ID_COLUMNS.contains(column.toLowerCase(java.util.Locale.ROOT))) {
                idColumns.add(column);
            }
        }
        try (c) {
            // The id columns alone first: a format-1 table also lacks the format-2 columns, and its
            // format is what the operator needs to hear about.
            if (!idColumns.isEmpty()) {
                List<String> text = SchemaStore.textColumns(c, table, idColumns);
                if (!text.isEmpty()) {
                    throw formatOne(dialect, side, table, text);
                }
            }
            List<String> lanes = new ArrayList<>();
            List<String> others = new ArrayList<>();
            for (String column : columns) {
                (LANE_COLUMNS.contains(column.toLowerCase(java.util.Locale.ROOT)) ? lanes : others).add(column);
            }
            if (lanes.isEmpty()) {
                SchemaStore.probe(c, table, columns);
            } else {
                // The other columns first: a table that lacks them is missing, not merely older.
                if (!others.isEmpty()) {
                    SchemaStore.probe(c, table, others.toArray(String[]::new));
                }
                try {
                    SchemaStore.probe(c, table, lanes.toArray(String[]::new));
                } catch (SQLException e) {
                    if (isConnectionFailure(e)) {
                        throw e;
                    }
                    throw withoutLanes(dialect, table, e);
                }
            }
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

    private static StrongZeroSchemaException formatOne(Dialect dialect, Side side, String table, List<String> text) {
        return new StrongZeroSchemaException(table, "table " + table + " is in journal format 1 (its column "
                + String.join(", ", text) + " holds Flake ids as hex text) but this version of StrongZero needs format 2"
                + " (16-byte ids); StrongZero does not convert tables by itself: stop " + side.components()
                + ", back the tables up, run " + migrationResource(dialect, side) + " (inside strongzero-core.jar; it uses"
                + " the prefix sz_, Schema.migration() returns it with yours) as described in " + MIGRATION_DOC
                + ", then start them again", null, true);
    }

    private static StrongZeroSchemaException withoutLanes(Dialect dialect, String table, SQLException cause) {
        return new StrongZeroSchemaException(table, "table " + table + " predates lanes (issue 17): it has no columns lane"
                + " and lanes, which this version of StrongZero needs (one position per lane, ConsumerConfig.concurrency);"
                + " StrongZero does not alter tables by itself: stop " + Side.CONSUMER.components() + ", back the table up,"
                + " run " + laneMigrationResource(dialect) + " (inside strongzero-core.jar; it uses the prefix sz_,"
                + " Schema.laneMigration() returns it with yours) as described in " + LANE_MIGRATION_DOC
                + ", then start them again", cause, true);
    }

    /** SQLState class 08: connection exception. */
    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }
}
