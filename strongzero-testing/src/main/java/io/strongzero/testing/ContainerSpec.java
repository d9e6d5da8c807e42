package io.strongzero.testing;

import java.util.Locale;
import java.util.Map;

/**
 * How to run one database server in a container: the image, the port it listens on, its environment (no
 * password for the user, a database called {@code test}) and the administrative JDBC URL.
 *
 * @param image       the image, e.g. {@code postgres:15-alpine}
 * @param port        the port inside the container
 * @param environment variables that set the server up
 * @param user        the administrative user
 * @param urlFormat   the administrative JDBC URL with {@code %s} for the host and {@code %d} for the mapped port
 */
record ContainerSpec(String image, int port, Map<String, String> environment, String user, String urlFormat) {

    String url(String host, int mappedPort) {
        return String.format(Locale.ROOT, urlFormat, host, mappedPort);
    }
}
