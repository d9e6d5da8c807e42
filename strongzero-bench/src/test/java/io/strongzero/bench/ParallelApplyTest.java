package io.strongzero.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The parallel-apply scenario's per-key order check and its backlog sizing. */
class ParallelApplyTest {

    @Test
    void keysInterleavedButEachInPositionOrderHaveNoViolation() {
        ParallelApply.KeyOrder order = new ParallelApply.KeyOrder();
        order.add("a", 1);
        order.add("b", 3);
        order.add("a", 2);
        order.add("c", 4);
        order.add("b", 5);
        assertEquals(0, order.violations());
        assertEquals(3, order.keys());
    }

    @Test
    void aKeyWhosePositionGoesBackOrRepeatsIsAViolation() {
        ParallelApply.KeyOrder order = new ParallelApply.KeyOrder();
        order.add("a", 5);
        order.add("b", 1);
        order.add("a", 3);
        order.add("a", 3);
        assertEquals(2, order.violations());
        assertEquals("key a: position 3 applied after 5", order.examples().get(0));
    }

    @Test
    void backlogLastsTheSecondsAtTheExpectedRateOfItsLanesInHundreds() {
        assertEquals(1100, ParallelApply.backlog(6, 1));
        assertEquals(17_300, ParallelApply.backlog(6, 16));
        assertEquals(100, ParallelApply.backlog(0.1, 1));
    }
}
