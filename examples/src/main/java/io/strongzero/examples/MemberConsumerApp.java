package io.strongzero.examples;

import io.strongzero.consumer.Message;
import io.strongzero.consumer.StrongZeroConsumer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The consumer side of the example: a service that keeps its own {@code members} table in step with
 * the producer's users. Each member insert commits together with the consumer's offset.
 *
 * <p>Run it as a process: {@code MemberConsumerApp [JDBC-URL [PRODUCER-ENDPOINT [HTTP-PORT]]]}, defaults
 * {@value #DEFAULT_JDBC_URL}, {@value UserProducerApp#DEFAULT_BIND} and {@value #DEFAULT_HTTP_PORT}; it
 * prints each member it applies and serves {@code GET /members} and {@code GET /status}. Stops cleanly on
 * Ctrl-C / SIGTERM.
 *
 * <p>Thread-safe; {@link #close()} stops HTTP and the consumer.
 */
public final class MemberConsumerApp implements AppProcess.HttpApp {

    /** A member: a replicated user, with the id of the message that created it. */
    public record Member(long userId, String name, String email, String messageId) {
    }

    /** An H2 file database under {@code ./target}; {@code WRITE_DELAY=0} makes each commit survive a kill. */
    public static final String DEFAULT_JDBC_URL = "jdbc:h2:./target/members;WRITE_DELAY=0";
    public static final int DEFAULT_HTTP_PORT = 8081;

    private final DataSource db;
    private final StrongZeroConsumer consumer;
    private volatile Http http;

    /**
     * Starts consuming from the producer at {@code endpoint}. {@code onApplied} (may be null) is told of each
     * applied message inside its transaction, before the commit (the demo measures latency with it).
     */
    public MemberConsumerApp(DataSource db, String endpoint, Consumer<Message<User>> onApplied) {
        this.db = db;
        DemoTables.create(db, "members", "user_id BIGINT NOT NULL, name VARCHAR(200) NOT NULL, "
                + "email VARCHAR(200) NOT NULL, message_id CHAR(32) NOT NULL");
        // tag::consumer[]
        StrongZeroConsumer consumer = StrongZeroConsumer.builder()
                .name("members")                                  // offsets are stored under this name
                .dataSource(db)                                   // the consumer's own database
                .createSchemaIfMissing(true)                      // or run .../consumer.sql yourself
                .producer("users", endpoint)                      // for example tcp://users-service:7300
                .handler("user.created", User.class, (message, ctx) -> {
                    User user = message.payload();
                    try (PreparedStatement ps = ctx.connection().prepareStatement(
                            "INSERT INTO members (user_id, name, email, message_id) VALUES (?, ?, ?, ?)")) {
                        ps.setLong(1, user.id());
                        ps.setString(2, user.name());
                        ps.setString(3, user.email());
                        ps.setString(4, message.id().toString());
                        ps.executeUpdate();                       // commits with the offset, exactly once
                    }
                    if (onApplied != null) {
                        onApplied.accept(message);
                    }
                })
                .build();
        consumer.start();                                         // or run() to block; close() to stop
        // end::consumer[]
        this.consumer = consumer;
    }

    public StrongZeroConsumer consumer() {
        return consumer;
    }

    /** Every member, by user id. */
    public List<Member> members() throws SQLException {
        List<Member> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT user_id, name, email, message_id FROM members ORDER BY user_id")) {
            while (rs.next()) {
                out.add(new Member(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4).trim()));
            }
        }
        return out;
    }

    /** Where the consumer stands: its committed position, the producer's head, counters. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("consumer", consumer.name());
        out.put("producer", "users");
        out.put("position", consumer.position("users"));
        out.put("producerHead", consumer.producerHead("users"));
        out.put("applied", consumer.appliedCount());
        out.put("deadLetters", consumer.deadLetters().count());
        out.put("blocked", consumer.isBlocked("users"));
        out.put("lastError", consumer.lastError("users"));
        return out;
    }

    /** Serves {@code GET /members} and {@code GET /status} on {@code 127.0.0.1:port} (0: a free port); returns the URL. */
    @Override
    public String serveHttp(int port) throws IOException {
        http = new Http("members", port, Map.of(
                "/members", (method, body) -> "GET".equals(method) ? new Http.Response(200, members())
                        : Http.Response.error(405, "use GET"),
                "/status", (method, body) -> "GET".equals(method) ? new Http.Response(200, status())
                        : Http.Response.error(405, "use GET")));
        return http.url();
    }

    /** Stops HTTP, then the consumer (the transaction in flight commits or rolls back). Idempotent. */
    @Override
    public void close() {
        Http.closeIfServing(http);
        consumer.close();
    }

    /** {@code MemberConsumerApp [JDBC-URL [PRODUCER-ENDPOINT [HTTP-PORT]]]}: runs until Ctrl-C or SIGTERM. */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : DEFAULT_JDBC_URL;
        String endpoint = args.length > 1 ? args[1] : UserProducerApp.DEFAULT_BIND;
        int port = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_HTTP_PORT;
        Consumer<Message<User>> log = m -> System.out.println("members: applying user " + m.payload().id() + " ("
                + m.payload().name() + ") from position " + m.position());
        AppProcess.serveUntilStopped(url, port, db -> new MemberConsumerApp(db, endpoint, log), (app, httpUrl) -> {
            System.out.println("members consumer: database " + url);
            System.out.println("members consumer: pulling from producer users at " + endpoint);
            System.out.println("members consumer: HTTP on " + httpUrl + " (GET /members, GET /status); Ctrl-C stops");
        });
    }
}
