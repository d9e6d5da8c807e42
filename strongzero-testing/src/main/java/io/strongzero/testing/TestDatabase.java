package io.strongzero.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.core.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real database for tests: H2 in memory (or in a file other processes can open), or a PostgreSQL or MariaDB
 * server. Each {@link #create(String)} makes a fresh, isolated schema (a database on MariaDB) with a connection
 * pool, and {@link Instance#close()} drops it.
 *
 * <p><b>Where a server comes from</b>, decided once per JVM and database the first time it is needed:
 * <ol>
 *   <li>the local server, if it accepts a connection: {@link #PG_URL} as {@link #PG_USER}, {@link #MARIADB_URL}
 *       as {@link #MARIADB_USER} (empty password; system properties {@code strongzero.pg.url},
 *       {@code strongzero.pg.user}, {@code strongzero.mariadb.url}, {@code strongzero.mariadb.user});</li>
 *   <li>else, if Testcontainers ({@code org.testcontainers:testcontainers}, an optional dependency) is on the class
 *       path and finds a Docker engine, a container started for this JVM (images {@code postgres:15-alpine} and
 *       {@code mariadb:10.11}, or the system properties {@code strongzero.pg.image} and
 *       {@code strongzero.mariadb.image});</li>
 *   <li>else the tests that need it are skipped with one line saying how to enable them, unless {@link #required()}:
 *       then they fail.</li>
 * </ol>
 * H2 runs embedded and is always available.
 *
 * <p><b>Another database</b>, for example the one of a new {@link Dialect}: {@link #server(String, Dialect)}
 * describes its server (the administrative JDBC URL and user, how to create and drop an isolated schema, the URL
 * of one), and the {@link TestDatabase} it builds works as the built-in ones do, in the contract suites of
 * {@code strongzero-tck} too. Such a server is used when it accepts a connection; otherwise its tests are skipped
 * with one line saying so, or fail when {@link #required()}. Keep it in a constant: its server is looked for once
 * per JVM and {@link TestDatabase}.
 *
 * <p>Thread-safe. An {@link Instance} is used by one test (or one test class) and closed by it. Only the kit makes
 * {@link TestDatabase}s: the constants {@link #H2}, {@link #POSTGRESQL}, {@link #MARIADB} and
 * {@link #server(String, Dialect)}. They are compared by identity.
 */
public abstract class TestDatabase {

    /** The local PostgreSQL server's JDBC URL (system property {@code strongzero.pg.url}). */
    public static final String PG_URL = System.getProperty("strongzero.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    /** The local PostgreSQL server's user (system property {@code strongzero.pg.user}). */
    public static final String PG_USER = System.getProperty("strongzero.pg.user", "postgres");
    /** The local MariaDB server's JDBC URL (system property {@code strongzero.mariadb.url}). */
    public static final String MARIADB_URL = System.getProperty("strongzero.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/test");
    /** The local MariaDB server's user (system property {@code strongzero.mariadb.user}). */
    public static final String MARIADB_USER = System.getProperty("strongzero.mariadb.user", "root");

    /** What the templates of {@link ServerBuilder} say where the isolated schema's name goes. */
    public static final String SCHEMA = "{schema}";

    /** H2, embedded: in memory, or in a file for {@link #createShared(String)}. */
    public static final TestDatabase H2 = new TestDatabase("H2", Dialect.H2) {
        @Override
        public void assumeAvailable() {
            // embedded: always there
        }

        @Override
        Instance open(String schema, boolean shared) {
            if (shared) {
                String dir = System.getProperty("java.io.tmpdir") + "/strongzero-it";
                String url = "jdbc:h2:file:" + dir + "/" + schema + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000";
                return new Instance(this, schema, Schemas.pool(schema, url, null, null), () -> { });
            }
            String url = "jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
            return new Instance(this, schema, Schemas.pool(schema, url, null, null), () -> Schemas.shutdownH2(url));
        }
    };

    /** PostgreSQL: a schema per instance ({@code currentSchema} in the pool's URL). */
    public static final TestDatabase POSTGRESQL = builtInServer("POSTGRESQL", Dialect.POSTGRESQL, PG_URL, PG_USER,
            "org.postgresql:postgresql",
            (serverUrl, schema) -> serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema,
            "CREATE SCHEMA " + SCHEMA, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
            () -> new ContainerSpec(System.getProperty("strongzero.pg.image", "postgres:15-alpine"), 5432,
                    Map.of("POSTGRES_HOST_AUTH_METHOD", "trust", "POSTGRES_DB", "test"), "postgres",
                    "jdbc:postgresql://%s:%d/test"));

    /** MariaDB: a database per instance. */
    public static final TestDatabase MARIADB = builtInServer("MARIADB", Dialect.MARIADB, MARIADB_URL, MARIADB_USER,
            "org.mariadb.jdbc:mariadb-java-client",
            (serverUrl, schema) -> serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + schema,
            "CREATE DATABASE " + SCHEMA, "DROP DATABASE IF EXISTS " + SCHEMA,
            () -> new ContainerSpec(System.getProperty("strongzero.mariadb.image", "mariadb:10.11"), 3306,
                    Map.of("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1", "MARIADB_DATABASE", "test"), "root",
                    "jdbc:mariadb://%s:%d/test"));

    /** How each server database is provided, decided once per JVM. */
    private static final Map<TestDatabase, Provision> PROVISIONS = new ConcurrentHashMap<>();

    private final String name;
    private final Dialect dialect;

    TestDatabase(String name, Dialect dialect) {
        this.name = name;
        this.dialect = dialect;
    }

    /**
     * A server the kit knows: its local server and JDBC driver, how an isolated schema is reached
     * ({@code isolatedUrl} from the server's URL and the schema's name), created and dropped (one statement each,
     * {@value #SCHEMA} for the name), and how to run the server in a container (asked when one is needed).
     */
    private static TestDatabase builtInServer(String name, Dialect dialect, String localUrl, String localUser,
            String driver, BinaryOperator<String> isolatedUrl, String create, String drop,
            Supplier<ContainerSpec> container) {
        return new TestDatabase(name, dialect) {
            @Override
            String localUrl() {
                return localUrl;
            }

            @Override
            String localUser() {
                return localUser;
            }

            @Override
            String driver() {
                return driver;
            }

            @Override
            String isolatedUrl(String serverUrl, String schema) {
                return isolatedUrl.apply(serverUrl, schema);
            }

            @Override
            List<String> createStatements(String schema) {
                return List.of(create.replace(SCHEMA, schema));
            }

            @Override
            List<String> dropStatements(String schema) {
                return List.of(drop.replace(SCHEMA, schema));
            }

            @Override
            ContainerSpec container() {
                return container.get();
            }
        };
    }

    /**
     * Describes a database server the kit does not know, for example the one of a new {@link Dialect}, so that
     * tests (and the contract suites of {@code strongzero-tck}) run on it. Keep what {@link ServerBuilder#build()}
     * returns in a constant.
     *
     * @param name    the database's name in messages and skip lines, e.g. {@code ORACLE}
     * @param dialect the StrongZero dialect of its schemas
     * @return a builder; {@link ServerBuilder#url(String)}, {@link ServerBuilder#createSchema(String...)},
     *         {@link ServerBuilder#dropSchema(String...)} and {@link ServerBuilder#schemaUrl(String)} are required
     * @throws IllegalArgumentException if the name is blank or the dialect null
     */
    public static ServerBuilder server(String name, Dialect dialect) {
        return new ServerBuilder(name, dialect);
    }

    /** @return the built-in databases, {@link #H2}, {@link #POSTGRESQL} and {@link #MARIADB}, in that order */
    public static TestDatabase[] values() {
        return new TestDatabase[] {H2, POSTGRESQL, MARIADB};
    }

    /**
     * The built-in database of that name.
     *
     * @param name {@code H2}, {@code POSTGRESQL} or {@code MARIADB}
     * @return the database
     * @throws IllegalArgumentException for any other name
     */
    public static TestDatabase valueOf(String name) {
        for (TestDatabase d : values()) {
            if (d.name.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no built-in TestDatabase " + name + ": H2, POSTGRESQL or MARIADB");
    }

    /** @return the name, e.g. {@code POSTGRESQL}: of the constant, or as given to {@link #server(String, Dialect)} */
    public final String name() {
        return name;
    }

    /** @return the StrongZero dialect of this database */
    public final Dialect dialect() {
        return dialect;
    }

    /**
     * True when a database that cannot be provided must fail the tests instead of skipping them: the system
     * property {@code strongzero.db} is {@code required}, or the environment variable CI is set (and not
     * {@code false}).
     *
     * @return whether the database tests are required
     */
    public static boolean required() {
        return ServerChooser.required(System.getProperty("strongzero.db", "auto"), System.getenv("CI"));
    }

    /**
     * Skips the current test (or, when {@link #required()}, fails it) with one line saying how to enable it if
     * this database can be provided neither by its local server nor by a container. Starts the container the
     * first time one is needed.
     */
    public void assumeAvailable() {
        server();
    }

    /**
     * A fresh, isolated database with a connection pool; skips or fails the test as {@link #assumeAvailable()}.
     *
     * @param purpose a word that goes into the schema's name, to tell the schemas apart
     * @return the instance; close it to drop the schema
     */
    public Instance create(String purpose) {
        return open(Schemas.schemaName(purpose), false);
    }

    /**
     * A fresh, isolated database that other processes can open too: on H2 a file database in auto-server mode
     * instead of an in-memory one (left in the temporary directory when closed); the same as
     * {@link #create(String)} on a server.
     *
     * @param purpose a word that goes into the schema's name
     * @return the instance; close it to drop the schema
     */
    public Instance createShared(String purpose) {
        return open(Schemas.schemaName(purpose), true);
    }

    /** @return the name */
    @Override
    public final String toString() {
        return name;
    }

    /**
     * A server's instance: creates the schema on the chosen server and a pool on it. If a statement after the
     * first or the pool fails, what was created is dropped again.
     */
    Instance open(String schema, boolean shared) {
        Server server = server();
        boolean created = false;
        HikariDataSource pool;
        try {
            for (String sql : createStatements(schema)) {
                server.execute(name, sql);
                created = true;
            }
            pool = Schemas.pool(schema, isolatedUrl(server.url(), schema), isolatedUser(server, schema),
                    isolatedPassword(server, schema));
        } catch (RuntimeException e) {
            if (created) {
                try {
                    drop(server, schema);
                } catch (RuntimeException dropFailure) {
                    e.addSuppressed(dropFailure);
                }
            }
            throw e;
        }
        return new Instance(this, schema, pool, () -> drop(server, schema));
    }

    /** Runs every drop statement; the first failure is thrown with the later ones suppressed. */
    private void drop(Server server, String schema) {
        RuntimeException failure = null;
        for (String sql : dropStatements(schema)) {
            try {
                server.execute(name, sql);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The server this database's instances are created on (skips or fails the test if there is none). */
    Server server() {
        return PROVISIONS.computeIfAbsent(this, TestDatabase::provision).serverOrAbort();
    }

    String localUrl() {
        throw new IllegalStateException(name + " is embedded");
    }

    String localUser() {
        throw new IllegalStateException(name + " is embedded");
    }

    /** The local server's password: empty for the built-in servers. */
    String localPassword() {
        return "";
    }

    /** The local server, for messages. */
    String localDescription() {
        return "the local server";
    }

    /** The Maven coordinates of the JDBC driver, for messages. */
    String driver() {
        throw new IllegalStateException(name + " is embedded");
    }

    /** The URL of the isolated schema {@code schema} on the server at {@code serverUrl}. */
    String isolatedUrl(String serverUrl, String schema) {
        throw new IllegalStateException(name + " is embedded");
    }

    /** Who the pool of an isolated schema connects as: the server's user unless a database says otherwise. */
    String isolatedUser(Server server, String schema) {
        return server.user();
    }

    String isolatedPassword(Server server, String schema) {
        return server.password();
    }

    /** The statements, run in order on the server, that create the isolated schema {@code schema}. */
    List<String> createStatements(String schema) {
        throw new IllegalStateException(name + " is embedded");
    }

    /** The statements that drop it again; each runs even if an earlier one failed. */
    List<String> dropStatements(String schema) {
        throw new IllegalStateException(name + " is embedded");
    }

    /** How to run the server in a container, or null if only its local server is used. */
    ContainerSpec container() {
        return null;
    }

    /** Null if the local server accepts a connection, else why not. */
    String localServerProblem() {
        try (Connection c = DriverManager.getConnection(localUrl(), localUser(), localPassword())) {
            c.isValid(2);
            return null;
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            return message.startsWith("No suitable driver")
                    ? message + "; add the JDBC driver " + driver() + " to the test class path" : message;
        }
    }

    private Provision provision() {
        ClassLoader loader = TestDatabase.class.getClassLoader();
        ContainerSupport[] containers = new ContainerSupport[1];
        ServerChooser.Probes probes = new ServerChooser.Probes() {
            @Override
            public String localServerProblem() {
                return TestDatabase.this.localServerProblem();
            }

            @Override
            public boolean testcontainersPresent() {
                return ContainerSupport.present(loader);
            }

            @Override
            public boolean dockerAvailable() {
                containers[0] = ContainerSupport.load(loader);
                return containers[0].dockerAvailable();
            }
        };
        String localUrl = localUrl();
        ContainerSpec container = container();
        ServerChooser.Choice choice = container == null
                ? ServerChooser.chooseLocalOnly(name, localUrl, probes, required())
                : ServerChooser.choose(name, localUrl, probes, required());
        switch (choice.outcome()) {
            case LOCAL_SERVER:
                return new Provision(choice, new Server(localUrl, localUser(), localPassword(), localDescription()), null);
            case CONTAINER:
                try {
                    return new Provision(choice, containers[0].start(name, container), null);
                } catch (RuntimeException e) {
                    return new Provision(choice, null, choice.message() + ", but the container did not start: " + e);
                }
            default:
                return new Provision(choice, null, null);
        }
    }

    /** How a database is provided: the choice, and the server or why there is none. */
    private record Provision(ServerChooser.Choice choice, Server server, String failure) {
        Server serverOrAbort() {
            if (choice.outcome() == ServerChooser.Outcome.SKIP) {
                Assumptions.abort(choice.message());
            } else if (choice.outcome() == ServerChooser.Outcome.FAIL) {
                Assertions.fail(choice.message());
            } else if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return server;
        }
    }

    /**
     * One isolated database: a schema (a database on MariaDB, an in-memory or file database on H2) and a pool
     * of up to 20 connections to it. {@link #close()} closes the pool and drops the schema.
     *
     * <p>Thread-safe; {@link #close()} is idempotent.
     */
    public static final class Instance implements AutoCloseable {
        private final TestDatabase database;
        private final String schema;
        private final HikariDataSource dataSource;
        private final Runnable drop;
        private final AtomicBoolean closed = new AtomicBoolean();

        Instance(TestDatabase database, String schema, HikariDataSource dataSource, Runnable drop) {
            this.database = database;
            this.schema = schema;
            this.dataSource = dataSource;
            this.drop = drop;
        }

        /** @return the pool of connections to this schema */
        public HikariDataSource dataSource() {
            return dataSource;
        }

        /** @return which database this is */
        public TestDatabase database() {
            return database;
        }

        /** @return the JDBC URL of this schema, for another pool or another process */
        public String jdbcUrl() {
            return dataSource.getJdbcUrl();
        }

        /** @return the user of {@link #jdbcUrl()} (null for H2) */
        public String user() {
            return dataSource.getUsername();
        }

        /**
         * @return the password of {@link #jdbcUrl()}: null when none is needed (H2 and the built-in servers, whose
         *         password is empty), else as {@link ServerBuilder} described it
         */
        public String password() {
            return dataSource.getPassword();
        }

        /** @return the schema's (on MariaDB the database's) name */
        public String schema() {
            return schema;
        }

        /** Closes the pool and drops the schema (an in-memory H2 database is shut down). */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                dataSource.close();
            } finally {
                drop.run();
            }
        }

        @Override
        public String toString() {
            return "TestDatabase.Instance[" + database + " " + schema + "]";
        }
    }
}
