package io.strongzero.examples.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The Spring examples' contract on two in-memory H2 databases (Spring Boot's default user for them, sa). */
class SpringAppsH2Test extends SpringAppsContract {

    @Override
    Db newDatabase(String purpose) {
        String url = "jdbc:h2:mem:spring-" + purpose + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        return new Db(url, "sa", "", new DriverManagerDataSource(url, "sa", ""), () -> {
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        });
    }
}
