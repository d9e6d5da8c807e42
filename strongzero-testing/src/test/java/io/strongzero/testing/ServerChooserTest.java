package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.testing.ServerChooser.Choice;
import io.strongzero.testing.ServerChooser.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every branch of how a database server is provided, with fake probes (no server, no Docker). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerChooserTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    /** Answers as told and records which probes were asked. */
    private static final class FakeProbes implements ServerChooser.Probes {
        final String localProblem;
        final boolean testcontainers;
        final boolean docker;
        final List<String> asked = new ArrayList<>();

        FakeProbes(String localProblem, boolean testcontainers, boolean docker) {
            this.localProblem = localProblem;
            this.testcontainers = testcontainers;
            this.docker = docker;
        }

        @Override
        public String localServerProblem() {
            asked.add("local");
            return localProblem;
        }

        @Override
        public boolean testcontainersPresent() {
            asked.add("testcontainers");
            return testcontainers;
        }

        @Override
        public boolean dockerAvailable() {
            asked.add("docker");
            return docker;
        }
    }

    @Test
    void aReachableLocalServerIsUsedWithoutLookingForTestcontainersOrDocker() {
        for (boolean required : new boolean[] {false, true}) {
            FakeProbes probes = new FakeProbes(null, true, true);
            Choice c = ServerChooser.choose("POSTGRESQL", URL, probes, required);
            assertEquals(Outcome.LOCAL_SERVER, c.outcome());
            assertEquals("POSTGRESQL: the local server at " + URL, c.message());
            assertEquals(List.of("local"), probes.asked);
        }
    }

    @Test
    void anUnreachableServerRunsInAContainerWhenTestcontainersFindsDocker() {
        for (boolean required : new boolean[] {false, true}) {
            FakeProbes probes = new FakeProbes("Connection refused", true, true);
            Choice c = ServerChooser.choose("POSTGRESQL", URL, probes, required);
            assertEquals(Outcome.CONTAINER, c.outcome());
            assertEquals("POSTGRESQL is not reachable at " + URL + " (Connection refused): running it in a container "
                    + "(Testcontainers)", c.message());
            assertEquals(List.of("local", "testcontainers", "docker"), probes.asked);
        }
    }

    @Test
    void withoutTestcontainersTheTestsSkipWithOneLineSayingHowToEnableThem() {
        FakeProbes probes = new FakeProbes("Connection refused", false, true);
        Choice c = ServerChooser.choose("MARIADB", "jdbc:mariadb://127.0.0.1:3306/test", probes, false);
        assertEquals(Outcome.SKIP, c.outcome());
        assertEquals("MARIADB is not reachable at jdbc:mariadb://127.0.0.1:3306/test (Connection refused) and "
                + "Testcontainers is not on the class path: start the server, or add org.testcontainers:testcontainers "
                + "to the test class path and run a Docker engine (docs/testing.md)", c.message());
        assertEquals(List.of("local", "testcontainers"), probes.asked, "Docker is not looked for without Testcontainers");
    }

    @Test
    void withTestcontainersButNoDockerTheTestsSkipSayingToStartDocker() {
        FakeProbes probes = new FakeProbes("Connection refused", true, false);
        Choice c = ServerChooser.choose("POSTGRESQL", URL, probes, false);
        assertEquals(Outcome.SKIP, c.outcome());
        assertEquals("POSTGRESQL is not reachable at " + URL + " (Connection refused) and Testcontainers finds no Docker "
                + "engine: start the server, or install and start Docker (docs/testing.md)", c.message());
        assertEquals(List.of("local", "testcontainers", "docker"), probes.asked);
    }

    @Test
    void whenRequiredAnUnprovidableDatabaseFailsInsteadOfSkipping() {
        Choice noTestcontainers = ServerChooser.choose("POSTGRESQL", URL, new FakeProbes("refused", false, false), true);
        assertEquals(Outcome.FAIL, noTestcontainers.outcome());
        assertTrue(noTestcontainers.message().contains("Testcontainers is not on the class path"), noTestcontainers.message());
        assertTrue(noTestcontainers.message().endsWith(ServerChooser.REQUIRED_MARK), noTestcontainers.message());

        Choice noDocker = ServerChooser.choose("POSTGRESQL", URL, new FakeProbes("refused", true, false), true);
        assertEquals(Outcome.FAIL, noDocker.outcome());
        assertTrue(noDocker.message().contains("Testcontainers finds no Docker engine"), noDocker.message());
        assertTrue(noDocker.message().endsWith(ServerChooser.REQUIRED_MARK), noDocker.message());
    }

    @Test
    void aMultiLineDriverMessageBecomesOneLine() {
        Choice c = ServerChooser.choose("POSTGRESQL", URL, new FakeProbes("Connection refused.\n  Check the host\r\nand port. ",
                false, false), false);
        assertFalse(c.message().contains("\n") || c.message().contains("\r"), c.message());
        assertTrue(c.message().contains("(Connection refused. Check the host and port.)"), c.message());
    }

    @Test
    void aServerWithoutAContainerIsUsedWhenItAnswersWithoutLookingForTestcontainers() {
        FakeProbes probes = new FakeProbes(null, true, true);
        Choice c = ServerChooser.chooseLocalOnly("ORACLE", "jdbc:oracle:thin:@//db:1521/x", probes, true);
        assertEquals(Outcome.LOCAL_SERVER, c.outcome());
        assertEquals("ORACLE: the server at jdbc:oracle:thin:@//db:1521/x", c.message());
        assertEquals(List.of("local"), probes.asked);
    }

    @Test
    void aServerWithoutAContainerThatDoesNotAnswerSkipsOrWhenRequiredFailsWithoutLookingForDocker() {
        FakeProbes probes = new FakeProbes("Connection refused", true, true);
        Choice skip = ServerChooser.chooseLocalOnly("ORACLE", "jdbc:oracle:thin:@//db:1521/x", probes, false);
        assertEquals(Outcome.SKIP, skip.outcome());
        assertEquals("ORACLE is not reachable at jdbc:oracle:thin:@//db:1521/x (Connection refused): start the server, "
                + "or describe one that runs (TestDatabase.server, docs/testing.md)", skip.message());
        assertEquals(List.of("local"), probes.asked, "a described server has no container: Testcontainers is not asked");

        Choice fail = ServerChooser.chooseLocalOnly("ORACLE", "jdbc:oracle:thin:@//db:1521/x", probes, true);
        assertEquals(Outcome.FAIL, fail.outcome());
        assertEquals(skip.message() + ServerChooser.REQUIRED_MARK, fail.message());
    }

    @Test
    void theTestsAreRequiredByThePropertyOrByAnyCiValueButFalse() {
        assertTrue(ServerChooser.required("required", null));
        assertTrue(ServerChooser.required("REQUIRED", ""));
        assertTrue(ServerChooser.required("auto", "true"));
        assertTrue(ServerChooser.required("auto", "1"));
        assertTrue(ServerChooser.required(null, "yes"));
        assertFalse(ServerChooser.required("auto", null));
        assertFalse(ServerChooser.required("auto", " "));
        assertFalse(ServerChooser.required("auto", "false"));
        assertFalse(ServerChooser.required("auto", "FALSE"));
        assertFalse(ServerChooser.required(null, null));
    }
}
