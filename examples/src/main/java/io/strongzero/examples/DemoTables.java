package io.strongzero.examples;

import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The tables {@link UserSyncDemo} writes: {@code users} and StrongZero's producer tables in the producer's
 * database, {@code members} and StrongZero's consumer tables in the consumer's. Checks that they are empty
 * before a run and drops them for {@code --reset}; creates the examples' own tables. Stateless.
 */
final class DemoTables {

    static final String RESET_HINT = "rerun with --reset to drop the demo's tables, or use empty databases";

    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)",
            Pattern.CASE_INSENSITIVE);

    private DemoTables() {
    }

    /**
     * Creates an example's own table {@code table} with {@code columns} if it does not exist (the examples run
     * again on the same database).
     */
    static void create(DataSource db, String table, String columns) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (" + columns + ")");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create table " + table + ": " + e.getMessage(), e);
        }
    }

    /** The demo's tables in one database: its own table, then StrongZero's (as {@link Schema} creates them). */
    static List<String> tables(DataSource db, String ownTable, Schema.Side side) {
        List<String> out = new ArrayList<>(List.of(ownTable));
        Matcher m = CREATE_TABLE.matcher(Schema.ddl(Dialect.detect(db), side, Schema.DEFAULT_PREFIX));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * Fails with {@link UserSyncDemo.DemoException} if a previous run left users, members, journal rows or
     * the consumer's offset behind: a second run would insert the same user ids.
     */
    static void requireEmpty(DataSource producerDb, DataSource consumerDb) {
        List<String> producer = new ArrayList<>();
        nonEmpty(producerDb, "users", "SELECT COUNT(*) FROM users", producer);
        nonEmpty(producerDb, Schema.DEFAULT_PREFIX + "journal", "SELECT COUNT(*) FROM " + Schema.DEFAULT_PREFIX + "journal",
                producer);
        List<String> consumer = new ArrayList<>();
        nonEmpty(consumerDb, "members", "SELECT COUNT(*) FROM members", consumer);
        nonEmpty(consumerDb, Schema.DEFAULT_PREFIX + "offset", "SELECT COUNT(*) FROM " + Schema.DEFAULT_PREFIX
                + "offset WHERE consumer_name = 'members'", consumer);
        List<String> found = new ArrayList<>();
        if (!producer.isEmpty()) {
            found.add("producer database: " + String.join(", ", producer));
        }
        if (!consumer.isEmpty()) {
            found.add("consumer database: " + String.join(", ", consumer));
        }
        if (!found.isEmpty()) {
            throw new UserSyncDemo.DemoException("a previous run's data is still there (" + String.join("; ", found)
                    + "), so this run would insert user ids that already exist: " + RESET_HINT);
        }
    }

    private static void nonEmpty(DataSource db, String table, String sql, List<String> found) {
        OptionalLong rows = count(db, sql);
        if (rows.isPresent() && rows.getAsLong() > 0) {
            found.add(table + " has " + rows(rows.getAsLong()));
        }
    }

    /** Drops the demo's tables in both databases (they are created again on start) and prints each one dropped. */
    static void reset(DataSource producerDb, DataSource consumerDb, PrintStream out) {
        drop(producerDb, "producer", tables(producerDb, "users", Schema.Side.PRODUCER), out);
        drop(consumerDb, "consumer", tables(consumerDb, "members", Schema.Side.CONSUMER), out);
    }

    private static void drop(DataSource db, String side, List<String> tables, PrintStream out) {
        List<String> dropped = new ArrayList<>();
        for (String table : tables) {
            OptionalLong rows = count(db, "SELECT COUNT(*) FROM " + table);
            if (rows.isEmpty()) {
                continue;                                    // not there: nothing to drop
            }
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + table);
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("--reset: cannot drop table " + table + " in the " + side + " database: "
                        + e.getMessage(), e);
            }
            dropped.add(table + " (" + rows(rows.getAsLong()) + ")");
        }
        out.println("--reset: " + side + " database: " + (dropped.isEmpty() ? "no demo tables to drop"
                : "dropped " + String.join(", ", dropped)));
    }

    private static String rows(long n) {
        return n == 1 ? "1 row" : n + " rows";
    }

    /** The single number {@code sql} returns, or empty if the table does not exist (or cannot be read). */
    private static OptionalLong count(DataSource db, String sql) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return OptionalLong.of(rs.getLong(1));
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }
}
