package io.strongzero.examples.spring.standin;

import java.sql.Connection;
import javax.sql.DataSource;

/** Stand-in for {@code org.springframework.jdbc.datasource.DataSourceUtils}. */
public final class DataSourceUtils {
    private DataSourceUtils() {
    }

    public static Connection getConnection(DataSource dataSource) {
        throw new IllegalStateException("stand-in: no Spring here");
    }
}
