package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Testcontainers is an optional dependency: the kit detects it for real, and works without it. This module's
 * tests have it on the class path; a class loader over the same class path without the Testcontainers jar
 * stands for a user's tests that do not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestcontainersDetectionTest {

    /** The test class path without Testcontainers, over the platform class loader. */
    private static URLClassLoader withoutTestcontainers() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        int dropped = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.replace('\\', '/').contains("/org/testcontainers/")) {
                dropped++;
                continue;
            }
            urls.add(Path.of(entry).toUri().toURL());
        }
        assertTrue(dropped > 0, "the Testcontainers jar is on this module's test class path");
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    @Test
    void findsTestcontainersOnThisModulesTestClassPath() {
        assertTrue(ContainerSupport.present(TestDatabase.class.getClassLoader()));
        ContainerSupport support = ContainerSupport.load(TestDatabase.class.getClassLoader());
        assertEquals(ContainerSupport.IMPLEMENTATION, support.getClass().getName());
    }

    @Test
    void reportsTestcontainersAbsentFromAClassPathWithoutItAndLoadsNoneOfItsClasses() throws Exception {
        try (URLClassLoader loader = withoutTestcontainers()) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(ContainerSupport.MARKER_CLASS, false, loader));
            Class<?> support = Class.forName(ContainerSupport.class.getName(), true, loader);
            Method present = support.getMethod("present", ClassLoader.class);
            present.setAccessible(true);
            assertEquals(Boolean.FALSE, present.invoke(null, loader));
            assertEquals(Boolean.TRUE, present.invoke(null, TestDatabase.class.getClassLoader()));
        }
    }

    @Test
    void withoutTestcontainersAnUnreachableServerSkipsWithOneLineAndH2StillWorks() throws Exception {
        String property = "strongzero.pg.url";
        String before = System.getProperty(property);
        System.setProperty(property, "jdbc:postgresql://127.0.0.1:1/test");
        try (URLClassLoader loader = withoutTestcontainers()) {
            // drivers register with DriverManager when their class initializes, as on a user's class path
            Class.forName("org.postgresql.Driver", true, loader);
            Class.forName("org.h2.Driver", true, loader);
            Class<?> testDatabase = Class.forName(TestDatabase.class.getName(), true, loader);
            Object postgres = testDatabase.getField("POSTGRESQL").get(null);
            Object h2 = testDatabase.getField("H2").get(null);
            boolean required = TestDatabase.required();

            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> testDatabase.getMethod("assumeAvailable").invoke(postgres));
            Throwable thrown = e.getCause();
            assertEquals(required ? "org.opentest4j.AssertionFailedError" : "org.opentest4j.TestAbortedException",
                    thrown.getClass().getName(), String.valueOf(thrown));
            String message = thrown.getMessage();
            assertTrue(message.contains("POSTGRESQL is not reachable at jdbc:postgresql://127.0.0.1:1/test ("), message);
            assertTrue(message.contains("and Testcontainers is not on the class path: start the server, or add "
                    + "org.testcontainers:testcontainers"), message);
            assertFalse(message.contains("\n"), "one line: " + message);

            AutoCloseable instance = (AutoCloseable) testDatabase.getMethod("create", String.class).invoke(h2, "notc");
            try (instance) {
                Object dataSource = instance.getClass().getMethod("dataSource").invoke(instance);
                try (java.sql.Connection c = ((javax.sql.DataSource) dataSource).getConnection()) {
                    assertTrue(c.isValid(2));
                }
            }
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }
}
