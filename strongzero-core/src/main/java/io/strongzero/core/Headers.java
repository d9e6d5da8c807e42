package io.strongzero.core;

import io.strongzero.core.internal.MessageRules;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The headers of a message: string name/value pairs that travel with it from the sender to the consumer's
 * handler (and into its dead letters), for metadata that is not part of the payload, such as a trace id or
 * a tenant. StrongZero does not interpret them.
 *
 * <p>Rules, checked when a {@code Headers} is made ({@link StrongZeroConfigException} naming the value and the
 * rule otherwise): at most {@value #MAX_ENTRIES} entries; names 1 to {@value #MAX_NAME_LENGTH} characters
 * without ISO control characters and unique (case-sensitive); values not null (may be empty); the names and
 * values together at most {@value #MAX_BYTES} bytes in UTF-8. Entries keep the order they were given in.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the names only, never the values.
 */
public final class Headers {

    /** The most entries a message's headers may have. */
    public static final int MAX_ENTRIES = 32;
    /** The longest header name, in characters. */
    public static final int MAX_NAME_LENGTH = 128;
    /** The most bytes (UTF-8) that the names and values of a message's headers may take together. */
    public static final int MAX_BYTES = 8_192;

    /** No headers. */
    public static final Headers NONE = new Headers(Map.of(), 0);

    private final Map<String, String> entries;
    private final int bytes;

    private Headers(Map<String, String> entries, int bytes) {
        this.entries = entries;
        this.bytes = bytes;
    }

    /** No headers ({@link #NONE}). */
    public static Headers of() {
        return NONE;
    }

    /** One header. */
    public static Headers of(String name, String value) {
        return build(new String[] {name, value});
    }

    /** Two headers, in this order. */
    public static Headers of(String name1, String value1, String name2, String value2) {
        return build(new String[] {name1, value1, name2, value2});
    }

    /**
     * The headers of a map, in its iteration order (use a {@link LinkedHashMap} to choose the order).
     *
     * @throws StrongZeroConfigException if an entry breaks a rule (see the class description)
     */
    public static Headers of(Map<String, String> headers) {
        Objects.requireNonNull(headers, "headers");
        String[] pairs = new String[headers.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        return build(pairs);
    }

    /**
     * These headers with one more entry at the end.
     *
     * @throws StrongZeroConfigException if the entry breaks a rule (a repeated name, too many entries, ...)
     */
    public Headers with(String name, String value) {
        String[] pairs = new String[entries.size() * 2 + 2];
        int i = 0;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        pairs[i++] = name;
        pairs[i] = value;
        return build(pairs);
    }

    private static Headers build(String[] pairs) {
        int count = pairs.length / 2;
        if (count == 0) {
            return NONE;
        }
        if (count > MAX_ENTRIES) {
            throw new StrongZeroConfigException("headers must have at most " + MAX_ENTRIES + " entries but had " + count);
        }
        Map<String, String> map = new LinkedHashMap<>(count * 2);
        long bytes = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            String name = pairs[i];
            String value = pairs[i + 1];
            MessageRules.checkHeaderName(name);
            if (value == null) {
                throw new StrongZeroConfigException("header '" + MessageRules.shown(name) + "' must have a value but was null");
            }
            if (map.putIfAbsent(name, value) != null) {
                throw MessageRules.duplicateHeaderName(name);
            }
            bytes += name.getBytes(StandardCharsets.UTF_8).length + (long) value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_BYTES) {
            throw new StrongZeroConfigException("headers' names and values must be at most " + MAX_BYTES
                    + " bytes in UTF-8 but were " + bytes + " bytes (names " + map.keySet().stream()
                    .map(MessageRules::shown).toList() + ")");
        }
        return new Headers(Collections.unmodifiableMap(map), (int) bytes);
    }

    /** The entries: unmodifiable, in the order given, empty if there are none. */
    public Map<String, String> asMap() {
        return entries;
    }

    /** The value of header {@code name}, or null if there is none. */
    public String get(String name) {
        return entries.get(name);
    }

    /** True if there are no headers. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The number of entries. */
    public int size() {
        return entries.size();
    }

    /** The bytes (UTF-8) the names and values take together. */
    public int utf8Bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        // the order is part of the value: two Headers with the same entries in another order differ
        return o instanceof Headers h && h.entries.equals(entries)
                && java.util.List.copyOf(h.entries.keySet()).equals(java.util.List.copyOf(entries.keySet()));
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** The names, never the values (they may hold personal data or secrets). */
    @Override
    public String toString() {
        return "Headers" + entries.keySet();
    }
}
