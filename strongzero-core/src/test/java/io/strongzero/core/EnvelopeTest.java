package io.strongzero.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static final FlakeId ID = FlakeId.of(1_000, 2, 3);

    @Test
    void envelopesWithEqualPayloadContentAreEqualAndHashAlike() {
        Envelope a = new Envelope(1, ID, "t", "json", new byte[] {1, 2}, 9);
        Envelope b = new Envelope(1, FlakeId.parse(ID.toString()), "t", "json", new byte[] {1, 2}, 9);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void envelopesDifferingInAnyComponentAreNotEqual() {
        Envelope a = new Envelope(1, ID, "t", "json", new byte[] {1, 2}, 9);
        assertNotEquals(a, new Envelope(2, ID, "t", "json", new byte[] {1, 2}, 9));
        assertNotEquals(a, new Envelope(1, FlakeId.of(1_000, 2, 4), "t", "json", new byte[] {1, 2}, 9));
        assertNotEquals(a, new Envelope(1, ID, "u", "json", new byte[] {1, 2}, 9));
        assertNotEquals(a, new Envelope(1, ID, "t", "msgpack", new byte[] {1, 2}, 9));
        assertNotEquals(a, new Envelope(1, ID, "t", "json", new byte[] {1, 3}, 9));
        assertNotEquals(a, new Envelope(1, ID, "t", "json", new byte[] {1, 2}, 10));
        assertNotEquals(a, null);
    }

    @Test
    void toStringShowsThePayloadSizeButNotItsBytes() {
        Envelope e = new Envelope(7, ID, "order.created", "json", "{\"secret\":1}".getBytes(StandardCharsets.UTF_8), 9);
        String text = e.toString();
        assertTrue(text.contains("payload=12 bytes"), text);
        assertTrue(text.contains(ID.toString()), text);
        assertFalse(text.contains("secret"), text);
    }

    @Test
    void requiredComponentsRejectNull() {
        assertEquals("id", assertThrows(NullPointerException.class,
                () -> new Envelope(1, null, "t", "json", new byte[0], 0)).getMessage());
        assertEquals("type", assertThrows(NullPointerException.class,
                () -> new Envelope(1, ID, null, "json", new byte[0], 0)).getMessage());
        assertEquals("contentType", assertThrows(NullPointerException.class,
                () -> new Envelope(1, ID, "t", null, new byte[0], 0)).getMessage());
        assertEquals("payload", assertThrows(NullPointerException.class,
                () -> new Envelope(1, ID, "t", "json", null, 0)).getMessage());
    }

    @Test
    void wireSizeGrowsWithTypeContentTypeAndPayload() {
        Envelope small = new Envelope(1, ID, "t", "json", new byte[10], 0);
        Envelope large = new Envelope(1, ID, "tt", "json", new byte[110], 0);
        assertEquals(100 + 1, large.wireSize() - small.wireSize());
        assertTrue(small.wireSize() > 10 + 1 + 4);
    }

    @Test
    void keyAndHeadersArePartOfTheValueAndOfTheWireSize() {
        Envelope plain = new Envelope(1, ID, "t", "json", new byte[10], 0);
        assertEquals(null, plain.key());
        assertEquals(Headers.NONE, plain.headers());
        assertFalse(plain.hasKeyOrHeaders());
        Envelope keyed = new Envelope(1, ID, "t", "json", new byte[10], 0, "k\u00e9", Headers.NONE);
        Envelope withHeaders = new Envelope(1, ID, "t", "json", new byte[10], 0, null, Headers.of("ab", "cde"));
        assertTrue(keyed.hasKeyOrHeaders() && withHeaders.hasKeyOrHeaders());
        assertNotEquals(plain, keyed);
        assertNotEquals(plain, withHeaders);
        assertEquals(keyed, new Envelope(1, ID, "t", "json", new byte[10], 0, "k\u00e9", Headers.NONE));
        assertEquals(3, keyed.wireSize() - plain.wireSize(), "the key's UTF-8 bytes");
        assertEquals(4 + 5, withHeaders.wireSize() - plain.wireSize(), "two length fields, name and value");
        assertEquals(7, keyed.atPosition(7).position());
        assertEquals("k\u00e9", keyed.atPosition(7).key());
        assertFalse(keyed.toString().contains("k\u00e9"), "toString never shows the key: " + keyed);
        assertFalse(withHeaders.toString().contains("cde"), "nor header values: " + withHeaders);
    }
}
