package io.strongzero.pump.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.internal.StoreTable;
import io.strongzero.pump.JournalAdmin.ConsumerState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements on the producer's consumer table ({@code <prefix>consumer}): each consumer's recorded
 * progress and {@link ConsumerState state}, and the state transitions of registration, removal and pulls.
 * One instance per dialect and prefix; statements are built once, here. Runs on the caller's connection and in
 * its transaction; never commits. Thread-safe. Internal API.
 */
public final class ConsumerRegistryStore {

    /**
     * One consumer's row.
     *
     * @param name     the consumer's name
     * @param position the position it last pulled after (or was registered at)
     * @param lastSeen epoch ms of its last pull, 0 if none
     * @param state    its state
     */
    public record Row(String name, long position, long lastSeen, ConsumerState state) {
    }

    private final StoreTable table;
    private final String all;
    private final String states;
    private final String updateVouched;
    private final String updateNotVouched;
    private final String insert;
    private final String reviveGone;
    private final String registerUnregistered;
    private final String deleteUnregistered;
    private final String markGone;

    public ConsumerRegistryStore(Dialect dialect, String prefix) {
        table = StoreTable.of(dialect, prefix, "consumer");
        String consumers = table.name();
        all = "SELECT consumer_name, pos, last_seen, state FROM " + consumers + " ORDER BY consumer_name";
        states = "SELECT consumer_name, state FROM " + consumers;
        updateVouched = update(consumers, true);
        updateNotVouched = update(consumers, false);
        insert = "INSERT INTO " + consumers + " (consumer_name, pos, last_seen, state) VALUES (?, ?, ?, ?)";
        reviveGone = "UPDATE " + consumers + " SET state = 'REGISTERED', pos = ? WHERE consumer_name = ? AND state = 'GONE'";
        registerUnregistered = "UPDATE " + consumers + " SET state = 'REGISTERED',"
                + " pos = CASE WHEN pos < ? THEN pos ELSE ? END WHERE consumer_name = ? AND state = 'UNREGISTERED'";
        deleteUnregistered = "DELETE FROM " + consumers + " WHERE consumer_name = ? AND state = 'UNREGISTERED'";
        markGone = "UPDATE " + consumers + " SET state = 'GONE' WHERE consumer_name = ?";
    }

    private static String update(String consumers, boolean vouched) {
        return "UPDATE " + consumers
                + " SET pos = CASE WHEN pos < ? THEN ? WHEN pos > ? THEN ? ELSE pos END, last_seen = ?,"
                + " state = CASE WHEN state = 'GONE' THEN 'GONE'"
                + (vouched ? "" : " WHEN state = 'UNREGISTERED' THEN 'UNREGISTERED'")
                + " ELSE 'ACTIVE' END WHERE consumer_name = ?";
    }

    /** The consumer table's name ({@code <prefix>consumer}). */
    public String table() {
        return table.name();
    }

    /** Every consumer's row, by name. */
    public List<Row> all(Connection c) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(all)) {
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), ConsumerState.valueOf(rs.getString(4).trim())));
            }
        }
        return out;
    }

    /** Every consumer's state, by name. */
    public Map<String, ConsumerState> states(Connection c) throws SQLException {
        Map<String, ConsumerState> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(states)) {
            while (rs.next()) {
                out.put(rs.getString(1), ConsumerState.valueOf(rs.getString(2).trim()));
            }
        }
        return out;
    }

    /**
     * Records a pull of a known consumer: its position moves into {@code floor..ceiling} (a position inside stays,
     * one outside moves to the nearer bound), {@code lastSeen} becomes {@code now}, and its state becomes ACTIVE,
     * except that GONE stays GONE and, unless {@code vouched}, UNREGISTERED stays UNREGISTERED. False if no row has
     * that name.
     */
    public boolean recordPull(Connection c, String name, long floor, long ceiling, long now, boolean vouched)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(vouched ? updateVouched : updateNotVouched)) {
            ps.setLong(1, floor);
            ps.setLong(2, floor);
            ps.setLong(3, ceiling);
            ps.setLong(4, ceiling);
            ps.setLong(5, now);
            ps.setString(6, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** Inserts a consumer row; false if one with that name exists already. */
    public boolean insert(Connection c, String name, long position, long lastSeen, ConsumerState state)
            throws SQLException {
        return table.insertIfAbsent(c, insert, ps -> {
            ps.setString(1, name);
            ps.setLong(2, position);
            ps.setLong(3, lastSeen);
            ps.setString(4, state.name());
        });
    }

    /**
     * Registers a consumer: a GONE one becomes REGISTERED at {@code position}; an UNREGISTERED one becomes
     * REGISTERED at the lower of its recorded position and {@code position}; an unknown one is created REGISTERED
     * at {@code position}; an ACTIVE or REGISTERED one is left as it is.
     */
    public void register(Connection c, String name, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(reviveGone)) {
            ps.setLong(1, position);
            ps.setString(2, name);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(registerUnregistered)) {
            ps.setLong(1, position);
            ps.setLong(2, position);
            ps.setString(3, name);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        insert(c, name, position, 0, ConsumerState.REGISTERED);
    }

    /**
     * Removes a consumer: an UNREGISTERED one's row is deleted, any other becomes GONE. True if it was known.
     */
    public boolean remove(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(deleteUnregistered)) {
            ps.setString(1, name);
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(markGone)) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        }
    }
}
