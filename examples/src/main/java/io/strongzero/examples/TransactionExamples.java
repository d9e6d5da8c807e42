package io.strongzero.examples;

import io.strongzero.core.FlakeId;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The ways a sender joins the caller's transaction, as shown in {@code docs/transactions.md}. Each method
 * inserts a user into {@code users} and publishes {@code user.created} in the same local transaction.
 */
public final class TransactionExamples {

    private TransactionExamples() {
    }

    /** Plain JDBC: your connection, your commit, then a wake-up. */
    public static FlakeId plainJdbc(DataSource dataSource, StrongZeroSender sender, User user) throws SQLException {
        FlakeId id;
        // tag::plain-jdbc[]
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insertUser(c, user);                               // your business change
                id = sender.send(c, "user.created", user);         // the journal row, same transaction
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();                                      // the message goes with the change
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        sender.updated();                                          // after commit: wake the pump (a hint)
        // end::plain-jdbc[]
        return id;
    }

    /** A sender on a transaction-aware data source, woken after commit by the transaction manager. */
    public static StrongZeroSender transactionAwareSender(SimpleTransactions tx, StrongZeroProducer producer) {
        // tag::aware-sender[]
        StrongZeroSender sender = StrongZeroSender.builder()
                .producer(producer)
                .dataSource(tx.dataSource())   // getConnection() returns the current transaction's connection
                .afterCommit(tx)               // wakes the pump when that transaction commits
                .build();
        // end::aware-sender[]
        return sender;
    }

    /** Business code in a managed transaction: nothing to pass around. */
    public static FlakeId register(SimpleTransactions tx, StrongZeroSender sender, User user) throws Exception {
        // tag::aware-send[]
        return tx.inTransaction(() -> {
            try (Connection c = tx.dataSource().getConnection()) { // the transaction's connection; close() is a no-op
                insertUser(c, user);
            }
            return sender.send("user.created", user);              // joins the same transaction
        });                                                        // commit, then the registry wakes the pump
        // end::aware-send[]
    }

    static void insertUser(Connection c, User user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, name, email) VALUES (?, ?, ?)")) {
            ps.setLong(1, user.id());
            ps.setString(2, user.name());
            ps.setString(3, user.email());
            ps.executeUpdate();
        }
    }
}
