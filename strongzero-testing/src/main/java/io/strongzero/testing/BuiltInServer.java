package io.strongzero.testing;

import io.strongzero.core.Dialect;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A database server the kit knows ({@link TestDatabase#POSTGRESQL}, {@link TestDatabase#MARIADB}): its local server
 * and JDBC driver, how an isolated schema is created, reached and dropped, and how to run the server in a
 * container. Immutable and thread-safe.
 */
final class BuiltInServer extends TestDatabase {

    private final String localUrl;
    private final String localUser;
    private final String driver;
    private final BinaryOperator<String> isolatedUrl;
    private final String create;
    private final String drop;
    private final Supplier<ContainerSpec> container;

    /**
     * @param isolatedUrl the URL of an isolated schema from the server's URL and the schema's name
     * @param create      the statement that creates an isolated schema, {@value TestDatabase#SCHEMA} for its name
     * @param drop        the statement that drops it
     * @param container   how to run the server in a container (asked when a container is needed)
     */
    BuiltInServer(String name, Dialect dialect, String localUrl, String localUser, String driver,
                  BinaryOperator<String> isolatedUrl, String create, String drop, Supplier<ContainerSpec> container) {
        super(name, dialect);
        this.localUrl = localUrl;
        this.localUser = localUser;
        this.driver = driver;
        this.isolatedUrl = isolatedUrl;
        this.create = create;
        this.drop = drop;
        this.container = container;
    }

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
}
