package io.strongzero.core;

import io.strongzero.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * A SQL dialect StrongZero speaks: its name, how it is recognised from JDBC metadata, and the few
 * strategy points where databases really differ. Correctness never depends on a dialect-specific feature;
 * a dialect picks the DDL resources and enables optional optimizations.
 *
 * <p>The built-in dialects are {@link #H2}, {@link #POSTGRESQL} and {@link #MARIADB}. Application code
 * only names them (builders' {@code dialect(...)}, {@link Schema#ddl}); the builders detect the dialect of
 * a data source when none is given. {@link #values()} is the one registry that {@link #fromName} and
 * {@link #detect} consult: the built-ins, then dialects a jar declares as a {@link ServiceLoader} provider of
 * {@code io.strongzero.core.Dialect}.
 *
 * <p><b>For dialect implementors.</b> The {@code public} strategy methods below are called by StrongZero's
 * stores, never by application code; every statement that is the same on all databases lives in the stores.
 * {@code docs/schema.md} ("Adding a database") lists what a new database takes: one subclass, its DDL
 * resources {@code io/strongzero/sql/<shortName>/{producer,consumer}.sql} and one test subclass per contract
 * suite of {@code strongzero-tck} ({@code docs/testing.md}). This SPI may change before 1.0.
 *
 * <p>Instances are immutable and thread-safe.
 */
public abstract class Dialect {

    /** H2 (embedded or server mode; the suites run 2.x). */
    public static final Dialect H2 = new H2Dialect();
    /** PostgreSQL (the suites run the Debian server, 15 or later). */
    public static final Dialect POSTGRESQL = new PostgresDialect();
    /** MariaDB (InnoDB; the suites run 10.11). A MySQL server is served by it too, untested. */
    public static final Dialect MARIADB = new MariaDbDialect();

    private static final List<Dialect> BUILT_IN = List.of(H2, POSTGRESQL, MARIADB);

    private final String name;
    private final String shortName;
    private final List<String> aliases;

    /**
     * @param name      the constant-style name ({@code POSTGRESQL}), returned by {@link #name()} and {@link #toString()}
     * @param shortName the lower-case name used in resource paths and on the command line ({@code postgresql})
     * @param aliases   further names {@link #fromName} accepts, lower-case ({@code postgres})
     */
    protected Dialect(String name, String shortName, String... aliases) {
        this.name = Objects.requireNonNull(name, "name");
        this.shortName = Objects.requireNonNull(shortName, "shortName");
        if (!shortName.matches("[a-z][a-z0-9]*")) {
            throw new StrongZeroConfigException("a dialect's shortName must be lower-case letters and digits but was '"
                    + shortName + "'");
        }
        this.aliases = List.of(aliases);
    }

    /** The constant-style name: {@code H2}, {@code POSTGRESQL}, {@code MARIADB}. */
    public final String name() {
        return name;
    }

    /** The short name used in resource paths and on the command line: {@code h2}, {@code postgresql}, {@code mariadb}. */
    public final String shortName() {
        return shortName;
    }

    @Override
    public final String toString() {
        return name;
    }

    /**
     * Every dialect StrongZero knows: the built-ins in the order H2, PostgreSQL, MariaDB, then those a jar
     * provides through {@link ServiceLoader} (looked up with the thread's context class loader), except one whose
     * short name a dialect before it already has.
     */
    public static List<Dialect> values() {
        List<Dialect> all = new ArrayList<>(BUILT_IN);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (Dialect d : ServiceLoader.load(Dialect.class, loader != null ? loader : Dialect.class.getClassLoader())) {
            if (all.stream().noneMatch(x -> x.shortName.equals(d.shortName))) {
                all.add(d);
            }
        }
        return Collections.unmodifiableList(all);
    }

    /** The dialect for a short name or alias (case-insensitive; {@code mysql} means {@link #MARIADB}). */
    public static Dialect fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        List<Dialect> all = values();
        for (Dialect d : all) {
            if (d.shortName.equals(n) || d.aliases.contains(n)) {
                return d;
            }
        }
        throw new StrongZeroConfigException("dialect must be one of "
                + all.stream().map(Dialect::shortName).collect(Collectors.joining(", ")) + " but was '" + name + "'");
    }

    /** Detects the dialect from the database product name a connection reports. */
    public static Dialect detect(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String product = meta.getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        List<Dialect> all = values();
        for (Dialect d : all) {
            if (d.recognizes(p, meta)) {
                return d;
            }
        }
        throw new StrongZeroConfigException("database '" + product + "' is not supported: StrongZero supports "
                + all.stream().map(Dialect::displayName).collect(Collectors.joining(", "))
                + " (MySQL is served as MariaDB, untested); set the dialect explicitly only for one of these");
    }

    /** Detects the dialect of a data source by opening one connection. */
    public static Dialect detect(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return detect(c);
        } catch (SQLException e) {
            throw new StrongZeroStorageException("cannot open a connection to detect the SQL dialect", e);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Strategy points, called by StrongZero's stores. The defaults are standard SQL that the built-ins share.
    // ---------------------------------------------------------------------------------------------------

    /**
     * True if this dialect serves the database a connection reports.
     *
     * @param product the lower-cased {@link DatabaseMetaData#getDatabaseProductName() product name}
     * @param meta    the metadata, for a version check or a warning
     */
    protected abstract boolean recognizes(String product, DatabaseMetaData meta) throws SQLException;

    /** The product's usual spelling, for messages ({@code PostgreSQL}). */
    public abstract String displayName();

    /**
     * A query that returns at most as many rows as its last parameter says. {@code query} is a complete
     * {@code SELECT} (with its {@code ORDER BY}, if any) without a row limit. Default: {@code query LIMIT ?}.
     */
    public String limited(String query) {
        return query + " LIMIT ?";
    }

    /**
     * A query that returns at most {@code rows} rows, the limit written into the statement (no parameter), for a
     * statement run as is: on PostgreSQL a literal limit keeps the planner on the partial index where a
     * parameter could let a cached generic plan choose a scan. Default: {@code query LIMIT rows}.
     */
    public String limited(String query, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be at least 1 but was " + rows);
        }
        return query + " LIMIT " + rows;
    }

    /**
     * A query that locks the rows it reads until the transaction ends. Default: {@code query FOR UPDATE}.
     */
    public String lockingRead(String query) {
        return query + " FOR UPDATE";
    }

    /**
     * The query for journal rows that wait for a position: {@code columns} of {@code journal} where
     * {@code pos IS NULL}, at most as many as its only parameter says, in Flake id order (the unsigned byte
     * order of the binary id column) unless {@link #sortsWaitingRowsInMemory()}. {@code prefix} names the index a hint may need. Default: ordered by
     * id, which a partial or {@code (pos, id)} index serves.
     */
    public String waitingRows(String columns, String journal, String prefix) {
        return limited("SELECT " + columns + " FROM " + journal + " WHERE pos IS NULL ORDER BY id");
    }

    /**
     * True if {@link #waitingRows} returns the right rows but not in id order, so the store sorts them
     * (cheaper than making the database sort the whole backlog for every batch). Default false.
     */
    public boolean sortsWaitingRowsInMemory() {
        return false;
    }

    /**
     * Checks that the journal has the index {@link #waitingRows} names in a hint; default: none is named.
     *
     * @throws SQLException with the DDL to run when it is missing
     */
    public void verifyWaitingRowsIndex(Connection c, String journal, String prefix) throws SQLException {
        // no hint, nothing to check
    }

    /**
     * For {@link #verifyWaitingRowsIndex} implementations: runs {@code SELECT id FROM journal <hint> WHERE 1 = 0},
     * which fails when the index the hint names is missing, and turns that failure into one naming the index and
     * the DDL that creates it.
     */
    protected static void probeIndexHint(Connection c, String journal, String hint, String index, String ddl)
            throws SQLException {
        try (java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT id FROM " + journal + " " + hint + " WHERE 1 = 0")) {
            rs.next();
        } catch (SQLException e) {
            throw new SQLException("the journal " + journal + " lacks the index " + index
                    + " that sequencing reads waiting rows from; create it with: " + ddl, e.getSQLState(), e);
        }
    }

    /**
     * The statement that clears what stamping leaves behind in the journal (dead row versions and their index
     * entries), run by the pump on its own connection in auto-commit mode every so many stamped rows, or null if the
     * database needs none (its own background purge keeps up). Default: null.
     */
    public String journalUpkeep(String journal) {
        return null;
    }

    /**
     * Gives the journal rows {@code ids} the positions {@code firstPosition, firstPosition+1, ...}, each only
     * if it has none yet, and returns how many rows it stamped. Runs in the transaction that holds the
     * sequencer lock. The journal's id column holds each id's 16 bytes ({@link FlakeId#toBytes}). Default: a
     * JDBC batch of single-row updates.
     */
    public int stamp(Connection c, String journal, List<FlakeId> ids, long firstPosition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + journal + " SET pos = ? WHERE id = ? AND pos IS NULL")) {
            long pos = firstPosition;
            for (FlakeId id : ids) {
                ps.setLong(1, pos++);
                ps.setBytes(2, id.toBytes());
                ps.addBatch();
            }
            int stamped = 0;
            for (int n : ps.executeBatch()) {
                stamped += n == PreparedStatement.SUCCESS_NO_INFO ? 1 : n;
            }
            return stamped;
        }
    }

    /**
     * The sequencer row's update {@code update} made to also notify the listeners of {@code channel} when its
     * transaction commits (and never when it rolls back), with the payload {@code <table id>:<head>}: the value of
     * {@link #tableIdColumn()} for the updated row and the new value of {@code headColumn}. Null if the database has no
     * notifications (the default). The statement stays a single statement, run with {@code execute()}: it may return a
     * row. Instances of a journal learn of positions another instance stamped from these notifications
     * ({@link #listen}); they are a latency hint only, polling stays the backstop.
     *
     * @param channel a name of 1 to 63 characters of {@code A-Z a-z 0-9 _ . : - #}, as
     *                {@code SequencerStore.notificationChannel} makes it
     */
    public String notifyingUpdate(String update, String headColumn, String channel) {
        return null;
    }

    /**
     * A column or expression that, selected from a table, names that table uniquely in the database, for head
     * notifications: a channel is shared by every schema of the database, and a listener takes a notification's head
     * only from its own table. Null (the default) if the database has no notifications. PostgreSQL: {@code tableoid}.
     */
    public String tableIdColumn() {
        return null;
    }

    /**
     * The statement that makes a connection (in auto-commit mode) receive the notifications of {@code channel} that
     * {@link #notifyingUpdate} sends, or null if the database has none (the default). A dialect that returns one
     * returns a {@link #notifyingUpdate} too.
     */
    public String listen(String channel) {
        return null;
    }

    /**
     * The statement that ends a connection's {@link #listen} before it goes back to its pool (a pooled connection
     * left listening would buffer notifications for whoever borrows it next), or null if the database has none.
     */
    public String unlisten(String channel) {
        return null;
    }

    /**
     * True if a statement failed because a row with the same key exists (another node inserted it first).
     * Default: any SQLState of class {@code 23} (integrity constraint violation) in the chain.
     */
    public boolean isDuplicateKey(SQLException e) {
        return Jdbc.isIntegrityViolation(e);
    }

    /** The column type the DDL uses for a payload of bytes; for tools that create tables beside ours. */
    public abstract String bytesType();
}
