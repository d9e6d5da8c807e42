package io.strongzero.testing;

import java.lang.reflect.InvocationTargetException;

/**
 * The kit's access to Testcontainers, an optional dependency: {@link #present} looks for it without loading
 * any of its classes, and only then {@link #load} instantiates {@link TestcontainersSupport}, the one class
 * that refers to Testcontainers. Without Testcontainers on the class path, no kit class ever links against it.
 */
interface ContainerSupport {

    /** A class of the Testcontainers core artifact, looked up to tell whether it is on the class path. */
    String MARKER_CLASS = "org.testcontainers.DockerClientFactory";

    /** The implementation, named as a string so that nothing refers to it statically. */
    String IMPLEMENTATION = "io.strongzero.testing.TestcontainersSupport";

    /** Whether Testcontainers can be loaded by {@code loader} (nothing is initialized). */
    static boolean present(ClassLoader loader) {
        try {
            Class.forName(MARKER_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The Testcontainers-backed implementation; call only after {@link #present} said yes.
     *
     * @throws IllegalStateException if it cannot be instantiated
     */
    static ContainerSupport load(ClassLoader loader) {
        try {
            return Class.forName(IMPLEMENTATION, true, loader).asSubclass(ContainerSupport.class)
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            throw new IllegalStateException("Testcontainers is on the class path but cannot be used: " + cause, cause);
        }
    }

    /** Whether Testcontainers finds a Docker engine. */
    boolean dockerAvailable();

    /**
     * Starts a container (stopped when the JVM exits) and waits until the server accepts connections.
     *
     * @param database the database's name, for messages and thread names
     */
    Server start(String database, ContainerSpec spec);
}
