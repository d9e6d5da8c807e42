package io.strongzero.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strongzero.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process and captures what it wrote. */
final class Cli {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    /** What one run returned and wrote. */
    record Result(int code, String out, String err) {

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** The connection options the CLI needs for {@code db}: {@code --jdbc URL} and, if it has one, {@code --user USER}. */
    static String[] connection(TestDatabase.Instance db) {
        return db.user() == null ? new String[] {"--jdbc", db.jdbcUrl()}
                : new String[] {"--jdbc", db.jdbcUrl(), "--user", db.user()};
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) {
        return run(Clock.systemUTC(), env, args);
    }

    /** Runs with a fixed clock, for outputs that depend on the time ("5 s ago", IDLE). */
    static Result runAt(Instant now, String... args) {
        return run(Clock.fixed(now, ZoneOffset.UTC), Map.of(), args);
    }

    private static Result run(Clock clock, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = StrongZeroCli.run(args, o, e, env, clock);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code first} followed by {@code rest}. */
    static String[] args(String[] first, String... rest) {
        List<String> all = new ArrayList<>(Arrays.asList(first));
        all.addAll(Arrays.asList(rest));
        return all.toArray(new String[0]);
    }
}
