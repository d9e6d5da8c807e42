package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaProcessTest {

    /** The child: prints its arguments and two environment variables, then waits to be stopped or killed. */
    public static void main(String[] args) throws InterruptedException {
        System.out.println("args=" + String.join(",", args));
        System.out.println("secret=" + System.getenv("JAVA_PROCESS_TEST_SECRET"));
        System.out.println("path=" + System.getenv("PATH"));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void theChildGetsItsArgumentsAndEnvironmentAndIsKilled() throws Exception {
        try (JavaProcess child = JavaProcess.start("child", JavaProcessTest.class,
                Map.of("JAVA_PROCESS_TEST_SECRET", "s3cret"), "a", "b")) {
            child.await("ready", Duration.ofSeconds(30));
            assertEquals("a,b", child.await("args=(\\S+)", Duration.ofSeconds(1)));
            assertEquals("s3cret", child.await("secret=(\\S+)", Duration.ofSeconds(1)));
            assertTrue(child.await("path=(\\S+)", Duration.ofSeconds(1)).contains("/"), "PATH is inherited");
            assertTrue(child.isAlive());
            child.kill();
            assertFalse(child.isAlive());
        }
    }

    @Test
    void aNullValueRemovesAnInheritedVariable() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", null); // set in every test JVM's environment
        try (JavaProcess child = JavaProcess.start("no-path", JavaProcessTest.class, environment)) {
            child.await("ready", Duration.ofSeconds(30));
            assertEquals("null", child.await("path=(\\S+)", Duration.ofSeconds(1)));
            child.stop();
            assertFalse(child.isAlive());
        }
    }

    @Test
    void awaitingALineAChildThatExitedNeverPrintsFailsWithItsOutput() throws Exception {
        try (JavaProcess child = JavaProcess.start("exits", JavaProcessTest.class)) {
            child.await("ready", Duration.ofSeconds(30));
            child.kill();
            AssertionError e = assertThrows(AssertionError.class, () -> child.await("never printed", Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("before printing /never printed/"), e.getMessage());
            assertTrue(e.getMessage().contains("ready"), e.getMessage());
        }
    }

    @Test
    void theCommandRunsTheMainClassOnThisJvmsClassPathWithTheOptionsBeforeIt() {
        List<String> cmd = JavaProcess.command(List.of("-Xmx64m"), JavaProcessTest.class, List.of("x", "y"));
        assertTrue(cmd.get(0).startsWith(System.getProperty("java.home")), cmd.get(0));
        assertEquals(List.of("-Xmx64m", "-cp", System.getProperty("java.class.path"), JavaProcessTest.class.getName(),
                "x", "y"), cmd.subList(1, cmd.size()));
    }

    @Test
    void killAndWaitEndsARunningProcessAndLeavesAnEndedOneAlone() throws Exception {
        Process process = new ProcessBuilder(JavaProcess.command(List.of(), JavaProcessTest.class, List.of()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.isAlive());
        JavaProcess.killAndWait(process, Duration.ofSeconds(20));
        assertFalse(process.isAlive());
        JavaProcess.killAndWait(process, Duration.ofSeconds(20));
        assertFalse(process.isAlive());
    }
}
