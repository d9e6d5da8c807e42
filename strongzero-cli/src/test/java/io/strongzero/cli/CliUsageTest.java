package io.strongzero.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Usage, exit codes, error reporting and password hygiene: no database needed (or one that is not there). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CliUsageTest {

    /** Nothing listens on port 1 of the loopback address: connection refused at once. */
    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/test";

    private static void usageError(Cli.Result r, String message) {
        assertEquals(StrongZeroCli.USAGE, r.code(), r.toString());
        assertTrue(r.err().startsWith("strongzero: " + message), r.toString());
        assertTrue(r.err().contains("usage: strongzero"), "the usage follows the error: " + r.err());
    }

    @Test
    void noCommandPrintsTheUsageOnStandardErrorAndExits2() {
        Cli.Result r = Cli.run();
        usageError(r, "no command given");
        assertEquals("", r.out());
        for (String command : new String[] {"status", "consumers register", "retention run", "dlq list", "dlq replay",
                "dlq discard", "schema --dialect"}) {
            assertTrue(r.err().contains(command), "the usage lists " + command);
        }
    }

    @Test
    void helpPrintsTheUsageOnStandardOutputAndExits0() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(StrongZeroCli.OK, r.code(), r.toString());
            assertTrue(r.out().startsWith("StrongZero admin CLI"), r.out());
            assertTrue(r.out().contains("Exit codes: 0 done, 1 the operation failed"), r.out());
            assertEquals("", r.err());
        }
        Cli.Result dlq = Cli.run("help", "dlq");
        assertEquals(StrongZeroCli.OK, dlq.code());
        assertTrue(dlq.out().startsWith("usage: strongzero dlq list"), dlq.out());
        assertTrue(dlq.out().contains("requested; the running consumer replays it within seconds"), dlq.out());
        assertEquals(dlq.out(), Cli.run("dlq", "--help").out(), "'<command> --help' is 'help <command>'");
        Cli.Result run = Cli.run("retention", "run", "--help");
        assertEquals(Cli.run("help", "retention", "run").out(), run.out(), "'help retention run' is 'retention run --help'");
        assertTrue(run.out().startsWith("usage: strongzero retention run --min <duration>"), run.out());
        assertTrue(run.out().contains("--chunk=N") && run.out().contains("(default 1000)"), run.out());
    }

    @Test
    void unknownCommandsOptionsAndArgumentsAreUsageErrors() {
        usageError(Cli.run("stats"), "unknown command 'stats'");
        usageError(Cli.run("status", "--jbdc", "x"), "unknown option --jbdc");
        usageError(Cli.run("status", "-v"), "unknown option -v");
        usageError(Cli.run("consumers", "remove"), "consumers remove needs the consumer's name");
        usageError(Cli.run("schema", "--dialect", "h2", "--consumer", "x"), "schema does not take --consumer");
        usageError(Cli.run("status", "extra", "--jdbc", "jdbc:h2:mem:x"), "unexpected argument 'extra' for status");
        usageError(Cli.run("status", "--jdbc"), "option --jdbc needs a value");
        usageError(Cli.run("status", "--json=yes"), "option --json takes no value");
        usageError(Cli.run("status", "--prefix", "a", "--prefix", "b"), "option --prefix is given twice");
        usageError(Cli.run("consumers"), "consumers needs list, register or remove");
        usageError(Cli.run("dlq", "purge", "--consumer", "x"), "unknown dlq command 'purge'");
        usageError(Cli.run("help", "nothing"), "no command 'nothing'");
        Cli.Result r = Cli.run("stats");
        assertTrue(r.err().contains("StrongZero admin CLI"), "an unknown command gets the general usage");
        Cli.Result d = Cli.run("dlq", "purge");
        assertTrue(d.err().contains("usage: strongzero dlq list"), "a command's mistake gets that command's usage");
    }

    @Test
    void missingOrInvalidValuesAreUsageErrorsCaughtBeforeAnyDatabaseIsContacted() {
        usageError(Cli.run("status"), "status needs --jdbc URL");
        usageError(Cli.run("retention", "run", "--jdbc", UNREACHABLE), "retention needs --min <duration>");
        usageError(Cli.run("retention", "run", "--min", "5x", "--jdbc", UNREACHABLE),
                "--min: '5x' is not a duration: write it like 7d, 12h, 1h30m, 45s, 500ms or PT1H");
        usageError(Cli.run("retention", "run", "--min", "2h", "--max", "1h", "--jdbc", UNREACHABLE),
                "--max (1h) cannot be shorter than --min (2h)");
        usageError(Cli.run("retention", "run", "--min", "1h", "--chunk", "0", "--jdbc", UNREACHABLE),
                "--chunk must be between 1 and 100000 but was 0");
        usageError(Cli.run("consumers", "register", "bad name!", "--jdbc", UNREACHABLE), "a consumer name must be");
        usageError(Cli.run("consumers", "register", "r", "--position", "-1", "--jdbc", UNREACHABLE),
                "--position must be between 0 and");
        usageError(Cli.run("dlq", "list", "--jdbc", UNREACHABLE), "dlq needs --consumer NAME");
        usageError(Cli.run("dlq", "list", "--consumer", "m", "--status", "lost", "--jdbc", UNREACHABLE),
                "--status must be open, all, parked, blocking, replay_requested or discarded but was 'lost'");
        usageError(Cli.run("dlq", "show", "--consumer", "m", "--jdbc", UNREACHABLE), "dlq show needs the dead letter's message id");
        usageError(Cli.run("dlq", "replay", "xyz", "--consumer", "m", "--jdbc", UNREACHABLE), "'xyz' is not a message id");
        usageError(Cli.run("dlq", "discard", "0000018bcfe568000a0b0c0d0e0f0003", "--consumer", "m", "--jdbc", UNREACHABLE),
                "dlq needs --reason TEXT");
        usageError(Cli.run("status", "--jdbc", UNREACHABLE, "--prefix", "1x"), "--prefix: tablePrefix must be a letter");
        usageError(Cli.run(Map.of(), "status", "--jdbc", UNREACHABLE, "--password-env", "SZ_NOT_SET"),
                "the environment variable SZ_NOT_SET named by --password-env is not set");
    }

    @Test
    void anUnreachableDatabaseFailsWithOneLineAndExit1AndAStackTraceOnlyWithVerbose() {
        Map<String, String> env = Map.of("SZ_PW", "s3cr3t-Pa55");
        Cli.Result r = Cli.run(env, "status", "--jdbc", UNREACHABLE, "--user", "postgres", "--password-env", "SZ_PW");
        assertEquals(StrongZeroCli.FAILED, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("strongzero: cannot connect to " + UNREACHABLE + " as postgres: "), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        Cli.Result verbose = Cli.run(env, "status", "--jdbc", UNREACHABLE, "--user", "postgres", "--password-env", "SZ_PW",
                "--verbose");
        assertEquals(StrongZeroCli.FAILED, verbose.code());
        assertTrue(verbose.err().contains("\tat "), "a stack trace with --verbose: " + verbose.err());

        Cli.Result json = Cli.run(env, "dlq", "list", "--consumer", "m", "--jdbc", UNREACHABLE, "--password-env=SZ_PW",
                "--json");
        assertEquals(StrongZeroCli.FAILED, json.code());
        JsonNode doc = json.json();
        assertEquals(1, doc.get("exitCode").asInt());
        assertTrue(doc.get("error").asText().startsWith("cannot connect to "), json.out());
        for (Cli.Result any : new Cli.Result[] {r, verbose, json}) {
            assertFalse((any.out() + any.err()).contains("s3cr3t-Pa55"), "never the password: " + any);
        }
    }

    @Test
    void aPasswordInTheJdbcUrlIsNeverPrinted() {
        Cli.Result r = Cli.run("status", "--jdbc", UNREACHABLE + "?user=postgres&password=hunter2", "--verbose");
        assertEquals(StrongZeroCli.FAILED, r.code(), r.toString());
        assertFalse((r.out() + r.err()).contains("hunter2"), r.toString());
        assertTrue(r.err().contains("password=***"), r.err());
        Cli.Result noDriver = Cli.run("status", "--jdbc", "jdbc:oracle:thin:@db:1521:x");
        assertEquals(StrongZeroCli.FAILED, noDriver.code(), noDriver.toString());
        assertTrue(noDriver.err().contains("No suitable driver") && noDriver.err().contains("this CLI has the drivers for"),
                noDriver.err());
        Cli.Result userInfo = Cli.run("status", "--jdbc", "jdbc:mariadb://root:hunter2@127.0.0.1:1/test");
        assertEquals(StrongZeroCli.FAILED, userInfo.code(), userInfo.toString());
        assertFalse((userInfo.out() + userInfo.err()).contains("hunter2"), userInfo.toString());
    }

    @Test
    void schemaPrintsTheDdlOfEachDialectAndSideAsTextOrJson() {
        for (String dialect : new String[] {"h2", "postgresql", "mariadb"}) {
            Cli.Result both = Cli.run("schema", "--dialect", dialect);
            assertEquals(StrongZeroCli.OK, both.code(), both.toString());
            assertTrue(both.out().contains("CREATE TABLE IF NOT EXISTS sz_journal") && both.out().contains(
                    "CREATE TABLE IF NOT EXISTS sz_offset"), both.out());
            Cli.Result consumer = Cli.run("schema", "--dialect", dialect, "--side", "consumer");
            assertFalse(consumer.out().contains("sz_journal"), consumer.out());
        }
        assertTrue(Cli.run("schema", "--dialect", "postgresql", "--side", "producer").out()
                .contains("WHERE pos IS NULL"), "the PostgreSQL partial index");
        JsonNode json = Cli.run("schema", "--dialect", "mariadb", "--prefix", "app_", "--json").json();
        assertEquals("mariadb", json.get("dialect").asText());
        assertEquals(2, json.get("scripts").size());
        assertEquals("producer", json.get("scripts").get(0).get("side").asText());
        assertTrue(json.get("scripts").get(0).get("statements").get(0).asText().startsWith("CREATE TABLE IF NOT EXISTS app_journal"),
                json.toString());
        usageError(Cli.run("schema"), "schema needs --dialect h2|postgresql|mariadb");
        usageError(Cli.run("schema", "--dialect", "oracle"), "--dialect must be one of h2, postgresql, mariadb but was 'oracle'");
        usageError(Cli.run("schema", "--dialect", "h2", "--side", "both"), "--side must be producer or consumer but was 'both'");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void versionPrintsTheProjectVersionAndExits0() {
        String expected = System.getProperty("strongzero.cli.expectedVersion");
        assertTrue(expected != null && !expected.isBlank() && !expected.startsWith("${"),
                "surefire passes the project version: " + expected);
        for (String[] args : new String[][] {{"--version"}, {"status", "--version"}, {"dlq", "list", "--version"}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(StrongZeroCli.OK, r.code(), r.toString());
            assertEquals("strongzero " + expected + "\n", r.out().replace("\r\n", "\n"), r.toString());
            assertEquals("", r.err());
        }
        JsonNode json = Cli.run("--version", "--json").json();
        assertEquals(expected, json.get("version").asText());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void everyCommandTakesHelpAndShowsItsOwnUsageAndOptions() {
        CommandTree tree = new CommandTree(StrongZeroCli.version());
        for (String path : tree.leaves()) {
            String[] args = (path + " --help").split(" ");
            Cli.Result r = Cli.run(args);
            assertEquals(StrongZeroCli.OK, r.code(), path + ": " + r);
            assertEquals("", r.err(), path + ": " + r);
            assertTrue(r.out().startsWith("usage: strongzero " + path), path + ": " + r.out());
            tree.find(path).getCommandSpec().options().forEach(o -> assertTrue(r.out().contains(o.longestName()),
                    path + " --help lists " + o.longestName() + ": " + r.out()));
            assertEquals(r.out(), Cli.run(("help " + path).split(" ")).out(), "'help " + path + "' is '" + path + " --help'");
            assertEquals(r.out(), Cli.run(("-h " + path).split(" ")).out(), "-h before the command");
        }
        Cli.Result list = Cli.run("dlq", "list", "--help");
        for (String text : new String[] {"--consumer=NAME", "--producer=P", "--status=S", "--limit=N", "(default 100)",
            "--jdbc=URL", "--password-env=VAR", "(default sz_)", "--json"}) {
            assertTrue(list.out().contains(text), "dlq list --help shows " + text + ": " + list.out());
        }
        assertFalse(list.out().contains("--reason"), "only dlq list's options: " + list.out());
        assertTrue(Cli.run("consumers", "list", "--help").out().contains("(default 60s)"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theGeneralHelpListsEveryCommandTheConnectionOptionsAndTheExitCodes() {
        Cli.Result r = Cli.run("--help");
        for (String path : new CommandTree(StrongZeroCli.version()).leaves()) {
            assertTrue(r.out().contains("\n  " + path), "the general help lists " + path + ": " + r.out());
        }
        for (String text : new String[] {"--jdbc=URL", "--user=U", "--password-env=VAR", "--prefix=P", "(default sz_)",
            "--json", "--verbose", "--version", "2 usage error"}) {
            assertTrue(r.out().contains(text), "the general help shows " + text + ": " + r.out());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void completionPrintsABashScriptForEveryCommandAndOption() {
        Cli.Result r = Cli.run("completion");
        assertEquals(StrongZeroCli.OK, r.code(), r.toString());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out());
        for (String text : new String[] {"complete -F", "strongzero", "dlq", "discard", "--idle-after", "--consumer",
            "--password-env"}) {
            assertTrue(r.out().contains(text), "the completion script knows " + text);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void idleAfterMustBeALongerThanZeroDurationCaughtBeforeAnyDatabaseIsContacted() {
        usageError(Cli.run("consumers", "list", "--idle-after", "5x", "--jdbc", UNREACHABLE),
                "--idle-after: '5x' is not a duration");
        usageError(Cli.run("status", "--idle-after", "0", "--jdbc", UNREACHABLE),
                "--idle-after must be longer than 0 but was '0'");
        usageError(Cli.run("consumers", "remove", "x", "--idle-after", "1m", "--jdbc", UNREACHABLE),
                "consumers remove does not take --idle-after");
    }
}
