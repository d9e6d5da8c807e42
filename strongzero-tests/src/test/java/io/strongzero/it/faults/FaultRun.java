package io.strongzero.it.faults;

import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The long variant of the fault-injection suite: many rounds per scenario on one or more databases,
 * then the report table. Run it with {@code faults/run.sh}; see docs/reliability.md.
 *
 * <pre>
 * FaultRun [--db=postgresql,mariadb,h2] [--rounds=200] [--scenarios=all|producer_kill,consumer_kill,network,
 *          two_producers,database_restart,lanes_consumer_kill] [--seed=N] [--logs=target/faults]
 * </pre>
 * A scenario that fails (a check, or a timeout waiting for recovery) is reported with its seed and logs
 * and the run goes on with the next; the exit status is 1 if any failed. The database restart runs last
 * for each database. The same system properties as the tests select the servers
 * ({@code strongzero.pg.url}, {@code strongzero.mariadb.url}, {@code strongzero.faults.*.restart}).
 */
public final class FaultRun {

    private FaultRun() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = Apps.args(args);
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "200"));
        long seed = Long.parseLong(a.getOrDefault("seed", Long.toString(System.currentTimeMillis() % 1_000_000L)));
        Path logs = Path.of(a.getOrDefault("logs", "target/faults"));
        List<Scenario> scenarios = new ArrayList<>();
        String which = a.getOrDefault("scenarios", "all");
        for (Scenario s : Scenario.values()) {
            if (which.equals("all") || List.of(which.toUpperCase(Locale.ROOT).split(",")).contains(s.name())) {
                scenarios.add(s);
            }
        }
        if (scenarios.remove(Scenario.DATABASE_RESTART)) {
            scenarios.add(Scenario.DATABASE_RESTART); // last: it restarts the server the others share
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("no scenario matches --scenarios=" + which);
        }
        System.setProperty("strongzero.db", "required"); // an unreachable server is an error here, not a skip
        List<String> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String started = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16);
        long t0 = System.nanoTime();
        for (String name : a.getOrDefault("db", "postgresql,mariadb").split(",")) {
            TestDatabase kind = switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "postgresql", "postgres", "pg" -> TestDatabase.POSTGRESQL;
                case "mariadb", "mysql" -> TestDatabase.MARIADB;
                case "h2" -> TestDatabase.H2;
                default -> throw new IllegalArgumentException("--db takes postgresql, mariadb and h2, not '" + name + "'");
            };
            try (FaultDatabase db = FaultDatabase.open(kind)) {
                FaultDriver driver = new FaultDriver(db, FaultDriver.Settings.longRun(seed, logs));
                for (Scenario s : scenarios) {
                    if (s == Scenario.DATABASE_RESTART && !db.restartSupported()) {
                        String why = kind + " " + s + ": not run, " + kind + " cannot be restarted faithfully under load"
                                + " (FaultDatabase.restartSupported); the scenario runs on PostgreSQL and MariaDB";
                        System.out.println("faults: " + why);
                        if (!which.equals("all")) {
                            failures.add(why + " (asked for by --scenarios)");
                        }
                        continue;
                    }
                    System.out.printf(Locale.ROOT, "faults: %s %s, %d rounds, seed %d%n", kind, s, rounds, seed);
                    try {
                        ScenarioResult r = driver.run(s, rounds);
                        System.out.println(r.report());
                        rows.add(r.tableRow());
                        if (!r.ok()) {
                            failures.add(r.report());
                        }
                    } catch (AssertionError | RuntimeException e) {
                        String msg = kind + " " + s + " FAILED (seed " + seed + "): " + e;
                        System.out.println(msg);
                        e.printStackTrace(System.out);
                        failures.add(msg);
                        rows.add("| " + FaultDriver.displayName(kind.dialect()) + " | " + s.title + " | FAILED: see log | | | | | | | | |");
                    } finally {
                        db.ensureUp();
                    }
                }
            }
        }
        String table = "Run of " + started + ", seed " + seed + ", " + rounds + " rounds per scenario, "
                + String.format(Locale.ROOT, "%.0f min", (System.nanoTime() - t0) / 60e9) + "\n\n"
                + ScenarioResult.tableHeader() + "\n" + String.join("\n", rows) + "\n";
        Files.createDirectories(logs);
        Path report = logs.resolve("report-" + started.replace(':', '-') + ".md");
        Files.writeString(report, table, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(table);
        System.out.println("report: " + report);
        if (!failures.isEmpty()) {
            System.out.println(failures.size() + " scenario(s) FAILED:");
            failures.forEach(System.out::println);
            System.exit(1);
        }
        System.exit(0);
    }
}
