/**
 * Test support for StrongZero and for applications that use it: real databases with a fresh schema per test
 * ({@link io.strongzero.testing.TestDatabase} and the JUnit 5 extensions {@link io.strongzero.testing.H2Database},
 * {@link io.strongzero.testing.PostgresDatabase} and {@link io.strongzero.testing.MariaDbDatabase}), waiting for a
 * condition by polling ({@link io.strongzero.testing.Await}) and a base for test data sources that change one
 * behaviour of a real one ({@link io.strongzero.testing.ForwardingDataSource}). Another database server, such as
 * the one of a new dialect, is described with {@link io.strongzero.testing.TestDatabase#server}.
 *
 * <p>Add {@code io.strongzero:strongzero-testing} at test scope, with the JDBC driver of your database and,
 * optionally, {@code org.testcontainers:testcontainers}.
 */
package io.strongzero.testing;
