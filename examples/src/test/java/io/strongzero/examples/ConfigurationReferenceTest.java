package io.strongzero.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.producer.ProducerConfig;
import io.strongzero.producer.SenderConfig;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import io.strongzero.pump.StrongZeroPump;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/configuration.md documents every option of every public builder, and nothing that no longer exists: a
 * builder method added to the library without a row in the reference fails this test.
 */
class ConfigurationReferenceTest {

    private static final List<Class<?>> BUILDERS = List.of(StrongZeroPump.Builder.class,
            StrongZeroProducer.Builder.class, StrongZeroSender.Builder.class, RetryPolicy.Builder.class);
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`\\.?([a-zA-Z]+)\\(");

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void everyBuilderOptionHasARowInTheReferenceAndEveryRowAnOption() throws IOException {
        List<String> lines = Files.readAllLines(DocSnippetsTest.repositoryRoot().resolve("docs/configuration.md"));
        List<String> problems = new ArrayList<>();
        for (Class<?> builder : BUILDERS) {
            String owner = builder.getEnclosingClass().getSimpleName();
            Set<String> options = new TreeSet<>();
            Arrays.stream(builder.getDeclaredMethods())
                    .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
                    .map(Method::getName).filter(n -> !n.equals("build")).forEach(options::add);
            Set<String> documented = documented(lines, "## " + owner + ".builder()");
            if (documented == null) {
                problems.add("docs/configuration.md has no section '## " + owner + ".builder()'");
                continue;
            }
            for (String option : options) {
                if (!documented.contains(option)) {
                    problems.add(owner + ".Builder." + option + "(...) has no row in its section of docs/configuration.md");
                }
            }
            for (String row : documented) {
                if (!options.contains(row)) {
                    problems.add("docs/configuration.md documents " + owner + ".Builder." + row
                            + "(...), which does not exist");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * The consumer's section lists exactly its options: the settings of {@link ConsumerConfig} (each setter with its
     * accessor) and the collaborators set on {@link StrongZeroConsumer.Builder}.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void everyConsumerConfigOptionAndCollaboratorHasARowAndEveryRowAnOption() throws IOException {
        List<String> lines = Files.readAllLines(DocSnippetsTest.repositoryRoot().resolve("docs/configuration.md"));
        Set<String> documented = documented(lines, "## StrongZeroConsumer.builder()");
        assertTrue(documented != null, "docs/configuration.md has no section '## StrongZeroConsumer.builder()'");
        Set<String> settings = publicMethods(ConsumerConfig.Setters.class);
        Set<String> accessors = new TreeSet<>();
        Arrays.stream(ConsumerConfig.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 0)
                .map(Method::getName)
                .filter(n -> !Set.of("toBuilder", "toString", "hashCode").contains(n)).forEach(accessors::add);
        List<String> problems = new ArrayList<>();
        for (String accessor : accessors) {   // producers() for producer(..), reconnectBackoffBase() for reconnectBackoff(..)
            if (settings.stream().noneMatch(accessor::startsWith)) {
                problems.add("ConsumerConfig." + accessor + "() has no setter in ConsumerConfig.Builder");
            }
        }
        for (String setting : settings) {
            if (accessors.stream().noneMatch(a -> a.startsWith(setting))) {
                problems.add("ConsumerConfig.Builder." + setting + "(...) has no accessor in ConsumerConfig");
            }
        }
        Set<String> options = new TreeSet<>(settings);
        options.addAll(publicMethods(StrongZeroConsumer.Builder.class));   // the collaborators, and config(...)
        for (String option : options) {
            if (!documented.contains(option)) {
                problems.add("StrongZeroConsumer.Builder." + option + "(...) has no row in its section of docs/configuration.md");
            }
        }
        for (String row : documented) {
            if (!options.contains(row)) {
                problems.add("docs/configuration.md documents StrongZeroConsumer.Builder." + row + "(...), which does not exist");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The public methods {@code type} declares, but {@code build}. */
    private static Set<String> publicMethods(Class<?> type) {
        Set<String> out = new TreeSet<>();
        Arrays.stream(type.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
                .map(Method::getName).filter(n -> !n.equals("build")).forEach(out::add);
        return out;
    }

    /** The option names of the table rows in the section starting with {@code heading}, or null if there is none. */
    private static Set<String> documented(List<String> lines, String heading) {
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(heading)) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher m = ROW.matcher(lines.get(i));
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    // ---- pump, producer, sender: the rows against their configuration objects ------------------------------

    /** Options whose one setter writes several config values, by the name of each value's accessor. */
    private static final Map<String, String> MULTI_VALUE_SETTERS = Map.of("endpoints", "bind",
            "tailCacheMessages", "tailCache", "tailCacheBytes", "tailCache", "retentionMin", "retention",
            "retentionMax", "retention", "retentionInterval", "retentionSchedule", "retentionChunk", "retentionSchedule");

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void thePumpProducerAndSenderRowsAreTheirConfigsOptionsAndTheirBuildersCollaborators() throws IOException {
        List<String> lines = Files.readAllLines(DocSnippetsTest.repositoryRoot().resolve("docs/configuration.md"));
        List<String> problems = new ArrayList<>();
        problems.addAll(configRowProblems(lines, StrongZeroPump.Builder.class, PumpConfig.class));
        problems.addAll(configRowProblems(lines, StrongZeroProducer.Builder.class, ProducerConfig.class));
        problems.addAll(configRowProblems(lines, StrongZeroSender.Builder.class, SenderConfig.class));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * What is wrong with the rows of {@code builder}'s section: each option of {@code config} (its accessors, by
     * the setter that writes them) and each collaborator of the builder (its setters the config's builder does
     * not have) must have a row, every row must be one of them, and every option must be settable on the config's
     * builder and on the component's builder.
     */
    private static List<String> configRowProblems(List<String> lines, Class<?> builder, Class<?> config)
            throws IOException {
        String owner = builder.getEnclosingClass().getSimpleName();
        Set<String> options = new TreeSet<>();
        for (Method m : config.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                    && !Set.of("toBuilder", "toString", "hashCode").contains(m.getName())) {
                options.add(MULTI_VALUE_SETTERS.getOrDefault(m.getName(), m.getName()));
            }
        }
        Set<String> configSetters = publicMethods(Arrays.stream(config.getDeclaredClasses())
                .filter(c -> c.getSimpleName().equals("Builder")).findFirst().orElseThrow());
        Set<String> builderSetters = publicMethods(builder);
        Set<String> collaborators = new TreeSet<>(builderSetters);
        collaborators.removeAll(configSetters);
        List<String> problems = new ArrayList<>();
        for (String option : options) {
            if (!configSetters.contains(option) || !builderSetters.contains(option)) {
                problems.add(config.getSimpleName() + " option " + option + " has no setter on "
                        + config.getSimpleName() + ".Builder and " + owner + ".Builder");
            }
        }
        Set<String> expected = new TreeSet<>(options);
        expected.addAll(collaborators);
        Set<String> documented = documented(lines, "## " + owner + ".builder()");
        if (documented == null) {
            return List.of("docs/configuration.md has no section '## " + owner + ".builder()'");
        }
        for (String option : expected) {
            if (!documented.contains(option)) {
                problems.add(owner + ": " + option + (options.contains(option) ? " (a " + config.getSimpleName()
                        + " option)" : " (a collaborator)") + " has no row in docs/configuration.md");
            }
        }
        for (String row : documented) {
            if (!expected.contains(row)) {
                problems.add("docs/configuration.md documents " + owner + "." + row + "(...), which is neither a "
                        + config.getSimpleName() + " option nor a collaborator of the builder");
            }
        }
        return problems;
    }
}
