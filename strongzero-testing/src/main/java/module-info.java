/**
 * StrongZero's test kit: databases for tests (H2, PostgreSQL, MariaDB; optionally in Testcontainers),
 * a JUnit 5 extension, polling waits and a manual ticker.
 */
// "requires-automatic": Testcontainers (org.testcontainers:testcontainers 2.0.5) has neither a module-info
// nor an Automatic-Module-Name, so its module name comes from the jar's file name. It is optional (requires
// static, <optional> in the pom): the kit uses it only when it is present.
@SuppressWarnings("requires-automatic")
module io.strongzero.testing {
    // Ticker (ManualTicker), JUnit's extension API (DatabaseExtension), HikariDataSource (TestDatabase.Instance)
    // and DataSource appear in the kit's signatures.
    requires transitive io.strongzero.core;
    requires transitive java.sql;
    requires transitive org.junit.jupiter.api;
    requires transitive com.zaxxer.hikari;
    requires org.slf4j;
    requires static testcontainers;

    exports io.strongzero.testing;
}
