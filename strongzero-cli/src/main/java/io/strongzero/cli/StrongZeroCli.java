package io.strongzero.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.strongzero.core.StrongZeroException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The StrongZero admin command line: journal status and lag, consumer registration, retention, dead
 * letters and DDL. Run {@code java -jar strongzero-cli.jar help} for the commands, {@code <command> --help}
 * for one, {@code --version} for the version and {@code completion} for a bash/zsh completion script. The
 * command line is parsed with picocli.
 *
 * <p>{@link #main(String[])} exits with the code of {@link #run(String[], PrintStream, PrintStream, Map)}:
 * {@value #OK} when the command did its work, {@value #FAILED} when the operation failed (database
 * unreachable, no such consumer, producer or dead letter; one line on standard error, a stack trace only
 * with {@code --verbose}), {@value #USAGE} for a command line it cannot run (with the usage of the command). Passwords
 * come from an environment variable ({@code --password-env VAR}) and are never printed.
 *
 * <p>{@code run} is for embedding and tests: it reads the environment only through the given map, writes
 * only to the given streams, and is safe to call from several threads; the one global it touches is
 * {@code DriverManager}'s login timeout (10 s).
 */
public final class StrongZeroCli {

    /** Exit code: the command did its work. */
    public static final int OK = 0;
    /** Exit code: the operation failed. */
    public static final int FAILED = 1;
    /** Exit code: the command line is wrong. */
    public static final int USAGE = 2;

    static final String NAME = "strongzero";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private boolean jsonOutput;
    private boolean verbose;
    private String secret;
    private String url;

    private StrongZeroCli(PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.env = Objects.requireNonNull(env, "env");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs a command and exits with its code. */
    public static void main(String[] args) {
        boolean verbose = false;
        for (String a : args) {
            verbose |= "--verbose".equals(a);
        }
        // slf4j-simple reads these when the first logger is made: the library's own logs only with --verbose
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "error");
        }
        int code = run(args, System.out, System.err, System.getenv());
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs a command.
     *
     * @param args the command line, without the program name
     * @param out  where results go
     * @param err  where errors and usage after an error go
     * @param env  the environment, for {@code --password-env}
     * @return {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, Clock.systemUTC());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        return new StrongZeroCli(out, err, env, clock).execute(args);
    }

    private int execute(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            jsonOutput |= "--json".equals(argv[i]);
            verbose |= "--verbose".equals(argv[i]);
            String variable = "--password-env".equals(argv[i]) && i + 1 < argv.length ? argv[i + 1]
                    : argv[i].startsWith("--password-env=") ? argv[i].substring("--password-env=".length()) : null;
            if (variable != null && env.get(variable) != null) {
                secret = env.get(variable);
            }
            if ("--jdbc".equals(argv[i]) && i + 1 < argv.length) {
                url = argv[i + 1];
            } else if (argv[i].startsWith("--jdbc=")) {
                url = argv[i].substring("--jdbc=".length());
            }
        }
        CommandTree tree = new CommandTree(version());
        Args args = null;
        try {
            args = Args.parse(tree, argv);
            if (args.versionRequested) {
                printVersion(tree);
                return OK;
            }
            if (args.helpRequested) {
                out.print(tree.usage(args.command));
                return OK;
            }
            Commands commands = new Commands(this, args);
            DeadLetterCommands deadLetters = new DeadLetterCommands(this, args);
            switch (args.command) {
                case "":
                    throw new UsageException(null, "no command given");
                case "help":
                    help(tree, args);
                    break;
                case "status":
                    commands.status();
                    break;
                case "consumers list":
                    commands.consumersList();
                    break;
                case "consumers register":
                    commands.consumersRegister();
                    break;
                case "consumers remove":
                    commands.consumersRemove();
                    break;
                case "retention run":
                    commands.retention();
                    break;
                case "dlq list":
                case "dlq show":
                case "dlq replay":
                case "dlq discard":
                    deadLetters.run();
                    break;
                case "schema":
                    commands.schema();
                    break;
                case "keys generate":
                case "keys public":
                    return keys(args);
                case "completion":
                    out.print(AutoComplete.bash(NAME, tree.commandLine));
                    break;
                default:
                    CommandLine group = tree.find(args.command);
                    if (group != null && !group.getSubcommands().isEmpty()) {
                        throw new UsageException(args.command, args.command + " needs " + CommandTree.choices(group));
                    }
                    throw new IllegalStateException("command " + args.command + " has usage text but no implementation");
            }
            return OK;
        } catch (UsageException e) {
            // the usage of the command that was given, else of the command named by the error, else the general one
            String usage = tree.usage(e.command == null ? "" : args != null ? args.command : e.command);
            error(USAGE, e.getMessage(), null);
            err.println();
            err.print(usage);
            return USAGE;
        } catch (CliFailure e) {
            error(FAILED, e.getMessage(), e);
            return FAILED;
        } catch (StrongZeroException | IllegalArgumentException | IllegalStateException e) {
            error(FAILED, CliFailure.describe(e), e);
            return FAILED;
        } catch (RuntimeException e) {
            error(FAILED, "unexpected failure: " + CliFailure.describe(e), e);
            return FAILED;
        }
    }

    private void printVersion(CommandTree tree) {
        if (jsonOutput) {
            printJson(doc("name", NAME, "version", tree.version()));
        } else {
            out.println(NAME + " " + tree.version());
        }
    }

    /** {@code help [command]}: the general usage, or a command's. */
    private void help(CommandTree tree, Args args) {
        String topic = String.join(" ", args.words.subList(1, args.words.size()));
        if (!topic.isEmpty() && tree.find(topic) == null) {
            throw new UsageException(null, "no command '" + topic + "'");
        }
        out.print(tree.usage(topic));
    }

    /** {@code keys generate|public}: CurveZMQ key pairs for transport security (docs/security.md); KeyTool does the work. */
    private int keys(Args args) {
        boolean generate = "keys generate".equals(args.command);
        if (args.word(generate ? 3 : 2) == null) {
            throw new UsageException(args.command, generate ? "keys generate needs DIR and NAME" : "keys public needs FILE");
        }
        return KeyTool.run(args.words.subList(1, args.words.size()).toArray(new String[0]), out, err);
    }

    /**
     * The version of this CLI: from the filtered resource version.properties (Maven writes the project's
     * version into it), else from the jar manifest's Implementation-Version, else "unknown".
     */
    static String version() {
        return VersionHolder.VERSION;
    }

    private static final class VersionHolder {
        static final String VERSION = load();

        private static String load() {
            try (java.io.InputStream in = StrongZeroCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    java.util.Properties p = new java.util.Properties();
                    p.load(in);
                    String v = p.getProperty("version");
                    if (v != null && !v.isBlank() && !v.startsWith("${")) {
                        return v.trim();
                    }
                }
            } catch (java.io.IOException e) {
                // fall back to the manifest
            }
            String v = StrongZeroCli.class.getPackage().getImplementationVersion();
            return v == null ? "unknown" : v;
        }
    }

    /** Reports a failure: one line on standard error (and the stack with --verbose), a JSON document with --json. */
    private void error(int code, String message, Throwable failure) {
        String line = redact(message);
        err.println(NAME + ": " + line);
        if (verbose && failure != null) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            err.print(redact(trace.toString()));
        }
        if (jsonOutput) {
            printJson(doc("error", line, "exitCode", code));
        }
    }

    /** {@code text} without the password of --password-env or of a JDBC URL, whichever command failed. */
    private String redact(String text) {
        return Database.redact(text, secret, url);
    }

    // --- for the commands --------------------------------------------------------------------------

    PrintStream out() {
        return out;
    }

    Map<String, String> env() {
        return env;
    }

    Clock clock() {
        return clock;
    }

    boolean json() {
        return jsonOutput;
    }

    /** A JSON object of the given keys and values ({@code key, value, key, value, ...}), in that order. */
    static Map<String, Object> doc(Object... keysAndValues) {
        Map<String, Object> doc = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            doc.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return doc;
    }

    void printJson(Object document) {
        try {
            out.println(json.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON output", e);
        }
    }
}
