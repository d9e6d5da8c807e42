package io.strongzero.it.faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one scenario run found: the counts for the report table, the checks that must be zero and the
 * recovery times. {@link #ok()} is true when nothing was lost, duplicated, reordered, invented or torn.
 */
final class ScenarioResult {

    final String database;
    final Scenario scenario;
    final long seed;
    final Path logDir;
    int rounds;
    long durationMillis;
    final List<Long> recoveryMillis = new ArrayList<>();

    // volume
    long messagesCommitted;
    long transactionsCommitted;
    long transactionsRolledBack;
    long transactionsAborted;
    long inDoubtCommitted;
    long inDoubtRolledBack;
    long messagesReceivedRows;

    // must be zero
    long lost;
    long duplicated;
    long orderViolations;
    long phantom;
    long contentMismatch;
    long torn;
    long acknowledgedButMissing;
    long rolledBackButPresent;
    long writerResolutionWrong;
    long unknownIds;
    long deadLetters;
    long offsetMismatch;
    long positionAnomalies;
    final List<String> details = new ArrayList<>();

    ScenarioResult(String database, Scenario scenario, long seed, Path logDir) {
        this.database = database;
        this.scenario = scenario;
        this.seed = seed;
        this.logDir = logDir;
    }

    boolean ok() {
        return lost == 0 && duplicated == 0 && orderViolations == 0 && phantom == 0 && contentMismatch == 0 && torn == 0
                && acknowledgedButMissing == 0 && rolledBackButPresent == 0 && writerResolutionWrong == 0
                && unknownIds == 0 && deadLetters == 0 && offsetMismatch == 0 && positionAnomalies == 0;
    }

    void detail(String text) {
        if (details.size() < 40) {
            details.add(text);
        } else if (details.size() == 40) {
            details.add("... (more details left out)");
        }
    }

    long recoveryPercentile(double p) {
        if (recoveryMillis.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(recoveryMillis);
        sorted.sort(null);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** The header of {@link #tableRow()}. */
    static String tableHeader() {
        return "| database | scenario | rounds | messages committed | tx rolled back (on purpose / failed) "
                + "| tx in doubt (committed / rolled back) | lost | duplicated | order violations | recovery p50 | recovery max |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    String tableRow() {
        return String.format(Locale.ROOT, "| %s | %s | %d | %,d | %,d / %,d | %d / %d | %d | %d | %d | %s | %s |",
                database, scenario.title, rounds, messagesCommitted, transactionsRolledBack, transactionsAborted,
                inDoubtCommitted, inDoubtRolledBack, lost, duplicated, orderViolations, seconds(recoveryPercentile(50)),
                seconds(recoveryPercentile(100)));
    }

    private static String seconds(long millis) {
        return millis < 0 ? "-" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    /** Everything, for a failure message or a log. */
    String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s %s: %s after %d rounds in %.1f s (seed %d, -Dstrongzero.faults.seed=%d "
                        + "reproduces the schedule; logs in %s)%n", database, scenario, ok() ? "OK" : "FAILED", rounds,
                durationMillis / 1000.0, seed, seed, logDir));
        sb.append(String.format(Locale.ROOT, "  committed: %d messages in %d transactions (+%d in doubt that committed); "
                        + "rolled back: %d on purpose, %d failed before commit, %d in doubt that did not commit; "
                        + "consumer rows: %d%n", messagesCommitted, transactionsCommitted, inDoubtCommitted,
                transactionsRolledBack, transactionsAborted, inDoubtRolledBack, messagesReceivedRows));
        sb.append(String.format(Locale.ROOT, "  lost %d, duplicated %d, order violations %d, delivered but never committed %d, "
                        + "content differs %d, business row and message not together %d, acknowledged commit missing %d, "
                        + "rolled back but present %d, writer's in-doubt resolution wrong %d, journal ids unknown to the "
                        + "writers %d, dead letters %d, offset mismatches %d, position anomalies %d%n", lost, duplicated,
                orderViolations, phantom, contentMismatch, torn, acknowledgedButMissing, rolledBackButPresent,
                writerResolutionWrong, unknownIds, deadLetters, offsetMismatch, positionAnomalies));
        sb.append("  recovery ms: ").append(recoveryMillis).append('\n');
        for (String d : details) {
            sb.append("  - ").append(d).append('\n');
        }
        return sb.toString();
    }
}
