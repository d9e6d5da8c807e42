package io.strongzero.examples.spring;

import io.strongzero.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** The Spring examples' contract on PostgreSQL: a fresh schema for each service in each test. */
class SpringAppsPostgresTest extends SpringAppsContract {

    @BeforeAll
    static void postgresql() {
        TestDatabase.POSTGRESQL.assumeAvailable();
    }

    @Override
    Db newDatabase(String purpose) {
        TestDatabase.Instance instance = TestDatabase.POSTGRESQL.create("spring-" + purpose);
        return new Db(instance.jdbcUrl(), instance.user(), instance.password() == null ? "" : instance.password(),
                instance.dataSource(), instance);
    }
}
