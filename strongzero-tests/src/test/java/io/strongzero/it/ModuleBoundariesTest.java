package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published modules on the module path, as an application that uses JPMS sees them: they resolve together
 * (every {@code requires} is met and no package is split between two modules), export their API packages, export
 * each {@code internal} package only to the sibling modules that use it, and the API still works there (the
 * ServiceLoader lookup of dialects, the DDL resources). The other tests run on the class path, where the module
 * descriptors do not apply; this one builds a module layer from the same jars (or target/classes directories).
 */
class ModuleBoundariesTest {

    private static final List<String> PUBLISHED = List.of("io.strongzero.core", "io.strongzero.pump",
            "io.strongzero.producer", "io.strongzero.consumer", "io.strongzero.testing", "io.strongzero.tck",
            "io.strongzero.micrometer", "io.strongzero.health");

    /** Third-party jars the published modules require (not the optional ones), by file-name prefix. */
    private static final List<String> REQUIRED_JARS = List.of("jeromq-", "jackson-databind-", "jackson-core-",
            "jackson-annotations-", "jackson-dataformat-msgpack-", "msgpack-core-", "slf4j-api-", "HikariCP-",
            "junit-jupiter-api-", "junit-platform-commons-", "opentest4j-", "micrometer-core-");

    private static ModuleLayer layer;

    @BeforeAll
    static void defineTheLayer() {
        List<Path> paths = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String file = p.getFileName().toString();
            boolean module = Files.isDirectory(p) ? Files.exists(p.resolve("module-info.class"))
                    : file.startsWith("strongzero-") || REQUIRED_JARS.stream().anyMatch(file::startsWith);
            if (module) {
                paths.add(p);
            }
        }
        ModuleFinder finder = ModuleFinder.of(paths.toArray(new Path[0]));
        // Resolution fails if a requires is not met or two modules a module reads export the same package;
        // defining the layer with one class loader fails if two modules contain the same package. The parent is
        // the platform loader, so nothing of the class path (where the same jars are) is found through it.
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), PUBLISHED);
        layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void everyPublishedModuleExportsItsApiAndNoInternalPackageWithoutTo() {
        Map<String, String> exports = new TreeMap<>();
        for (String name : PUBLISHED) {
            ModuleDescriptor d = descriptor(name);
            for (ModuleDescriptor.Exports e : d.exports()) {
                assertTrue(e.isQualified() || !e.source().contains(".internal"), name + " exports " + e.source() + " to everyone");
                exports.put(e.source(), e.isQualified() ? "to " + new TreeSet<>(e.targets()) : "to all");
            }
        }
        assertEquals(Map.ofEntries(
                Map.entry("io.strongzero.core", "to all"),
                Map.entry("io.strongzero.core.internal", "to [io.strongzero.consumer, io.strongzero.health, "
                        + "io.strongzero.producer, io.strongzero.pump, io.strongzero.tck]"),
                Map.entry("io.strongzero.pump", "to all"),
                Map.entry("io.strongzero.pump.internal", "to [io.strongzero.producer, io.strongzero.tck]"),
                Map.entry("io.strongzero.producer", "to all"),
                Map.entry("io.strongzero.consumer", "to all"),
                Map.entry("io.strongzero.consumer.internal", "to [io.strongzero.tck]"),
                Map.entry("io.strongzero.testing", "to all"),
                Map.entry("io.strongzero.tck", "to all"),
                Map.entry("io.strongzero.tck.stores", "to all"),
                Map.entry("io.strongzero.micrometer", "to all"),
                Map.entry("io.strongzero.health", "to all")), exports);
        assertFalse(descriptor("io.strongzero.producer").exports().stream()
                .anyMatch(e -> e.source().equals("io.strongzero.producer.internal")), "producer internals stay inside");
        assertEquals(Set.of("io.strongzero.core.Dialect"), descriptor("io.strongzero.core").uses());
        Module tck = layer.findModule("io.strongzero.tck").orElseThrow();
        Module junit = layer.findModule("org.junit.platform.commons").orElseThrow();
        assertTrue(tck.isOpen("io.strongzero.tck", junit) && tck.isOpen("io.strongzero.tck.stores", junit),
                "JUnit may call the suites' package-private methods");
        assertFalse(tck.isOpen("io.strongzero.tck"), "open to JUnit only");
    }

    @Test
    void noPackageIsInTwoPublishedModules() {
        Map<String, String> owner = new TreeMap<>();
        for (String name : PUBLISHED) {
            for (String pkg : descriptor(name).packages()) {
                String before = owner.put(pkg, name);
                assertTrue(before == null, pkg + " is in " + before + " and " + name);
            }
        }
    }

    @Test
    void internalPackagesAreReadableOnlyByTheSiblingsTheyAreExportedTo() {
        Module core = layer.findModule("io.strongzero.core").orElseThrow();
        assertFalse(core.isExported("io.strongzero.core.internal"), "not exported to everyone");
        assertFalse(core.isExported("io.strongzero.core.internal", getClass().getModule()), "not to an application");
        for (String sibling : List.of("io.strongzero.pump", "io.strongzero.producer", "io.strongzero.consumer",
                "io.strongzero.tck", "io.strongzero.health")) {
            assertTrue(core.isExported("io.strongzero.core.internal", layer.findModule(sibling).orElseThrow()), sibling);
        }
        Module micrometer = layer.findModule("io.strongzero.micrometer").orElseThrow();
        assertFalse(core.isExported("io.strongzero.core.internal", micrometer), "micrometer uses the public API only");
        Module testing = layer.findModule("io.strongzero.testing").orElseThrow();
        assertFalse(core.isExported("io.strongzero.core.internal", testing), "the test kit uses the public API only");
    }

    @Test
    void codeOutsideTheModulesCallsTheApiButNotTheInternals() throws Exception {
        ClassLoader loader = layer.findLoader("io.strongzero.core");
        Class<?> names = loader.loadClass("io.strongzero.core.Names");
        assertEquals(true, names.getMethod("isValid", String.class).invoke(null, "orders"));

        Class<?> protocol = loader.loadClass("io.strongzero.core.internal.Protocol");
        Method isValidName = protocol.getMethod("isValidName", String.class);
        assertThrows(IllegalAccessException.class, () -> isValidName.invoke(null, "orders"));
    }

    @Test
    void dialectsAreFoundThroughTheServiceLoaderAndTheirDdlResourcesAreReadable() throws Exception {
        ClassLoader loader = layer.findLoader("io.strongzero.core");
        Class<?> dialect = loader.loadClass("io.strongzero.core.Dialect");
        Object values = dialect.getMethod("values").invoke(null);
        assertEquals("[h2, postgresql, mariadb]", ((List<?>) values).stream()
                .map(d -> invoke(d, dialect, "shortName")).collect(Collectors.toList()).toString());

        Class<?> schema = loader.loadClass("io.strongzero.core.Schema");
        Class<?> side = loader.loadClass("io.strongzero.core.Schema$Side");
        for (Object d : (List<?>) values) {
            for (Object s : side.getEnumConstants()) {
                String ddl = (String) schema.getMethod("ddl", dialect, side, String.class).invoke(null, d, s, "sz_");
                assertTrue(ddl.contains("CREATE TABLE"), d + " " + s + ": " + ddl);
            }
        }
    }

    private static Object invoke(Object target, Class<?> type, String method) {
        try {
            return type.getMethod(method).invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static ModuleDescriptor descriptor(String name) {
        return layer.findModule(name).map(Module::getDescriptor)
                .orElseThrow(() -> new AssertionError(name + " is not in the layer: " + layer.modules()));
    }
}
