package io.strongzero.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database server the kit creates isolated schemas on: the JDBC URL of its administrative database, the user
 * and the password (empty, as the local test servers and the kit's containers are set up).
 *
 * @param url         the administrative JDBC URL
 * @param user        the user, with the right to create and drop schemas or databases
 * @param password    the user's password
 * @param description where it runs, for messages
 */
record Server(String url, String user, String password, String description) {

    /** Opens a connection to the administrative database. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Runs one statement on a connection of its own; a failure names the database and the statement. */
    void execute(String database, String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(database + ": " + sql + " failed on " + description + ": " + e.getMessage(), e);
        }
    }
}
