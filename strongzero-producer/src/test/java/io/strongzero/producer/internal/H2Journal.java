package io.strongzero.producer.internal;

import io.strongzero.core.Dialect;
import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;

/** An in-memory H2 journal with the producer tables, for the tests of the producer's parts. */
final class H2Journal {

    static final String TYPE = "user.created";

    final JdbcDataSource dataSource = new JdbcDataSource();

    H2Journal() {
        dataSource.setURL("jdbc:h2:mem:parts" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Schema.create(dataSource, Dialect.H2, Schema.Side.PRODUCER, "sz_");
    }

    static Envelope envelope(long position, String type) {
        return new Envelope(position, FlakeId.of(1_700_000_000_000L, 1, (int) position), type, "application/json",
                ("{\"n\":" + position + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8), 1_700_000_000_000L);
    }

    /** Writes stamped rows at positions {@code from..to} and returns them. */
    List<Envelope> stamped(long from, long to) throws SQLException {
        List<Envelope> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO sz_journal (id, pos, msg_type, content_type, payload, produced_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (long p = from; p <= to; p++) {
                Envelope e = envelope(p, TYPE);
                s.setBytes(1, e.id().toBytes());
                s.setLong(2, p);
                s.setString(3, e.type());
                s.setString(4, e.contentType());
                s.setBytes(5, e.payload());
                s.setLong(6, e.producedAt());
                s.executeUpdate();
                out.add(e);
            }
        }
        return out;
    }
}
