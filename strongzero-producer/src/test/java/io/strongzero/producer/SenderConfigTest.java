package io.strongzero.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderConfigTest {

    @Test
    void everyOptionIsOptionalAndValidatedWhenSet() {
        SenderConfig c = SenderConfig.builder().build();
        assertNull(c.tablePrefix());
        assertNull(c.nodeId());
        assertNull(c.pokeEndpoint());
        assertEquals("nodeId must be between 0 and " + FlakeId.MAX_NODE + " but was -1",
                assertThrows(StrongZeroConfigException.class, () -> SenderConfig.builder().nodeId(-1)).getMessage());
        assertThrows(StrongZeroConfigException.class, () -> SenderConfig.builder().tablePrefix("_sz"));
        assertThrows(StrongZeroConfigException.class, () -> SenderConfig.builder().pokeEndpoint("ws://host"));
    }

    @Test
    void toBuilderCopiesEveryValue() {
        SenderConfig c = SenderConfig.builder().tablePrefix("app_").nodeId(42).pokeEndpoint("tcp://127.0.0.1:7301").build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.hashCode(), c.toBuilder().build().hashCode());
        assertNotEquals(c, c.toBuilder().nodeId(43).build());
        assertNotEquals(c, c.toBuilder().pokeEndpoints("tcp://127.0.0.1:7301", "tcp://127.0.0.1:7302").build());
        assertNotEquals(c, c.toBuilder().requireTransaction(false).build());
        assertEquals(false, c.toBuilder().requireTransaction(false).build().toBuilder().build().requireTransaction());
        assertEquals("SenderConfig[tablePrefix=app_, nodeId=42, pokeEndpoints=[tcp://127.0.0.1:7301], "
                + "requireTransaction=true]", c.toString());
        SenderConfig two = c.toBuilder().pokeEndpoints("tcp://127.0.0.1:7301", "ipc:///tmp/b.poke").build();
        assertEquals(two, two.toBuilder().build());
        assertEquals("SenderConfig[tablePrefix=app_, nodeId=42, pokeEndpoints=[tcp://127.0.0.1:7301, ipc:///tmp/b.poke], "
                + "requireTransaction=true]", two.toString());
    }

    @Test
    void pokeEndpointIsOnePokeEndpointAndPokeEndpointsReplaceIt() {
        assertEquals(List.of(), SenderConfig.builder().build().pokeEndpoints());
        SenderConfig one = SenderConfig.builder().pokeEndpoint("tcp://127.0.0.1:7301").build();
        assertEquals(List.of("tcp://127.0.0.1:7301"), one.pokeEndpoints());
        assertEquals("tcp://127.0.0.1:7301", one.pokeEndpoint());
        assertEquals(one, SenderConfig.builder().pokeEndpoints("tcp://127.0.0.1:7301").build());
        SenderConfig two = SenderConfig.builder().pokeEndpoint("tcp://127.0.0.1:7300")
                .pokeEndpoints(List.of("tcp://127.0.0.1:7301", "tcp://127.0.0.1:7302")).build();
        assertEquals(List.of("tcp://127.0.0.1:7301", "tcp://127.0.0.1:7302"), two.pokeEndpoints());
        assertEquals("tcp://127.0.0.1:7301", two.pokeEndpoint(), "the first of them");
        assertEquals(List.of(), two.toBuilder().pokeEndpoints().build().pokeEndpoints(), "none: no pokes");
        assertThrows(UnsupportedOperationException.class, () -> two.pokeEndpoints().add("tcp://127.0.0.1:7303"));
    }

    @Test
    void pokeEndpointsRefuseABadOrRepeatedEndpointNamingIt() {
        assertEquals("pokeEndpoints[1] must start with tcp://, ipc:// or inproc:// but was 'ws://host'",
                assertThrows(StrongZeroConfigException.class,
                        () -> SenderConfig.builder().pokeEndpoints("tcp://127.0.0.1:7301", "ws://host")).getMessage());
        assertEquals("pokeEndpoints[0] must start with tcp://, ipc:// or inproc:// but was 'null'",
                assertThrows(StrongZeroConfigException.class,
                        () -> SenderConfig.builder().pokeEndpoints((String) null)).getMessage());
        assertEquals("pokeEndpoints must not be null", assertThrows(StrongZeroConfigException.class,
                () -> SenderConfig.builder().pokeEndpoints((String[]) null)).getMessage());
        assertEquals("pokeEndpoints must not be null", assertThrows(StrongZeroConfigException.class,
                () -> SenderConfig.builder().pokeEndpoints((List<String>) null)).getMessage());
        assertEquals("pokeEndpoints must not repeat an endpoint but 'tcp://127.0.0.1:7301' is given twice: each endpoint"
                        + " is poked once, through a socket of its own",
                assertThrows(StrongZeroConfigException.class, () -> SenderConfig.builder()
                        .pokeEndpoints("tcp://127.0.0.1:7301", "ipc:///tmp/a", "tcp://127.0.0.1:7301")).getMessage());
        assertThrows(StrongZeroConfigException.class,
                () -> StrongZeroSender.builder().pokeEndpoints("tcp://127.0.0.1:7301", "tcp://127.0.0.1:7301"));
    }

    @Test
    void aRunningSenderReportsThePrefixAndNodeItUses() {
        try (StrongZeroSender s = StrongZeroSender.builder().config(SenderConfig.builder().nodeId(7).build()).build()) {
            assertEquals("sz_", s.config().tablePrefix());
            assertEquals(7L, s.config().nodeId());
        }
    }
}
