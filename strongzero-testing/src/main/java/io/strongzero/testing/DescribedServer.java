package io.strongzero.testing;

import io.strongzero.core.Dialect;
import java.util.List;

/**
 * A database server described by {@link ServerBuilder}: its administrative URL and user, and templates
 * in which {@value TestDatabase#SCHEMA} stands for the isolated schema's name. Only the server at that URL is used
 * (no container): when it does not answer, the tests are skipped, or fail when {@link TestDatabase#required()}.
 *
 * <p>Immutable and thread-safe.
 */
final class DescribedServer extends TestDatabase {

    private final String url;
    private final String user;
    private final String password;
    private final List<String> create;
    private final List<String> drop;
    private final String schemaUrl;
    private final String schemaUser;
    private final String schemaPassword;
    private final String driver;

    DescribedServer(String name, Dialect dialect, String url, String user, String password, List<String> create,
                    List<String> drop, String schemaUrl, String schemaUser, String schemaPassword, String driver) {
        super(name, dialect);
        this.url = url;
        this.user = user;
        this.password = password;
        this.create = create;
        this.drop = drop;
        this.schemaUrl = schemaUrl;
        this.schemaUser = schemaUser;
        this.schemaPassword = schemaPassword;
        this.driver = driver;
    }

    private static String fill(String template, String schema) {
        return template.replace(SCHEMA, schema);
    }

    @Override
    String localUrl() {
        return url;
    }

    @Override
    String localUser() {
        return user;
    }

    @Override
    String localPassword() {
        return password;
    }

    @Override
    String localDescription() {
        return "the server at " + url;
    }

    @Override
    String driver() {
        return driver != null ? driver : "of " + name();
    }

    @Override
    String isolatedUrl(String serverUrl, String schema) {
        return fill(schemaUrl, schema);
    }

    @Override
    String isolatedUser(Server server, String schema) {
        return schemaUser != null ? fill(schemaUser, schema) : server.user();
    }

    @Override
    String isolatedPassword(Server server, String schema) {
        return schemaUser != null ? schemaPassword : server.password();
    }

    @Override
    List<String> createStatements(String schema) {
        return create.stream().map(s -> fill(s, schema)).toList();
    }

    @Override
    List<String> dropStatements(String schema) {
        return drop.stream().map(s -> fill(s, schema)).toList();
    }
}
