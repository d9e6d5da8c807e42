package io.strongzero.examples;

import com.fasterxml.jackson.core.JacksonException;
import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroException;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The producer side of the example: a service that owns a {@code users} table and publishes
 * {@code user.created} in the same transaction as each insert. Optionally it accepts users over HTTP.
 *
 * <p>Run it as a process: {@code UserProducerApp [JDBC-URL [BIND-ENDPOINT [HTTP-PORT]]]}, defaults
 * {@value #DEFAULT_JDBC_URL}, {@value #DEFAULT_BIND} and {@value #DEFAULT_HTTP_PORT}. Then
 * {@code curl -X POST http://127.0.0.1:8080/users -d '{"id":1,"name":"Ada Lovelace","email":"ada@example.com"}'}
 * and {@code curl http://127.0.0.1:8080/users}. Stops cleanly on Ctrl-C / SIGTERM.
 *
 * <p>Thread-safe; {@link #close()} stops HTTP, the producer and its pump.
 */
public final class UserProducerApp implements AppProcess.HttpApp {

    public static final String PRODUCER_NAME = "users";
    public static final String USER_CREATED = "user.created";

    /** An H2 file database under {@code ./target}; {@code WRITE_DELAY=0} makes each commit survive a kill. */
    public static final String DEFAULT_JDBC_URL = "jdbc:h2:./target/users;WRITE_DELAY=0";
    public static final String DEFAULT_BIND = "tcp://127.0.0.1:7300";
    public static final int DEFAULT_HTTP_PORT = 8080;

    private final DataSource db;
    private final StrongZeroProducer producer;
    private final StrongZeroSender sender;
    private volatile Http http;

    /** Creates the tables if needed and starts serving on {@code bind} (for example {@code tcp://127.0.0.1:7300}). */
    public UserProducerApp(DataSource db, String bind) {
        this.db = db;
        DemoTables.create(db, "users",
                "id BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, email VARCHAR(200) NOT NULL");
        // tag::producer[]
        StrongZeroProducer producer = StrongZeroProducer.builder()
                .dataSource(db)                       // the journal lives in the service's own database
                .pump(PumpConfig.builder()
                        .name("users")                // the stream consumers ask for
                        .createSchemaIfMissing(true)  // or run io/strongzero/sql/<dialect>/producer.sql yourself
                        .build())
                .bind(bind)                           // for example tcp://0.0.0.0:7300
                .build()
                .start();
        producer.registerConsumer("members");         // retention waits only for registered consumers
        StrongZeroSender sender = StrongZeroSender.builder()
                .producer(producer)                   // wakes the in-process pump after each commit
                .dataSource(db)                       // for inTransaction(...)
                .build();
        // end::producer[]
        this.producer = producer;
        this.sender = sender;
    }

    /** Inserts a user and publishes {@code user.created} in one local transaction; returns the message id. */
    // tag::send[]
    public FlakeId createUser(User user) {
        return sender.inTransaction(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO users (id, name, email) VALUES (?, ?, ?)")) {
                ps.setLong(1, user.id());
                ps.setString(2, user.name());
                ps.setString(3, user.email());
                ps.executeUpdate();                           // the business change
            }
            return sender.send(connection, "user.created", user);   // the journal row, same transaction
        });                                                   // commits, then wakes the pump
    }
    // end::send[]

    /** Every user, by id. */
    public List<User> users() throws SQLException {
        List<User> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email FROM users ORDER BY id")) {
            while (rs.next()) {
                out.add(new User(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    /**
     * Serves {@code POST /users} (a JSON user: 201 with the message id, 400 if invalid, 409 if the id exists)
     * and {@code GET /users} on {@code 127.0.0.1:port} (0 picks a free port). Returns the base URL.
     */
    @Override
    public String serveHttp(int port) throws IOException {
        http = new Http("users", port, Map.of("/users", (method, body) -> switch (method) {
            case "GET" -> new Http.Response(200, users());
            case "POST" -> post(body);
            default -> Http.Response.error(405, "use GET or POST");
        }));
        return http.url();
    }

    private Http.Response post(byte[] body) {
        User user;
        try {
            user = Http.JSON.readValue(body, User.class);
        } catch (JacksonException e) {
            return Http.Response.error(400, "expected {\"id\":1,\"name\":\"...\",\"email\":\"...\"}: " + e.getOriginalMessage());
        } catch (IOException e) {
            return Http.Response.error(400, e.getMessage());
        }
        if (user.id() <= 0 || user.name() == null || user.name().isBlank() || user.email() == null
                || user.email().isBlank() || user.name().length() > 200 || user.email().length() > 200) {
            return Http.Response.error(400, "id must be positive, name and email 1 to 200 characters");
        }
        try {
            FlakeId id = createUser(user);
            return new Http.Response(201, Map.of("id", user.id(), "messageId", id.toString()));
        } catch (StrongZeroException e) {
            if (e.getCause() instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return Http.Response.error(409, "user " + user.id() + " exists; nothing was published");
            }
            throw e;
        }
    }

    /** The endpoint consumers connect to. */
    public String endpoint() {
        return producer.endpoints().get(0);
    }

    /** The producer (for its pump, head and counters). */
    public StrongZeroProducer producer() {
        return producer;
    }

    /** Stops HTTP, then the producer and its pump. Idempotent. */
    @Override
    public void close() {
        Http.closeIfServing(http);
        sender.close();
        producer.close();
    }

    /** {@code UserProducerApp [JDBC-URL [BIND-ENDPOINT [HTTP-PORT]]]}: runs until Ctrl-C or SIGTERM. */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : DEFAULT_JDBC_URL;
        String bind = args.length > 1 ? args[1] : DEFAULT_BIND;
        int port = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_HTTP_PORT;
        AppProcess.serveUntilStopped(url, port, db -> new UserProducerApp(db, bind), (app, httpUrl) -> {
            System.out.println("users producer: database " + url);
            System.out.println("users producer: serving consumers on " + app.endpoint());
            System.out.println("users producer: HTTP on " + httpUrl + " (POST /users, GET /users); Ctrl-C stops");
            System.out.println("try: curl -s -X POST " + httpUrl + "/users -d '{\"id\":1,\"name\":\"Ada Lovelace\","
                    + "\"email\":\"ada@example.com\"}'");
        });
    }
}
