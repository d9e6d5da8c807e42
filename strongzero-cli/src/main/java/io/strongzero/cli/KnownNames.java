package io.strongzero.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumers and producers a consumer's database knows: those with a row in its offset table (written
 * when a consumer starts a stream from a producer) or in its dead-letter table. A name given to a command
 * that is not among them is a mistake (a typo, or the wrong database), not an empty result: the command
 * fails and names the known ones. Stateless.
 */
final class KnownNames {

    /** At most this many names are listed in a message. */
    private static final int SHOWN = 20;

    private KnownNames() {
    }

    /** Fails unless {@code consumer} has a row in the offset or dead-letter table. */
    static void requireConsumer(Database db, String consumer) {
        List<String> known = query(db, "SELECT consumer_name FROM " + db.prefix + "offset UNION SELECT consumer_name FROM "
                + db.prefix + "dead_letter ORDER BY 1", null);
        if (!known.contains(consumer)) {
            throw new CliFailure("no consumer named " + consumer + " in " + db.prefix + "offset or " + db.prefix
                    + "dead_letter at " + db.redact(db.url) + " (is --consumer spelled right, and is this the consumer's "
                    + "database?); known consumers: " + list(known, "none (a consumer is known once it has started)"));
        }
    }

    /** Fails unless {@code consumer} has an offset or a dead letter for {@code producer}. */
    static void requireProducer(Database db, String consumer, String producer) {
        List<String> known = query(db, "SELECT producer_name FROM " + db.prefix + "offset WHERE consumer_name = ? UNION "
                + "SELECT producer_name FROM " + db.prefix + "dead_letter WHERE consumer_name = ? ORDER BY 1", consumer);
        if (!known.contains(producer)) {
            throw new CliFailure("consumer " + consumer + " knows no producer named " + producer + " (no row in "
                    + db.prefix + "offset or " + db.prefix + "dead_letter; is --producer spelled right?); known producers "
                    + "of " + consumer + ": " + list(known, "none"));
        }
    }

    private static String list(List<String> names, String none) {
        if (names.isEmpty()) {
            return none;
        }
        if (names.size() <= SHOWN) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, SHOWN)) + ", ... (" + names.size() + " in all)";
    }

    private static List<String> query(Database db, String sql, String consumer) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (consumer != null) {
                ps.setString(1, consumer);
                ps.setString(2, consumer);
            }
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new CliFailure("cannot read the known names from " + db.redact(db.url) + ": "
                    + db.redact(CliFailure.describe(e)), e);
        }
    }
}
