package io.strongzero.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UserSyncDemoTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void demoSyncsEveryUserExactlyOnceOnH2() throws Exception {
        String run = UUID.randomUUID().toString();
        try (var producerDb = UserSyncDemo.pool("jdbc:h2:mem:demo-producer-" + run + ";DB_CLOSE_DELAY=-1", null);
             var consumerDb = UserSyncDemo.pool("jdbc:h2:mem:demo-consumer-" + run + ";DB_CLOSE_DELAY=-1", null)) {
            UserSyncDemo.Result r = UserSyncDemo.run(1000, 4, 20, 100, producerDb, consumerDb);
            assertEquals("synced 1020/1020 messages, 0 lost, 0 duplicated", r.summary());
            assertEquals(20, r.pacedMicros().length, r.latency());
        }
    }

    /** Issue 12, item 3: a second run on the same databases hung with its writer threads alive and no message. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void secondRunOnTheSameDatabasesFailsFastWithTheCauseAndLeavesNoThreads() throws Exception {
        String run = UUID.randomUUID().toString();
        String[] args = {"--users", "200", "--paced", "5", "--rate", "200",
                "--producer-jdbc", "jdbc:h2:mem:demo-rerun-producer-" + run + ";DB_CLOSE_DELAY=-1",
                "--consumer-jdbc", "jdbc:h2:mem:demo-rerun-consumer-" + run + ";DB_CLOSE_DELAY=-1"};
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Output first = run(args);
        assertEquals(0, first.status, first.toString());
        assertTrue(first.out.contains("synced 205/205 messages, 0 lost, 0 duplicated"), first.toString());

        long start = System.nanoTime();
        Output second = run(args);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(2, second.status, second.toString());
        assertTrue(second.err.contains("a previous run's data is still there (producer database: users has 205 rows, "
                + "sz_journal has 205 rows; consumer database: members has 205 rows, sz_offset has 1 row)"),
                second.toString());
        assertTrue(second.err.contains("rerun with --reset to drop the demo's tables, or use empty databases"),
                second.toString());
        assertTrue(millis < 10_000, "the second run took " + millis + " ms");
        awaitNoNewNonDaemonThreads(before);

        Output reset = run(withReset(args));
        assertEquals(0, reset.status, reset.toString());
        assertTrue(reset.out.contains("--reset: producer database: dropped users (205 rows), sz_journal (205 rows), sz_sequencer (1 row)"),
                reset.toString());
        assertTrue(reset.out.contains("synced 205/205 messages, 0 lost, 0 duplicated"), reset.toString());
        awaitNoNewNonDaemonThreads(before);
    }

    /** The same failure found while inserting (no check up front) names the user and stops every writer thread. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void duplicateUserWhileInsertingNamesTheUserAndStopsTheWriters() throws Exception {
        String run = UUID.randomUUID().toString();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (var producerDb = UserSyncDemo.pool("jdbc:h2:mem:demo-dup-producer-" + run + ";DB_CLOSE_DELAY=-1", null);
             var consumerDb = UserSyncDemo.pool("jdbc:h2:mem:demo-dup-consumer-" + run + ";DB_CLOSE_DELAY=-1", null)) {
            UserSyncDemo.run(100, 4, 0, 100, producerDb, consumerDb);
            UserSyncDemo.DemoException e = assertThrows(UserSyncDemo.DemoException.class,
                    () -> UserSyncDemo.run(100, 4, 0, 100, producerDb, consumerDb));
            assertTrue(e.getMessage().matches("user \\d+ already exists in the producer database \\(a previous run\\?\\): "
                    + "rerun with --reset to drop the demo's tables, or use empty databases"), e.getMessage());
        }
        awaitNoNewNonDaemonThreads(before);
    }

    @Test
    void unknownOptionIsRefusedWithTheUsage() {
        Output o = run(new String[] {"--user", "10"});
        assertEquals(2, o.status, o.toString());
        assertTrue(o.err.contains("bad argument '--user'; usage: UserSyncDemo"), o.toString());
    }

    @Test
    void badNumberIsRefusedBeforeResetDropsAnything() {
        Output o = run(new String[] {"--reset", "--users", "many"});
        assertEquals(2, o.status, o.toString());
        assertTrue(o.err.contains("--users must be a number but was 'many'"), o.toString());
        assertEquals("", o.out, "nothing may be dropped before the options are checked");
    }

    private static String[] withReset(String[] args) {
        String[] out = Arrays.copyOf(args, args.length + 1);
        out[args.length] = "--reset";
        return out;
    }

    private static void awaitNoNewNonDaemonThreads(Set<Thread> before) {
        Await.until(Duration.ofSeconds(10), "the demo's non-daemon threads to end",
                () -> leftover(before).isEmpty(), () -> leftover(before));
    }

    private static Set<String> leftover(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t))
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }

    private record Output(int status, String out, String err) {
    }

    private static Output run(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = UserSyncDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
