package io.strongzero.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;

/**
 * The property reference of {@code docs/spring-boot.md} lists exactly the properties of the metadata Spring Boot's
 * configuration processor generates from {@link StrongZeroProperties} (the file IDEs complete from), each with the
 * default the metadata gives: a property added, renamed, removed or given another default without the doc fails
 * here. Map and list entries of nested objects ({@code strongzero.consumer.producers.<name>.endpoint}) are checked
 * against the fields of the nested class, and the Actuator switch against the health auto-configuration's condition.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpringBootDocsTest {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
    private static final Path DOC = Path.of("../docs/spring-boot.md");
    private static final String SECTION = "## Properties";
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|(.*)\\|\\s*$");
    private static final Pattern NESTED = Pattern.compile(
            "^java\\.util\\.(?:Map<java\\.lang\\.String,|List<)(io\\.strongzero\\.spring\\.boot\\.StrongZero\\w*Properties\\$\\w+)>$");

    /** A row of the doc's property table. */
    record Row(String property, String defaultValue, String description, int line) {
    }

    @Test
    void theDocumentedPropertiesAreExactlyTheMetadataPropertiesWithTheirDefaults() throws Exception {
        Map<String, String> expected = expectedProperties();
        Map<String, Row> documented = documentedProperties();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Row row = documented.get(e.getKey());
            if (row == null) {
                problems.add(e.getKey() + " (default '" + e.getValue() + "') has no row in the property table of " + DOC);
            } else if (!normalize(row.defaultValue()).equals(e.getValue())) {
                problems.add(DOC + ":" + row.line() + ": " + e.getKey() + " is documented with default '"
                        + row.defaultValue().strip() + "' but its default is '" + e.getValue() + "'");
            }
        }
        for (Row row : documented.values()) {
            if (!expected.containsKey(row.property())) {
                problems.add(DOC + ":" + row.line() + ": " + row.property() + " is documented but is no property "
                        + "of the starter");
            }
            if (row.description().isBlank()) {
                problems.add(DOC + ":" + row.line() + ": " + row.property() + " has no description");
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems));
        assertTrue(documented.size() >= 60, "expected the table to list at least 60 properties but it lists "
                + documented.size());
    }

    @Test
    void theCheckReadsOnlyThePropertySectionExpandsNestedEntriesAndNormalizesDefaults() throws Exception {
        Map<String, String> expected = expectedProperties();
        assertEquals("dead-letter", expected.get("strongzero.consumer.retry.on-exhausted"));
        assertEquals("4mb", expected.get("strongzero.producer.max-batch-bytes"));
        assertEquals("true", expected.get("strongzero.sender.require-transaction"));
        assertEquals("", expected.get("strongzero.consumer.producers.<name>.endpoint"));
        assertEquals("", expected.get("strongzero.producer.security.allow[<i>].types"));
        assertEquals("true", expected.get("management.health.strongzero.enabled"));
        assertTrue(!expected.containsKey("strongzero.consumer.producers"), "a map of objects is checked by its entries");

        Map<String, Row> rows = parse(List.of(SECTION, "| Property | Default | Description |", "|---|---|---|",
                "| `strongzero.consumer.retry.on-exhausted` | `DEAD_LETTER` | after the last attempt |",
                "| `strongzero.producer.readers` | `5` | threads |",
                "| `strongzero.no-such-thing` | none | stale |",
                "## Next section",
                "| `strongzero.sender.enabled` | `true` | outside the section: not read |"));
        assertEquals(List.of("strongzero.consumer.retry.on-exhausted", "strongzero.producer.readers",
                "strongzero.no-such-thing"), new ArrayList<>(rows.keySet()));
        assertEquals(expected.get("strongzero.consumer.retry.on-exhausted"),
                normalize(rows.get("strongzero.consumer.retry.on-exhausted").defaultValue()), "enum spellings agree");
        assertTrue(!normalize(rows.get("strongzero.producer.readers").defaultValue())
                .equals(expected.get("strongzero.producer.readers")), "a wrong default differs");
        assertEquals("", normalize(" none "));
        assertEquals("10000", normalize(" `10,000` "));
        assertEquals("0.5", normalize("`0.5`"));
        assertEquals("consumer-names", kebab("consumerNames"));
    }

    /** Every property with its normalized default: the metadata's, nested entries expanded, the Actuator switch. */
    private static Map<String, String> expectedProperties() throws IOException, ReflectiveOperationException {
        assertTrue(Files.isRegularFile(METADATA), METADATA.toAbsolutePath() + " is missing: the configuration "
                + "processor did not run");
        JsonNode metadata = new ObjectMapper().readTree(METADATA.toFile());
        Map<String, String> out = new TreeMap<>();
        for (JsonNode p : metadata.path("properties")) {
            String name = p.path("name").asText();
            Matcher nested = NESTED.matcher(p.path("type").asText());
            if (nested.matches()) {
                String entry = p.path("type").asText().startsWith("java.util.Map") ? name + ".<" + keyName(name) + ">"
                        : name + "[<i>]";
                Class<?> type = Class.forName(nested.group(1));
                Object fresh = type.getDeclaredConstructor().newInstance();
                for (Field f : type.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    out.put(entry + "." + kebab(f.getName()), normalizeValue(f.get(fresh)));
                }
            } else {
                JsonNode d = p.get("defaultValue");
                out.put(name, d == null || d.isNull() ? "" : normalize(d.asText()));
            }
        }
        ConditionalOnEnabledHealthIndicator health = StrongZeroHealthAutoConfiguration.class
                .getAnnotation(ConditionalOnEnabledHealthIndicator.class);
        assertNotNull(health, "the health auto-configuration is switched by management.health.<name>.enabled");
        out.put("management.health." + health.value() + ".enabled", "true");
        return out;
    }

    /** The placeholder the doc writes for a map's key: {@code <name>} for producers, {@code <type>} for types. */
    private static String keyName(String property) {
        return property.endsWith("retry-by-type") ? "type" : "name";
    }

    private static Map<String, Row> documentedProperties() throws IOException {
        assertTrue(Files.isRegularFile(DOC), DOC.toAbsolutePath() + " is missing");
        Map<String, Row> rows = parse(Files.readAllLines(DOC));
        assertTrue(!rows.isEmpty(), DOC + " has no property table under '" + SECTION + "'");
        return rows;
    }

    /** The table rows between {@link #SECTION} and the next level-2 heading; a property listed twice fails. */
    static Map<String, Row> parse(List<String> lines) {
        Map<String, Row> rows = new LinkedHashMap<>();
        boolean in = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                in = line.strip().equals(SECTION);
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (!in || !m.matches()) {
                continue;
            }
            Row row = new Row(m.group(1), m.group(2), m.group(3).strip(), i + 1);
            Row before = rows.put(row.property(), row);
            assertTrue(before == null, "line " + (i + 1) + ": " + row.property() + " is listed twice (first on line "
                    + (before == null ? 0 : before.line()) + ")");
        }
        return rows;
    }

    /**
     * A default as text to compare: backticks and blanks removed, lower case, {@code _} as {@code -} (enum
     * constants), thousands separators out of numbers; {@code none}, {@code -} and nothing are the empty default.
     */
    static String normalize(String text) {
        String s = text.replace("`", "").strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (s.equals("none") || s.equals("-") || s.equals("—")) {
            return "";
        }
        if (s.matches("[0-9][0-9,]*(\\.[0-9]+)?")) {
            s = s.replace(",", "");
        }
        return s;
    }

    /** The default of a nested object's field, as {@link #normalize} writes it. */
    private static String normalizeValue(Object value) {
        if (value == null || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty()) {
            return "";
        }
        return normalize(value.toString());
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
