package io.strongzero.tck.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Schema;
import io.strongzero.pump.JournalAdmin.ConsumerState;
import io.strongzero.pump.internal.ConsumerRegistryStore.Row;
import io.strongzero.pump.internal.ConsumerRegistryStore;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The statements of {@link ConsumerRegistryStore} on a real database with the shipped DDL: the consumer rows and
 * the state transitions of registration, removal and recorded pulls.
 *
 * <p>Subclass once per database, with {@link #database()} returning it (see {@code docs/testing.md}).
 * JUnit makes an instance per test method; its tests run one at a time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ConsumerRegistryStoreContract extends StoreContract<ConsumerRegistryStore> {


    protected ConsumerRegistryStoreContract() {
        super(Schema.Side.PRODUCER, "registrystore", true, ConsumerRegistryStore::new);
    }


    private Row row(String name) throws SQLException {
        return store.all(c).stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /** Records a pull by {@code name} (its result is not asserted) and returns the row it left. */
    private Row pulled(String name, long floor, long ceiling, long now, boolean vouched) throws SQLException {
        store.recordPull(c, name, floor, ceiling, now, vouched);
        return row(name);
    }

    @Test
    void insertCreatesARowAndReportsADuplicateNameAsFalse() throws SQLException {
        assertTrue(store.insert(c, "billing", 5, 100, ConsumerState.ACTIVE));
        assertFalse(store.insert(c, "billing", 9, 200, ConsumerState.UNREGISTERED), "the name exists: not inserted");
        assertEquals(List.of(new Row("billing", 5, 100, ConsumerState.ACTIVE)), store.all(c), "the first row stands");
        assertEquals("sz_consumer", store.table());
    }

    @Test
    void allListsEveryConsumerByNameAndStatesMapsEveryName() throws SQLException {
        store.insert(c, "members", 3, 30, ConsumerState.ACTIVE);
        store.insert(c, "audit", 1, 0, ConsumerState.REGISTERED);
        store.insert(c, "ghost", 0, 10, ConsumerState.UNREGISTERED);
        store.insert(c, "old", 2, 20, ConsumerState.GONE);
        assertEquals(List.of(new Row("audit", 1, 0, ConsumerState.REGISTERED), new Row("ghost", 0, 10, ConsumerState.UNREGISTERED),
                new Row("members", 3, 30, ConsumerState.ACTIVE), new Row("old", 2, 20, ConsumerState.GONE)), store.all(c));
        assertEquals(Map.of("members", ConsumerState.ACTIVE, "audit", ConsumerState.REGISTERED, "ghost",
                ConsumerState.UNREGISTERED, "old", ConsumerState.GONE), store.states(c));
    }

    @Test
    void registerCreatesAnUnknownConsumerRevivesAGoneOneLowersAnUnregisteredOneAndLeavesAnActiveOneAlone()
            throws SQLException {
        store.register(c, "new", 5);
        assertEquals(new Row("new", 5, 0, ConsumerState.REGISTERED), row("new"));

        store.insert(c, "gone", 3, 100, ConsumerState.GONE);
        store.register(c, "gone", 7);
        assertEquals(new Row("gone", 7, 100, ConsumerState.REGISTERED), row("gone"), "counts again, from the given position");

        store.insert(c, "ghost-low", 4, 100, ConsumerState.UNREGISTERED);
        store.register(c, "ghost-low", 9);
        assertEquals(new Row("ghost-low", 4, 100, ConsumerState.REGISTERED), row("ghost-low"),
                "its recorded position is lower: it stays");
        store.insert(c, "ghost-high", 12, 100, ConsumerState.UNREGISTERED);
        store.register(c, "ghost-high", 9);
        assertEquals(new Row("ghost-high", 9, 100, ConsumerState.REGISTERED), row("ghost-high"),
                "a name someone else pulled under cannot push the start forward");

        store.insert(c, "active", 20, 100, ConsumerState.ACTIVE);
        store.register(c, "active", 0);
        assertEquals(new Row("active", 20, 100, ConsumerState.ACTIVE), row("active"));
        store.register(c, "new", 1);
        assertEquals(new Row("new", 5, 0, ConsumerState.REGISTERED), row("new"), "registering twice changes nothing");
    }

    @Test
    void recordPullMovesThePositionIntoTheBoundsAndDecidesTheState() throws SQLException {
        store.insert(c, "registered", 5, 0, ConsumerState.REGISTERED);
        assertTrue(store.recordPull(c, "registered", 7, 9, 1000, false));
        assertEquals(new Row("registered", 7, 1000, ConsumerState.ACTIVE), row("registered"), "below the floor: the floor");

        store.insert(c, "active", 10, 0, ConsumerState.ACTIVE);
        assertEquals(new Row("active", 10, 1001, ConsumerState.ACTIVE), pulled("active", 3, 12, 1001, false),
                "inside the bounds: kept");
        assertEquals(new Row("active", 4, 1002, ConsumerState.ACTIVE), pulled("active", 2, 4, 1002, false),
                "above the ceiling: the ceiling");

        store.insert(c, "gone", 1, 0, ConsumerState.GONE);
        assertEquals(new Row("gone", 8, 1003, ConsumerState.GONE), pulled("gone", 8, 8, 1003, true),
                "GONE stays GONE, even vouched for");

        store.insert(c, "ghost", 1, 0, ConsumerState.UNREGISTERED);
        assertEquals(new Row("ghost", 6, 1004, ConsumerState.UNREGISTERED), pulled("ghost", 6, 6, 1004, false),
                "nobody vouched: stays UNREGISTERED");
        assertEquals(new Row("ghost", 7, 1005, ConsumerState.ACTIVE), pulled("ghost", 7, 7, 1005, true),
                "a key bound to the name makes it ACTIVE");

        assertFalse(store.recordPull(c, "unknown", 1, 1, 1006, true), "no row, nothing recorded");
        assertEquals(null, row("unknown"));
    }

    @Test
    void removeDeletesAnUnregisteredRowMarksAnyOtherGoneAndReportsAnUnknownName() throws SQLException {
        store.insert(c, "ghost", 1, 10, ConsumerState.UNREGISTERED);
        store.insert(c, "members", 2, 20, ConsumerState.ACTIVE);
        store.insert(c, "audit", 3, 0, ConsumerState.REGISTERED);
        assertTrue(store.remove(c, "ghost"));
        assertEquals(null, row("ghost"), "deleted, freeing its place under the cap");
        assertTrue(store.remove(c, "members"));
        assertEquals(new Row("members", 2, 20, ConsumerState.GONE), row("members"));
        assertTrue(store.remove(c, "audit"));
        assertEquals(ConsumerState.GONE, row("audit").state());
        assertTrue(store.remove(c, "members"), "a GONE consumer is still known");
        assertFalse(store.remove(c, "unknown"));
        assertEquals(2, store.all(c).size());
    }
}
