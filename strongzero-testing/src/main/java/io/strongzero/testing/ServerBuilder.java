package io.strongzero.testing;

import io.strongzero.core.Dialect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Describes a database server: where it is, who may create and drop schemas on it, how, and how to connect to
 * one. The statements and URLs are templates in which {@value TestDatabase#SCHEMA} stands for the isolated
 * schema's name ({@code sz_<purpose>_<8 hex digits>}, lower case). For example a PostgreSQL server that is not
 * the local one:
 *
 * <pre>{@code
 * static final TestDatabase STAGING = TestDatabase.server("STAGING_PG", Dialect.POSTGRESQL)
 *         .url("jdbc:postgresql://staging:5432/test").user("tests").password("secret")
 *         .createSchema("CREATE SCHEMA {schema}")
 *         .dropSchema("DROP SCHEMA IF EXISTS {schema} CASCADE")
 *         .schemaUrl("jdbc:postgresql://staging:5432/test?currentSchema={schema}")
 *         .build();
 * }</pre>
 *
 * Each setter checks its value at once. Not thread-safe; the {@link TestDatabase} it builds is.
 */
public final class ServerBuilder {
    private final String name;
    private final Dialect dialect;
    private String url;
    private String user;
    private String password = "";
    private List<String> create;
    private List<String> drop;
    private String schemaUrl;
    private String schemaUser;
    private String schemaPassword;
    private String driver;

    ServerBuilder(String name, Dialect dialect) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank but was " + quoted(name));
        }
        if (dialect == null) {
            throw new IllegalArgumentException("dialect must not be null");
        }
        this.name = name;
        this.dialect = dialect;
    }

    /**
     * The JDBC URL of the server's administrative database, where the schemas are created and dropped, and
     * where the kit looks whether the server runs.
     *
     * @param adminUrl a JDBC URL
     * @return this builder
     * @throws IllegalArgumentException if it does not start with {@code jdbc:}
     */
    public ServerBuilder url(String adminUrl) {
        if (adminUrl == null || !adminUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("url must be a JDBC URL (jdbc:...) but was " + quoted(adminUrl));
        }
        this.url = adminUrl;
        return this;
    }

    /**
     * The user that creates and drops the schemas (none by default: the URL's or the driver's).
     *
     * @param user the user
     * @return this builder
     * @throws IllegalArgumentException if it is blank
     */
    public ServerBuilder user(String user) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank but was " + quoted(user));
        }
        this.user = user;
        return this;
    }

    /**
     * The password of {@link #user(String)} (empty by default).
     *
     * @param password the password
     * @return this builder
     */
    public ServerBuilder password(String password) {
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    /**
     * The statements that create an isolated schema (a database, a user: whatever isolates the tables of one
     * test on this server), run in order with {@value TestDatabase#SCHEMA} replaced.
     *
     * @param statements at least one, and at least one of them naming {@value TestDatabase#SCHEMA}
     * @return this builder
     * @throws IllegalArgumentException if none is given or none names the schema
     */
    public ServerBuilder createSchema(String... statements) {
        this.create = templates("createSchema", statements);
        return this;
    }

    /**
     * The statements that drop an isolated schema and everything in it, each run even if one before failed;
     * they should not fail when the schema is already gone ({@code DROP ... IF EXISTS}).
     *
     * @param statements at least one, and at least one of them naming {@value TestDatabase#SCHEMA}
     * @return this builder
     * @throws IllegalArgumentException if none is given or none names the schema
     */
    public ServerBuilder dropSchema(String... statements) {
        this.drop = templates("dropSchema", statements);
        return this;
    }

    /**
     * The JDBC URL of an isolated schema, what its pool connects to, e.g.
     * {@code jdbc:postgresql://host:5432/test?currentSchema={schema}}.
     *
     * @param template a JDBC URL, with {@value TestDatabase#SCHEMA} unless {@link #schemaUser} names it
     * @return this builder
     * @throws IllegalArgumentException if it does not start with {@code jdbc:}
     */
    public ServerBuilder schemaUrl(String template) {
        if (template == null || !template.startsWith("jdbc:")) {
            throw new IllegalArgumentException("schemaUrl must be a JDBC URL (jdbc:...) but was " + quoted(template));
        }
        this.schemaUrl = template;
        return this;
    }

    /**
     * Who the pool of an isolated schema connects as, where a schema is a user (Oracle); by default the
     * server's {@link #user(String)} and {@link #password(String)}.
     *
     * @param userTemplate the user, usually {@value TestDatabase#SCHEMA}
     * @param password     its password, as the create statements set it
     * @return this builder
     * @throws IllegalArgumentException if the user is blank
     */
    public ServerBuilder schemaUser(String userTemplate, String password) {
        if (userTemplate == null || userTemplate.isBlank()) {
            throw new IllegalArgumentException("schemaUser must not be blank but was " + quoted(userTemplate));
        }
        this.schemaUser = userTemplate;
        this.schemaPassword = Objects.requireNonNull(password, "password");
        return this;
    }

    /**
     * The Maven coordinates of the JDBC driver, named in the skip line when no driver accepts the URL.
     *
     * @param coordinates e.g. {@code com.oracle.database.jdbc:ojdbc11}
     * @return this builder
     */
    public ServerBuilder driver(String coordinates) {
        this.driver = Objects.requireNonNull(coordinates, "coordinates");
        return this;
    }

    /**
     * @return the database, to keep in a constant
     * @throws IllegalStateException if a required setting is missing, or neither the schema's URL nor its
     *                               user names {@value TestDatabase#SCHEMA} (every instance would share one
     *                               schema)
     */
    public TestDatabase build() {
        List<String> missing = new ArrayList<>();
        if (url == null) {
            missing.add("url");
        }
        if (create == null) {
            missing.add("createSchema");
        }
        if (drop == null) {
            missing.add("dropSchema");
        }
        if (schemaUrl == null) {
            missing.add("schemaUrl");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(name + ": " + String.join(", ", missing) + " must be set");
        }
        if (!schemaUrl.contains(TestDatabase.SCHEMA) && (schemaUser == null || !schemaUser.contains(TestDatabase.SCHEMA))) {
            throw new IllegalStateException(name + ": schemaUrl " + quoted(schemaUrl) + " (or schemaUser) must "
                    + "name " + TestDatabase.SCHEMA + ", or every instance would connect to the same schema");
        }
        return new DescribedServer(name, dialect, url, user, password, create, drop, schemaUrl, schemaUser,
                schemaPassword, driver);
    }

    private static List<String> templates(String setting, String... statements) {
        List<String> list = statements == null ? List.of() : Arrays.asList(statements);
        if (list.isEmpty() || list.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException(setting + " needs one or more statements, none blank, but was "
                    + list);
        }
        if (list.stream().noneMatch(s -> s.contains(TestDatabase.SCHEMA))) {
            throw new IllegalArgumentException(setting + " must name the schema as " + TestDatabase.SCHEMA + " but was " + list);
        }
        return List.copyOf(list);
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
