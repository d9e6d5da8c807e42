package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The child side of the parent/child protocol: one JSON command per line on stdin, one reply per
 * command on stdout as a line {@code @bench <json>}. Logs go to stderr (slf4j-simple), which the parent
 * sends to a log file. End of stdin (the parent died) ends the child.
 */
final class ChildLoop {

    static final String REPLY_PREFIX = "@bench ";

    /** Handles one command; returns the reply, or null to stop after replying {@code {"ok":true}}. */
    interface Handler {
        ObjectNode handle(String command, JsonNode args) throws Exception;
    }

    private ChildLoop() {
    }

    /** Reads commands until "stop" or end of input. */
    static void serve(Handler handler) throws IOException {
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        reply(out, Json.object().put("ok", true).put("ready", true).put("pid", ProcessHandle.current().pid()));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode cmd = Json.parse(line);
            String name = cmd.path("cmd").asText();
            ObjectNode result;
            try {
                result = handler.handle(name, cmd);
            } catch (Exception | Error e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                System.err.println("bench child: command " + name + " failed: " + trace);
                reply(out, Json.object().put("ok", false).put("error", e.toString()));
                if (e instanceof Error err) {
                    throw err;
                }
                continue;
            }
            if (result == null) {
                reply(out, Json.object().put("ok", true));
                return;
            }
            result.put("ok", true);
            reply(out, result);
        }
    }

    private static void reply(PrintStream out, ObjectNode reply) {
        out.println(REPLY_PREFIX + Json.line(reply));
        out.flush();
    }

    /** {@code key=value} arguments. */
    static Map<String, String> args(String[] args) {
        Map<String, String> map = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            }
            map.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return map;
    }

    /** A connection pool from the {@code url} and {@code user} arguments. */
    static HikariDataSource pool(String name, String url, String user, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }
}
