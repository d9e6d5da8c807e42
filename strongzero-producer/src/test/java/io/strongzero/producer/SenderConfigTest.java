package io.strongzero.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroConfigException;
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
        assertEquals("SenderConfig[tablePrefix=app_, nodeId=42, pokeEndpoint=tcp://127.0.0.1:7301]", c.toString());
    }

    @Test
    void aRunningSenderReportsThePrefixAndNodeItUses() {
        try (StrongZeroSender s = StrongZeroSender.builder().config(SenderConfig.builder().nodeId(7).build()).build()) {
            assertEquals("sz_", s.config().tablePrefix());
            assertEquals(7L, s.config().nodeId());
        }
    }
}
