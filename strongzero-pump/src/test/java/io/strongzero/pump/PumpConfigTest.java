package io.strongzero.pump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Dialect;
import io.strongzero.core.StrongZeroConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PumpConfigTest {

    @Test
    void holdsTheDefaultsAndRequiresAName() {
        PumpConfig c = PumpConfig.builder().name("users").build();
        assertEquals("users", c.name());
        assertNull(c.dialect());
        assertEquals("sz_", c.tablePrefix());
        assertEquals(Duration.ofMillis(200), c.pollInterval());
        assertEquals(1000, c.batchSize());
        assertEquals(100_000, c.vacuumEvery());
        assertEquals(false, c.createSchemaIfMissing());
        assertNull(c.pokeEndpoint());
        assertTrue(c.headNotifications());
        assertNull(c.owner());
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, () -> PumpConfig.builder().build());
        assertEquals("name is required: the journal's (producer's) name", e.getMessage());
    }

    @Test
    void settersRefuseBadValuesNamingTheOptionTheRuleAndTheValue() {
        assertEquals("vacuumEvery must be between 0 and 1000000000 but was -1",
                assertThrows(StrongZeroConfigException.class, () -> PumpConfig.builder().vacuumEvery(-1)).getMessage());
        assertEquals("batchSize must be between 1 and 10000 but was 0",
                assertThrows(StrongZeroConfigException.class, () -> PumpConfig.builder().batchSize(0)).getMessage());
        assertEquals("pollInterval must be between 1 ms and 60 s but was PT0S",
                assertThrows(StrongZeroConfigException.class, () -> PumpConfig.builder().pollInterval(Duration.ZERO))
                        .getMessage());
        assertEquals("owner must be 1 to 200 characters but was ' '",
                assertThrows(StrongZeroConfigException.class, () -> PumpConfig.builder().owner(" ")).getMessage());
        assertTrue(assertThrows(StrongZeroConfigException.class, () -> PumpConfig.builder().pokeEndpoint("x"))
                .getMessage().startsWith("pokeEndpoint must start with tcp://"));
    }

    @Test
    void headNotificationsAreOnByDefaultAndCanBeTurnedOff() {
        assertTrue(PumpConfig.builder().name("users").build().headNotifications());
        assertEquals(false, PumpConfig.builder().name("users").headNotifications(false).build().headNotifications());
        assertTrue(PumpConfig.builder().name("users").headNotifications(false).headNotifications(true).build()
                .headNotifications());
    }

    @Test
    void toBuilderCopiesEveryValueAndEqualityFollowsTheValues() {
        PumpConfig c = PumpConfig.builder().name("users").dialect(Dialect.H2).tablePrefix("app_")
                .pollInterval(Duration.ofMillis(50)).batchSize(10).vacuumEvery(5_000).createSchemaIfMissing(true)
                .pokeEndpoint("tcp://127.0.0.1:7301").headNotifications(false).owner("node-1").build();
        PumpConfig copy = c.toBuilder().build();
        assertEquals(c, copy);
        assertEquals(c.hashCode(), copy.hashCode());
        assertEquals(c.toString(), copy.toString());
        assertNotEquals(c, c.toBuilder().batchSize(11).build());
        assertNotEquals(c, c.toBuilder().vacuumEvery(0).build());
        assertNotEquals(c, c.toBuilder().headNotifications(true).build());
        assertNotEquals(c.hashCode(), c.toBuilder().headNotifications(true).build().hashCode());
        assertEquals("PumpConfig[name=users, dialect=h2, tablePrefix=app_, pollInterval=PT0.05S, batchSize=10, "
                + "vacuumEvery=5000, createSchemaIfMissing=true, pokeEndpoint=tcp://127.0.0.1:7301, headNotifications=false, "
                + "owner=node-1]", c.toString());
    }
}
