package io.strongzero.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.internal.MessageRules;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class HeadersTest {

    private static String refused(Executable e) {
        return assertThrows(StrongZeroConfigException.class, e).getMessage();
    }

    @Test
    void keepsTheOrderTheEntriesWereGivenIn() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("z", "1");
        given.put("a", "2");
        given.put("m", "3");
        Headers h = Headers.of(given).with("b", "4");
        assertEquals(List.of("z", "a", "m", "b"), List.copyOf(h.asMap().keySet()));
        assertEquals("2", h.get("a"));
        assertEquals(4, h.size());
        assertEquals("Headers[z, a, m, b]", h.toString(), "names only, never the values");
    }

    @Test
    void isImmutable() {
        Map<String, String> given = new HashMap<>(Map.of("a", "1"));
        Headers h = Headers.of(given);
        given.put("b", "2");
        assertEquals(1, h.size(), "a copy of the map, not a view");
        assertThrows(UnsupportedOperationException.class, () -> h.asMap().put("c", "3"));
        Headers more = h.with("b", "2");
        assertEquals(1, h.size(), "with(...) returns a new value");
        assertEquals(2, more.size());
    }

    @Test
    void noEntriesIsNone() {
        assertSame(Headers.NONE, Headers.of());
        assertSame(Headers.NONE, Headers.of(Map.of()));
        assertTrue(Headers.NONE.isEmpty());
        assertTrue(Headers.NONE.asMap().isEmpty());
    }

    @Test
    void equalityIncludesTheOrder() {
        assertEquals(Headers.of("a", "1", "b", "2"), Headers.of("a", "1").with("b", "2"));
        assertNotEquals(Headers.of("a", "1", "b", "2"), Headers.of("b", "2", "a", "1"));
        assertNotEquals(Headers.of("a", "1"), Headers.of("a", "2"));
    }

    @Test
    void refusesMoreThan32Entries() {
        Headers h = Headers.NONE;
        for (int i = 0; i < Headers.MAX_ENTRIES; i++) {
            h = h.with("n" + i, "v");
        }
        Headers full = h;
        assertEquals(32, full.size());
        assertEquals("headers must have at most 32 entries but had 33", refused(() -> full.with("n32", "v")));
    }

    @Test
    void refusesANameOutside1To128CharactersNamingItCut() {
        assertEquals("header name must be 1 to 128 characters but was 0 characters: ''", refused(() -> Headers.of("", "v")));
        assertEquals("header name must be 1 to 128 characters but was null", refused(() -> Headers.of(null, "v")));
        Headers.of("n".repeat(128), "v");
        String message = refused(() -> Headers.of("n".repeat(129), "v"));
        assertEquals("header name must be 1 to 128 characters but was 129 characters: '" + "n".repeat(40) + "...'", message);
    }

    @Test
    void refusesANameWithAControlCharacter() {
        assertEquals("header name must not contain ISO control characters but 'trace\\u000aid' has one at index 5",
                refused(() -> Headers.of("trace\nid", "v")));
        assertTrue(refused(() -> Headers.of("a\u0085", "v")).contains("index 1"), "C1 controls count too");
    }

    @Test
    void refusesARepeatedName() {
        assertEquals("header names must be unique but 'a' is given twice", refused(() -> Headers.of("a", "1", "a", "2")));
        assertEquals("header names must be unique but 'a' is given twice", refused(() -> Headers.of("a", "1").with("a", "1")));
        assertEquals(2, Headers.of("a", "1", "A", "2").size(), "names are case-sensitive");
    }

    @Test
    void refusesANullValueButAcceptsAnEmptyOne() {
        assertEquals("header 'a' must have a value but was null", refused(() -> Headers.of("a", null)));
        Map<String, String> withNull = new HashMap<>();
        withNull.put("b", null);
        assertEquals("header 'b' must have a value but was null", refused(() -> Headers.of(withNull)));
        assertEquals("", Headers.of("a", "").get("a"));
    }

    @Test
    void refusesMoreThan8192Utf8BytesOfNamesAndValues() {
        Headers exactly = Headers.of("ab", "x".repeat(8_190));
        assertEquals(8_192, exactly.utf8Bytes());
        assertEquals("headers' names and values must be at most 8192 bytes in UTF-8 but were 8193 bytes (names [ab])",
                refused(() -> Headers.of("ab", "x".repeat(8_191))));
        // counted in UTF-8 bytes, not characters: 2 + 2 * 4,096 bytes in 4,097 characters
        assertTrue(refused(() -> Headers.of("ab", "\u00e9".repeat(4_096))).contains("8194 bytes"));
    }

    @Test
    void keyRuleAcceptsNullAnd1To255PrintableCharacters() {
        assertEquals(null, MessageRules.checkKey(null));
        assertEquals("order-1", MessageRules.checkKey("order-1"));
        assertEquals(" padded ", MessageRules.checkKey(" padded "), "not blank: kept as given, not stripped");
        assertEquals("k".repeat(255), MessageRules.checkKey("k".repeat(255)));
    }

    @Test
    void keyRuleRefusesEmptyTooLongBlankAndControlCharactersNamingTheKey() {
        assertEquals("key must be 1 to 255 characters but was 0 characters: ''", refused(() -> MessageRules.checkKey("")));
        assertEquals("key must be 1 to 255 characters but was 256 characters: '" + "k".repeat(40) + "...'",
                refused(() -> MessageRules.checkKey("k".repeat(256))));
        assertEquals("key must not be blank but was '   '", refused(() -> MessageRules.checkKey("   ")));
        assertEquals("key must not contain ISO control characters but 'a\\u0000b' has one at index 1",
                refused(() -> MessageRules.checkKey("a\u0000b")));
        assertFalse(refused(() -> MessageRules.checkKey("x\t")).isEmpty());
    }
}
