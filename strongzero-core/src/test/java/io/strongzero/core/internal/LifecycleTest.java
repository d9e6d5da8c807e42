package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void startRunsTheStepsOnceAndRefusesASecondStart() {
        Lifecycle life = new Lifecycle("pump users");
        assertEquals("not started", life.notRunning());
        String started = life.start(() -> {
            life.markRunning();
            return "started";
        });
        assertEquals("started", started);
        assertTrue(life.isRunning());
        assertNull(life.notRunning());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> life.start(() -> "again"));
        assertEquals("pump users is already started", e.getMessage());
    }

    @Test
    void closeIsTrueOnlyTheFirstTimeAndForbidsStartingAgain() {
        Lifecycle life = new Lifecycle("consumer members");
        life.start(() -> {
            life.markRunning();
            return null;
        });
        assertTrue(life.close());
        assertFalse(life.close());
        assertFalse(life.isRunning());
        assertTrue(life.isClosed());
        assertEquals("closed", life.notRunning());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> life.start(() -> null));
        assertEquals("consumer members is closed; build a new one", e.getMessage());
    }

    @Test
    void startIfNewStartsANewComponentOnlyAndNeverAClosedOne() {
        Lifecycle life = new Lifecycle("consumer members");
        AtomicInteger starts = new AtomicInteger();
        Runnable start = () -> life.start(() -> {
            starts.incrementAndGet();
            life.markRunning();
            return null;
        });
        life.startIfNew(start);
        life.startIfNew(start);
        assertEquals(1, starts.get());
        life.close();
        life.startIfNew(start);
        assertEquals(1, starts.get());
    }

    @Test
    void aStepThatDoesNotMarkRunningLeavesTheComponentStartable() {
        Lifecycle life = new Lifecycle("producer users");
        assertThrows(IllegalArgumentException.class, () -> life.start(() -> {
            throw new IllegalArgumentException("bind failed");
        }));
        assertFalse(life.isRunning());
        assertEquals("not started", life.notRunning());
    }
}
