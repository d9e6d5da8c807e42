package io.strongzero.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlakeIdGeneratorTest {

    private static final long T = 1_717_000_000_000L;
    private static final int IDS_PER_MILLISECOND = FlakeId.MAX_SEQUENCE + 1;

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "strongzero-test-flake");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void shutDownExecutor() throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS), "test threads did not stop");
    }

    @Test
    @Timeout(120)
    void idsAreUniqueAndStrictlyIncreasingPerThreadUnderEightThreads() throws Exception {
        FlakeIdGenerator generator = FlakeIdGenerator.create(0x1234);
        List<FlakeId[]> perThread = generateConcurrently(generator, 8, 50_000);
        assertUniqueAndIncreasingPerThread(perThread, 8 * 50_000);
        for (FlakeId[] ids : perThread) {
            for (FlakeId id : ids) {
                assertEquals(0x1234, id.node());
            }
        }
    }

    @Test
    @Timeout(120)
    void idsStayUniqueAndIncreasingUnderThreadsWhileTheClockJumpsBackAndForth() throws Exception {
        MutableClock clock = new MutableClock(T);
        FlakeIdGenerator generator = FlakeIdGenerator.create(77, clock);
        AtomicBoolean done = new AtomicBoolean();
        Future<?> driver = executor.submit(() -> {
            SplittableRandom random = new SplittableRandom(42);
            long base = T;
            while (!done.get()) {
                base += random.nextInt(3);
                // Anywhere from 200 ms behind to 2 ms ahead of the drifting base.
                clock.set(base - random.nextInt(-2, 200));
                LockSupport.parkNanos(20_000);
            }
        });
        try {
            List<FlakeId[]> perThread = generateConcurrently(generator, 8, 50_000);
            assertUniqueAndIncreasingPerThread(perThread, 8 * 50_000);
        } finally {
            done.set(true);
            driver.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void idsUseTheClockMillisecondAndRestartTheSequenceWhenTheClockMovesForward() {
        MutableClock clock = new MutableClock(T);
        FlakeIdGenerator generator = FlakeIdGenerator.create(5, clock);
        assertParts(generator.next(), T, 0);
        assertParts(generator.next(), T, 1);
        assertParts(generator.next(), T, 2);
        clock.set(T + 7);
        assertParts(generator.next(), T + 7, 0);
        assertParts(generator.next(), T + 7, 1);
        assertEquals(5, generator.next().node());
    }

    @Test
    void idsStayStrictlyIncreasingWhenClockStepsBack() {
        MutableClock clock = new MutableClock(T);
        FlakeIdGenerator generator = FlakeIdGenerator.create(5, clock);
        FlakeId previous = generator.next();
        clock.set(T + 5);
        previous = generator.next();
        assertParts(previous, T + 5, 0);

        clock.set(T - 10_000);
        for (int i = 1; i <= 1_000; i++) {
            FlakeId id = generator.next();
            assertTrue(id.compareTo(previous) > 0, id + " is not after " + previous);
            // The time part never goes below the last issued millisecond.
            assertParts(id, T + 5, i);
            previous = id;
        }

        clock.set(T + 4);
        FlakeId stillBehind = generator.next();
        assertParts(stillBehind, T + 5, 1_001);

        clock.set(T + 6);
        FlakeId caughtUp = generator.next();
        assertParts(caughtUp, T + 6, 0);
        assertTrue(caughtUp.compareTo(stillBehind) > 0);
    }

    @Test
    void idsFollowTheModelUnderARandomWalkOfTheClock() {
        MutableClock clock = new MutableClock(T);
        FlakeIdGenerator generator = FlakeIdGenerator.create(9, clock);
        SplittableRandom random = new SplittableRandom(7);
        long now = T;
        long lastMillis = -1;
        int lastSequence = -1;
        FlakeId previous = null;
        for (int i = 0; i < 300_000; i++) {
            now += random.nextInt(-40, 41);
            if (now == lastMillis && lastSequence == FlakeId.MAX_SEQUENCE) {
                now++; // the generator would rightly wait for the next millisecond here
            }
            clock.set(now);

            long expectedMillis;
            int expectedSequence;
            if (now > lastMillis) {
                expectedMillis = now;
                expectedSequence = 0;
            } else if (lastSequence < FlakeId.MAX_SEQUENCE) {
                expectedMillis = lastMillis;
                expectedSequence = lastSequence + 1;
            } else {
                expectedMillis = lastMillis + 1;
                expectedSequence = 0;
            }

            FlakeId id = generator.next();
            assertParts(id, expectedMillis, expectedSequence);
            if (previous != null) {
                assertTrue(id.compareTo(previous) > 0, id + " is not after " + previous);
            }
            previous = id;
            lastMillis = expectedMillis;
            lastSequence = expectedSequence;
        }
    }

    @Test
    @Timeout(30)
    void sequenceOverflowWaitsForTheClocksNextMillisecondInsteadOfWrapping() throws Exception {
        MutableClock clock = new MutableClock(T);
        FlakeIdGenerator generator = FlakeIdGenerator.create(3, clock);
        FlakeId last = exhaustMillisecond(generator, T);

        long readsBefore = clock.reads();
        Future<FlakeId> blocked = executor.submit(generator::next);
        // The generator polls the frozen clock while it waits; once it has done so many times, it is
        // provably waiting (had it wrapped or moved on, it would have read the clock once and returned).
        awaitUntil(() -> clock.reads() > readsBefore + 20 || blocked.isDone(), "the generator to poll the clock");
        assertFalse(blocked.isDone(), "next() returned while the clock was frozen on an exhausted millisecond: "
                + (blocked.isDone() ? blocked.get() : null));

        clock.set(T + 1);
        FlakeId next = blocked.get(10, TimeUnit.SECONDS);
        assertParts(next, T + 1, 0);
        assertTrue(next.compareTo(last) > 0, next + " is not after " + last);
        assertParts(generator.next(), T + 1, 1);
    }

    @Test
    @Timeout(30)
    void sequenceOverflowWaitEndsWithTheNextLogicalMillisecondIfTheClockStepsBackMeanwhile() throws Exception {
        MutableClock clock = new MutableClock(T);
        FlakeIdGenerator generator = FlakeIdGenerator.create(3, clock);
        FlakeId last = exhaustMillisecond(generator, T);

        long readsBefore = clock.reads();
        Future<FlakeId> blocked = executor.submit(generator::next);
        awaitUntil(() -> clock.reads() > readsBefore + 20 || blocked.isDone(), "the generator to poll the clock");
        assertFalse(blocked.isDone(), "next() returned while the clock was frozen on an exhausted millisecond");

        clock.set(T - 60_000);
        FlakeId next = blocked.get(10, TimeUnit.SECONDS);
        assertParts(next, T + 1, 0);
        assertTrue(next.compareTo(last) > 0);
    }

    @Test
    @Timeout(30)
    void sequenceOverflowWithTheClockBehindMovesTheLogicalMillisecondForwardWithoutWaiting() {
        MutableClock clock = new MutableClock(T);
        FlakeIdGenerator generator = FlakeIdGenerator.create(3, clock);
        assertParts(generator.next(), T, 0);
        clock.set(T - 500);
        FlakeId last = null;
        for (int i = 1; i < IDS_PER_MILLISECOND; i++) {
            last = generator.next();
            assertParts(last, T, i);
        }

        long readsBefore = clock.reads();
        FlakeId next = generator.next();
        assertEquals(readsBefore + 1, clock.reads(), "the generator polled the clock instead of moving on");
        assertParts(next, T + 1, 0);
        assertTrue(next.compareTo(last) > 0);

        assertParts(generator.next(), T + 1, 1);
        clock.set(T + 1);
        assertParts(generator.next(), T + 1, 2);
        clock.set(T + 2);
        assertParts(generator.next(), T + 2, 0);
    }

    @Test
    @Timeout(30)
    void repeatedOverflowWithTheClockFarBehindKeepsAdvancingOneMillisecondAtATime() {
        MutableClock clock = new MutableClock(T);
        FlakeIdGenerator generator = FlakeIdGenerator.create(3, clock);
        generator.next();
        clock.set(0);
        FlakeId previous = null;
        for (int i = 1; i < 3 * IDS_PER_MILLISECOND; i++) {
            FlakeId id = generator.next();
            assertParts(id, T + i / IDS_PER_MILLISECOND, i % IDS_PER_MILLISECOND);
            if (previous != null) {
                assertTrue(id.compareTo(previous) > 0);
            }
            previous = id;
        }
    }

    @Test
    void defaultNodeIdFitsFortyEightBits() {
        for (int i = 0; i < 1_000; i++) {
            long node = FlakeIdGenerator.defaultNodeId();
            assertTrue(node >= 0 && node <= FlakeId.MAX_NODE, Long.toHexString(node));
        }
    }

    @Test
    void defaultNodeIdCarriesTheProcessIdInItsLow22Bits() {
        long pid = ProcessHandle.current().pid();
        for (int i = 0; i < 100; i++) {
            assertEquals(pid & 0x3FFFFF, FlakeIdGenerator.defaultNodeId() & 0x3FFFFF);
        }
    }

    @Test
    void defaultNodeIdHasAFreshRandomUpperPartOnEveryCall() {
        // Two calls collide with probability 2^-26.
        assertNotEquals(FlakeIdGenerator.defaultNodeId(), FlakeIdGenerator.defaultNodeId());
        // All 26 upper bits are random: over 64 calls each bit is seen both set and clear
        // (a fixed bit survives this with probability 2^-63).
        long anySet = 0;
        long allSet = -1;
        for (int i = 0; i < 64; i++) {
            long random = FlakeIdGenerator.defaultNodeId() >>> 22;
            anySet |= random;
            allSet &= random;
        }
        assertEquals((1L << 26) - 1, anySet, Long.toBinaryString(anySet));
        assertEquals(0, allSet, Long.toBinaryString(allSet));
    }

    @Test
    void createWithoutANodeUsesTheDefaultNodeId() {
        FlakeIdGenerator generator = FlakeIdGenerator.create();
        assertEquals(ProcessHandle.current().pid() & 0x3FFFFF, generator.node() & 0x3FFFFF);
        assertEquals(generator.node(), generator.next().node());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1L, FlakeId.MAX_NODE + 1, Long.MIN_VALUE, Long.MAX_VALUE})
    void createRejectsANodeOutside48Bits(long node) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlakeIdGenerator.create(node));
        assertTrue(e.getMessage().contains("node must be between 0 and " + FlakeId.MAX_NODE + " but was " + node),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FlakeIdGenerator.create(node, new MutableClock(T)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, FlakeId.MAX_NODE})
    void createAcceptsEveryNodeWithin48Bits(long node) {
        FlakeIdGenerator generator = FlakeIdGenerator.create(node, new MutableClock(T));
        assertEquals(node, generator.node());
        assertEquals(node, generator.next().node());
    }

    @Test
    void createRejectsANullClock() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> FlakeIdGenerator.create(1, null));
        assertEquals("clock", e.getMessage());
    }

    private List<FlakeId[]> generateConcurrently(FlakeIdGenerator generator, int threads, int idsPerThread)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<FlakeId[]>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(executor.submit(() -> {
                FlakeId[] ids = new FlakeId[idsPerThread];
                start.await();
                for (int i = 0; i < idsPerThread; i++) {
                    ids[i] = generator.next();
                }
                return ids;
            }));
        }
        start.countDown();
        List<FlakeId[]> result = new ArrayList<>();
        for (Future<FlakeId[]> f : futures) {
            result.add(f.get(100, TimeUnit.SECONDS));
        }
        return result;
    }

    private static void assertUniqueAndIncreasingPerThread(List<FlakeId[]> perThread, int expectedTotal) {
        Set<FlakeId> all = new HashSet<>(expectedTotal * 2);
        for (int t = 0; t < perThread.size(); t++) {
            FlakeId[] ids = perThread.get(t);
            for (int i = 0; i < ids.length; i++) {
                if (i > 0 && ids[i].compareTo(ids[i - 1]) <= 0) {
                    fail("thread " + t + ": id " + i + " " + ids[i] + " is not after " + ids[i - 1]);
                }
                if (!all.add(ids[i])) {
                    fail("thread " + t + ": id " + i + " " + ids[i] + " was issued twice");
                }
            }
        }
        assertEquals(expectedTotal, all.size());
    }

    /** Issues the 65,536 ids of millisecond {@code millis} on a frozen clock and returns the last. */
    private static FlakeId exhaustMillisecond(FlakeIdGenerator generator, long millis) {
        FlakeId last = null;
        for (int i = 0; i < IDS_PER_MILLISECOND; i++) {
            last = generator.next();
            assertParts(last, millis, i);
        }
        return last;
    }

    private static void assertParts(FlakeId id, long expectedMillis, int expectedSequence) {
        assertEquals(expectedMillis, id.epochMillis(), () -> "time part of " + id);
        assertEquals(expectedSequence, id.sequence(), () -> "sequence of " + id);
    }

    private static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
