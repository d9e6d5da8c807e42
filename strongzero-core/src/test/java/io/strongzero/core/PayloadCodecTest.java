package io.strongzero.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.jackson.dataformat.MessagePackFactory;

class PayloadCodecTest {

    /** A payload as a record. */
    record OrderPlaced(String orderId, long amountCents, List<String> items, Map<String, Integer> counts) {
    }

    /** A newer version of {@link OrderPlaced} with a field older consumers do not know. */
    record OrderPlacedV2(String orderId, long amountCents, List<String> items, Map<String, Integer> counts,
                         String currency) {
    }

    /** A recursive payload type. */
    record Node(String value, Node next) {
    }

    /** A payload as a mutable POJO with a no-argument constructor. */
    static final class Customer {
        private String name;
        private int visits;
        private byte[] avatar;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getVisits() {
            return visits;
        }

        public void setVisits(int visits) {
            this.visits = visits;
        }

        public byte[] getAvatar() {
            return avatar;
        }

        public void setAvatar(byte[] avatar) {
            this.avatar = avatar;
        }
    }

    /** A bean whose getter fails, so Jackson cannot serialize it. */
    static final class Exploding {
        public String getValue() {
            throw new IllegalStateException("boom");
        }
    }

    /** A class with no properties: Jackson refuses it (FAIL_ON_EMPTY_BEANS). */
    static final class NoProperties {
    }

    static Stream<PayloadCodec> codecs() {
        return Stream.of(PayloadCodec.msgpack(), PayloadCodec.json());
    }

    @Test
    void prepareNeverThrowsAndDecodingWorksAfterIt() {
        for (PayloadCodec codec : List.of(PayloadCodec.msgpack(), PayloadCodec.json())) {
            codec.prepare(OrderPlaced.class);
            codec.prepare(Runnable.class);   // no deserializer for it: shows at its first message, not here
            OrderPlaced order = new OrderPlaced("o-1", 1, List.of(), Map.of());
            assertEquals(order, codec.decode(codec.encode(order), OrderPlaced.class));
        }
    }

    @Test
    void defaultCodecsReportTheirContentTypes() {
        assertEquals("msgpack", PayloadCodec.msgpack().contentType());
        assertEquals("json", PayloadCodec.json().contentType());
        assertEquals(PayloadCodec.MSGPACK, PayloadCodec.msgpack(new ObjectMapper(new MessagePackFactory())).contentType());
        assertEquals(PayloadCodec.JSON, PayloadCodec.json(new ObjectMapper()).contentType());
        assertEquals("PayloadCodec[msgpack]", PayloadCodec.msgpack().toString());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void recordRoundTrips(PayloadCodec codec) {
        OrderPlaced order = new OrderPlaced("o-1", 12_345L, List.of("apple", "b\u00e4r", "\u65e5\u672c"),
                Map.of("apple", 2, "pear", 0));
        byte[] bytes = codec.encode(order);
        assertEquals(order, codec.decode(bytes, OrderPlaced.class));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void pojoRoundTrips(PayloadCodec codec) {
        Customer c = new Customer();
        c.setName("Ada");
        c.setVisits(Integer.MAX_VALUE);
        c.setAvatar(new byte[] {0, 1, (byte) 0xFF});
        Customer decoded = codec.decode(codec.encode(c), Customer.class);
        assertEquals("Ada", decoded.getName());
        assertEquals(Integer.MAX_VALUE, decoded.getVisits());
        assertEquals(3, decoded.getAvatar().length);
        assertEquals((byte) 0xFF, decoded.getAvatar()[2]);
    }

    @Test
    void msgpackAndJsonProduceTheirOwnFormat() {
        OrderPlaced order = new OrderPlaced("o-1", 1, List.of(), Map.of());
        String json = new String(PayloadCodec.json().encode(order), StandardCharsets.UTF_8);
        assertEquals("{\"orderId\":\"o-1\",\"amountCents\":1,\"items\":[],\"counts\":{}}", json);
        byte[] msgpack = PayloadCodec.msgpack().encode(order);
        // A MessagePack fixmap of 4 entries starts with 0x84.
        assertEquals((byte) 0x84, msgpack[0]);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void decodeIgnoresUnknownProperties(PayloadCodec codec) {
        OrderPlacedV2 newer = new OrderPlacedV2("o-2", 99, List.of("x"), Map.of("x", 1), "EUR");
        OrderPlaced older = codec.decode(codec.encode(newer), OrderPlaced.class);
        assertEquals(new OrderPlaced("o-2", 99, List.of("x"), Map.of("x", 1)), older);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void decodeLeavesMissingPropertiesAtTheirDefaults(PayloadCodec codec) {
        OrderPlacedV2 decoded = codec.decode(codec.encode(new OrderPlaced("o-3", 5, List.of(), Map.of())),
                OrderPlacedV2.class);
        assertEquals("o-3", decoded.orderId());
        assertEquals(null, decoded.currency());
    }

    @Test
    void decodeOfGarbageThrowsASerializationExceptionNamingTheTargetClass() {
        byte[][] garbage = {
            {(byte) 0xC1},                                     // a MessagePack byte that is never used
            "not json {{".getBytes(StandardCharsets.UTF_8),
            {},
            {(byte) 0x84, 0x01},                               // a 4-entry map with an integer key, then nothing
        };
        for (PayloadCodec codec : codecs().toList()) {
            for (byte[] bytes : garbage) {
                StrongZeroSerializationException e = assertThrows(StrongZeroSerializationException.class,
                        () -> codec.decode(bytes, OrderPlaced.class), codec + " " + bytes.length + " bytes");
                assertTrue(e.getMessage().contains(OrderPlaced.class.getName()), e.getMessage());
                assertTrue(e.getMessage().contains(codec.contentType()), e.getMessage());
                assertTrue(e.getMessage().contains(bytes.length + " bytes"), e.getMessage());
                assertNotNull(e.getCause());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void decodeOfTheWrongShapeThrowsASerializationException(PayloadCodec codec) {
        byte[] list = codec.encode(List.of(1, 2, 3));
        StrongZeroSerializationException e = assertThrows(StrongZeroSerializationException.class,
                () -> codec.decode(list, Customer.class));
        assertTrue(e.getMessage().contains(Customer.class.getName()), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void encodeOfAnUnserializableObjectThrowsASerializationExceptionNamingTheClass(PayloadCodec codec) {
        StrongZeroSerializationException failing = assertThrows(StrongZeroSerializationException.class,
                () -> codec.encode(new Exploding()));
        assertTrue(failing.getMessage().contains(Exploding.class.getName()), failing.getMessage());
        assertTrue(failing.getMessage().contains(codec.contentType()), failing.getMessage());
        assertNotNull(failing.getCause());

        StrongZeroSerializationException empty = assertThrows(StrongZeroSerializationException.class,
                () -> codec.encode(new NoProperties()));
        assertTrue(empty.getMessage().contains(NoProperties.class.getName()), empty.getMessage());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void encodeOfACyclicStructureThrowsASerializationException(PayloadCodec codec) {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        StrongZeroSerializationException e = assertThrows(StrongZeroSerializationException.class,
                () -> codec.encode(cycle));
        assertTrue(e.getMessage().contains("java.util.ArrayList"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void encodeOfAVeryDeepStructureThrowsASerializationException(PayloadCodec codec) {
        List<Object> deep = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            deep = new ArrayList<>(List.of(deep));
        }
        List<Object> payload = deep;
        assertThrows(StrongZeroSerializationException.class, () -> codec.encode(payload));
    }

    @Test
    void msgpackDecodeOfAVeryDeepPayloadIntoARecursiveTypeThrowsASerializationException() {
        // {"next": {"next": ... null}} nested 100,000 times, as MessagePack: fixmap(1), fixstr(4) "next".
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            out.write(0x81);
            out.write(0xA4);
            out.writeBytes("next".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0xC0);
        byte[] bytes = out.toByteArray();
        StrongZeroSerializationException e = assertThrows(StrongZeroSerializationException.class,
                () -> PayloadCodec.msgpack().decode(bytes, Node.class));
        assertTrue(e.getMessage().contains(Node.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("nests too deeply"), e.getMessage());
    }

    @Test
    void jsonDecodeOfAVeryDeepPayloadThrowsASerializationException() {
        byte[] bytes = "{\"next\":".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        StrongZeroSerializationException e = assertThrows(StrongZeroSerializationException.class,
                () -> PayloadCodec.json().decode(bytes, Node.class));
        assertTrue(e.getMessage().contains(Node.class.getName()), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void decodeOfNullBytesNamesTheArgument(PayloadCodec codec) {
        NullPointerException e = assertThrows(NullPointerException.class, () -> codec.decode(null, Node.class));
        assertEquals("bytes", e.getMessage());
    }

    @Test
    void msgpackRefusesAJsonMapper() {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                () -> PayloadCodec.msgpack(JsonMapper.builder().build()));
        assertTrue(e.getMessage().contains("MessagePackFactory"), e.getMessage());
        assertTrue(e.getMessage().contains("json(mapper)"), e.getMessage());
        assertThrows(StrongZeroConfigException.class, () -> PayloadCodec.msgpack(new ObjectMapper()));
    }

    @Test
    void jsonRefusesAMsgpackMapper() {
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                () -> PayloadCodec.json(new ObjectMapper(new MessagePackFactory())));
        assertTrue(e.getMessage().contains("msgpack(mapper)"), e.getMessage());
    }

    @Test
    void aCallersMapperIsUsedAsGiven() {
        ObjectMapper strict = JsonMapper.builder().build();
        PayloadCodec codec = PayloadCodec.json(strict);
        byte[] newer = codec.encode(new OrderPlacedV2("o-4", 1, List.of(), Map.of(), "EUR"));
        // The caller's mapper fails on unknown properties (Jackson's default); the codec does not change that.
        assertThrows(StrongZeroSerializationException.class, () -> codec.decode(newer, OrderPlaced.class));
        Map<?, ?> map = codec.decode(newer, Map.class);
        assertEquals("EUR", map.get("currency"));
    }
}
