package io.strongzero.cli;

import io.strongzero.pump.JournalAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The commands, their options and their help texts, as a picocli model: {@link Args} parses against it, and
 * the help of every command, {@code --version} and the completion script come from it. Options are strings
 * here; the commands check their values, with the messages they always had. A new tree per run (a picocli
 * {@link CommandLine} keeps the state of its last parse); not thread-safe.
 */
final class CommandTree {

    /** Width of the help texts. */
    private static final int WIDTH = 120;

    private static final String OPTIONS = HelpSections.OPTIONS;
    private static final String CONNECTION = HelpSections.CONNECTION;
    private static final String OUTPUT = HelpSections.OUTPUT;

    static final String DURATIONS = "Durations: 7d, 12h, 1h30m, 45s, 500ms, 0 or ISO-8601 (PT1H).";
    private static final String[] EXIT_CODES = {
        "Exit codes: 0 done, 1 the operation failed (database unreachable, no such consumer, producer or dead",
        "letter), 2 usage error."};

    /** Default of --idle-after, as written in the help. */
    static final String DEFAULT_IDLE_AFTER = JournalAdmin.DEFAULT_IDLE_AFTER.toSeconds() + "s";

    private final HelpSections sections = new HelpSections();
    private final Set<String> optionNames = new TreeSet<>();
    private final Set<String> valuedOptions = new TreeSet<>();
    private final String version;
    final CommandLine commandLine;

    CommandTree(String version) {
        this.version = version;
        CommandSpec root = CommandSpec.create().name(StrongZeroCli.NAME);
        root.version(StrongZeroCli.NAME + " " + version);
        output(root);
        usage(root, true, null, new String[] {"usage: strongzero <command> [options]        "
                + "(java -jar strongzero-cli.jar <command> [options])"});
        UsageMessageSpec u = root.usageMessage();
        u.header("StrongZero admin CLI", "");
        u.footerHeading("%n").footer("'strongzero <command> --help' shows a command's options and their defaults.", DURATIONS,
                "", EXIT_CODES[0], EXIT_CODES[1]);

        CommandSpec status = leaf(root, "status", "status", "journal size and positions, sequencer owner, consumers"
                + " with state and lag", new String[] {
                    "usage: strongzero status --jdbc URL [--user U] [--password-env VAR] [--prefix P] [--idle-after <duration>]"},
                "The producer's journal: rows, rows waiting for a position, head (last position), oldest position kept,"
                + " the instance that stamped last, and every consumer the producer knows with its state and lag (as"
                + " the producer recorded it at the consumer's last pull).", "", idleNote());
        idleAfter(status);
        connection(status);

        CommandSpec consumers = group(root, "consumers", new String[] {
            "usage: strongzero consumers list [--idle-after <duration>]     --jdbc URL ...",
            "       strongzero consumers register <name> [--position N]   --jdbc URL ...",
            "       strongzero consumers remove <name>                    --jdbc URL ..."},
                "The consumers known to the producer (its sz_consumer table), against the producer's database.", "",
                "  list       every consumer with its state, position and lag; an ACTIVE one that has not pulled for",
                "             --idle-after (default " + DEFAULT_IDLE_AFTER + ") shows as IDLE",
                "  register   before a new consumer's first pull: retention keeps every message after --position",
                "             (default 0) for it. Registers a GONE consumer again.",
                "  remove     declare a consumer GONE: retention no longer waits for it (its messages may be deleted;",
                "             if it comes back it gets POSITION_EXPIRED). It stays listed as GONE.",
                "'strongzero consumers <command> --help' shows a command's options.");
        CommandSpec list = leaf(consumers, "list", "consumers list [--idle-after <duration>]",
                "the consumers the producer knows, with their state and lag", new String[] {
                    "usage: strongzero consumers list [--idle-after <duration>] --jdbc URL ..."},
                "Every consumer in the producer's sz_consumer table with its state, position and lag.", "", idleNote());
        idleAfter(list);
        connection(list);
        CommandSpec register = leaf(consumers, "register", "consumers register <name> [--position N]",
                "keep messages for a consumer that has not pulled yet", new String[] {
                    "usage: strongzero consumers register <name> [--position N] --jdbc URL ..."},
                "Before a new consumer's first pull: retention keeps every message after --position (default 0) for it."
                + " Registers a GONE consumer again; a known one is left as it is.");
        positional(register, "<name>", "the consumer's name");
        option(register, OPTIONS, "--position", "N", "retention keeps every message after this position (default 0)");
        connection(register);
        CommandSpec remove = leaf(consumers, "remove", "consumers remove <name>",
                "declare a consumer GONE: retention stops waiting for it", new String[] {
                    "usage: strongzero consumers remove <name> --jdbc URL ..."},
                "Declares a consumer GONE: retention no longer waits for it (its messages may be deleted; if it comes"
                + " back it gets POSITION_EXPIRED). It stays listed as GONE. A name that is not in sz_consumer fails"
                + " (exit code 1) and lists the known ones.");
        positional(remove, "<name>", "the consumer's name, as 'consumers list' shows it");
        connection(remove);

        CommandSpec retention = group(root, "retention", new String[] {
            "usage: strongzero retention run --min <duration> [--max <duration>] [--chunk N] --jdbc URL ..."},
                "Retention of the producer's journal, against the producer's database.");
        CommandSpec run = leaf(retention, "run", "retention run --min <duration> [--max <duration>] [--chunk N]",
                "delete the journal prefix every consumer has pulled", new String[] {
                    "usage: strongzero retention run --min <duration> [--max <duration>] [--chunk N] --jdbc URL ..."},
                "Deletes a prefix of the journal now, as the producer's scheduled retention does: rows that every ACTIVE"
                + " or REGISTERED consumer has pulled past and that are older than --min; with --max, also rows older"
                + " than that whatever the consumers (those behind get POSITION_EXPIRED). Only whole prefixes are"
                + " deleted, in transactions of at most --chunk positions (default 1000), so consumers never meet a gap.",
                "", DURATIONS);
        option(run, OPTIONS, "--min", "<duration>", "delete rows older than this that every consumer that counts has "
                + "pulled past (required)");
        option(run, OPTIONS, "--max", "<duration>", "also delete rows older than this, whatever the consumers (not "
                + "shorter than --min)");
        option(run, OPTIONS, "--chunk", "N", "positions per delete transaction, 1 to 100000 (default 1000)");
        connection(run);

        String consumerNote = "--consumer is the consumer's name; it must be known in the consumer's database (a row in"
                + " sz_offset or sz_dead_letter, written when the consumer starts), and --producer must be a producer"
                + " it has pulled from: an unknown name fails (exit code 1) and lists the known ones.";
        CommandSpec dlq = group(root, "dlq", new String[] {
            "usage: strongzero dlq list    --consumer NAME [--producer P] [--type T] [--status S] [--limit N] --jdbc URL ...",
            "       strongzero dlq show    <id> --consumer NAME [--producer P] [--payload] --jdbc URL ...",
            "       strongzero dlq replay  <id> --consumer NAME [--producer P] --jdbc URL ...",
            "       strongzero dlq discard <id> --consumer NAME --reason TEXT [--producer P] --jdbc URL ..."},
                "A consumer's dead letters, against the consumer's database. " + consumerNote, "",
                "  list      dead letters, oldest position first; --status open (default: PARKED, BLOCKING and",
                "            REPLAY_REQUESTED), parked, blocking, replay_requested, discarded or all; --limit (default 100)",
                "  show      one dead letter with its error history; --payload also prints the payload",
                "  replay    asks the running consumer to replay it with its current handler (the CLI cannot run",
                "            handlers): requested; the running consumer replays it within seconds (or when it starts)",
                "  discard   marks it DISCARDED with the reason (kept for the record); a BLOCKING one's stream resumes",
                "<id> is the message id (32 hex digits). --producer is needed only if two producers' dead letters share it.",
                "'strongzero dlq <command> --help' shows a command's options.");
        CommandSpec dlqList = leaf(dlq, "list", "dlq list [--producer P] [--type T] [--status S] [--limit N]",
                "dead letters, oldest position first", new String[] {
                    "usage: strongzero dlq list --consumer NAME [--producer P] [--type T] [--status S] [--limit N] --jdbc URL ..."},
                "A consumer's dead letters, oldest position first. " + consumerNote);
        consumerOptions(dlqList, "only the dead letters from this producer");
        option(dlqList, OPTIONS, "--type", "T", "only the dead letters of this message type");
        option(dlqList, OPTIONS, "--status", "S", "open (default: PARKED, BLOCKING and REPLAY_REQUESTED), parked, "
                + "blocking, replay_requested, discarded or all");
        option(dlqList, OPTIONS, "--limit", "N", "at most N dead letters, 1 to 10000 (default 100)");
        connection(dlqList);
        CommandSpec show = leaf(dlq, "show", "dlq show <id> [--payload]", "one dead letter with its error history",
                new String[] {"usage: strongzero dlq show <id> --consumer NAME [--producer P] [--payload] --jdbc URL ..."},
                "One dead letter with its error history; --payload also prints the payload. " + consumerNote);
        idParameter(show);
        consumerOptions(show, "the producer of the dead letter, if two producers' dead letters share the id");
        flag(show, OPTIONS, "--payload", "also print the payload (decoded if it is JSON or MessagePack)");
        connection(show);
        CommandSpec replay = leaf(dlq, "replay", "dlq replay <id>", "ask the running consumer to replay it",
                new String[] {"usage: strongzero dlq replay <id> --consumer NAME [--producer P] --jdbc URL ..."},
                "Asks the running consumer to replay a dead letter with its current handler (the CLI cannot run"
                + " handlers): requested; the running consumer replays it within seconds (or when it starts). "
                + consumerNote);
        idParameter(replay);
        consumerOptions(replay, "the producer of the dead letter, if two producers' dead letters share the id");
        connection(replay);
        CommandSpec discard = leaf(dlq, "discard", "dlq discard <id> --reason TEXT", "mark it DISCARDED, with the reason",
                new String[] {"usage: strongzero dlq discard <id> --consumer NAME --reason TEXT [--producer P] --jdbc URL ..."},
                "Marks a dead letter DISCARDED with the reason (kept for the record); a BLOCKING one's stream resumes. "
                + consumerNote);
        idParameter(discard);
        consumerOptions(discard, "the producer of the dead letter, if two producers' dead letters share the id");
        option(discard, OPTIONS, "--reason", "TEXT", "why it is discarded, kept with the row (required, at most 1000 "
                + "characters)");
        connection(discard);

        CommandSpec schema = leaf(root, "schema", "schema --dialect h2|postgresql|mariadb [--side producer|consumer] [--prefix P]",
                "print the DDL", new String[] {
                    "usage: strongzero schema --dialect h2|postgresql|mariadb [--side producer|consumer] [--prefix P]"},
                "Prints the DDL of StrongZero's tables (every statement is CREATE ... IF NOT EXISTS): the producer side"
                + " (journal, sequencer and consumer tables, in the producer's database) and the consumer side (offsets,"
                + " dead letters, idempotency claims, in the consumer's database). Both unless --side is given.");
        option(schema, OPTIONS, "--dialect", "D", "h2, postgresql or mariadb (required)");
        option(schema, OPTIONS, "--side", "S", "producer or consumer (default: both)");
        option(schema, OPTIONS, "--prefix", "P", "table prefix (default sz_)");

        CommandSpec keys = group(root, "keys", new String[] {
            "usage: strongzero keys generate DIR NAME     write DIR/NAME.key (public) and DIR/NAME.key_secret",
            "       strongzero keys public FILE            print the public key of a certificate"},
                "CurveZMQ key pairs for encrypted, authenticated transport (docs/security.md). The secret file is"
                + " written with owner-only permissions; existing files are never replaced.");
        CommandSpec generate = leaf(keys, "generate", "keys generate DIR NAME",
                "a CurveZMQ key pair for transport security", new String[] {"usage: strongzero keys generate DIR NAME"},
                "Writes DIR/NAME.key (the public certificate, for the other side) and DIR/NAME.key_secret (owner-only"
                + " permissions, for this host only) and prints the public key. Existing files are never replaced.");
        positional(generate, "DIR", "the directory to write the certificates to");
        positional(generate, "NAME", "the certificates' name");
        CommandSpec pub = leaf(keys, "public", "keys public FILE", "the public key of a certificate",
                new String[] {"usage: strongzero keys public FILE"}, "Prints the public key (Z85) of a certificate.");
        positional(pub, "FILE", "a public or secret certificate");

        CommandSpec completion = leaf(root, "completion", "completion",
                "a bash/zsh completion script: source <(strongzero completion)", new String[] {
                    "usage: strongzero completion"},
                "Prints a completion script for bash and zsh of the commands and options. Load it with",
                "  source <(java -jar strongzero-cli.jar completion)",
                "(with an alias or script named strongzero), or save it in /etc/bash_completion.d/.");
        CommandSpec help = leaf(root, "help", "help [command]", "this text, or a command's", new String[] {
            "usage: strongzero help [command]"}, "The general usage, or a command's (as '<command> --help').");
        help.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").paramLabel("command")
                .type(String[].class).description("a command, such as dlq or dlq list").build());

        commandLine = new CommandLine(root);
        commandLine.setExpandAtFiles(false);
        commandLine.setAllowOptionsAsOptionParameters(true);
        forEach(commandLine, c -> registerNames(c.getCommandSpec()));
    }

    private String idleNote() {
        return "An ACTIVE consumer whose last pull the producer recorded longer ago than --idle-after (default "
                + DEFAULT_IDLE_AFTER + "), or never, is shown as IDLE: it still counts for retention, but it is not"
                + " pulling. A running consumer with nothing to pull has its pull recorded every few seconds"
                + " (longPollWait + progressInterval, 6 s by default), so it stays ACTIVE; while the producer itself is"
                + " down nothing is recorded, and every consumer turns IDLE.";
    }

    private void registerNames(CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            for (String n : o.names()) {
                optionNames.add(n);
                if (o.arity().max() > 0) {
                    valuedOptions.add(n);
                }
            }
        }
    }

    /** True if some command has an option of this name. */
    boolean isOption(String name) {
        return optionNames.contains(name);
    }

    /** True if the option of this name takes a value (in every command that has it). */
    boolean takesValue(String name) {
        return valuedOptions.contains(name);
    }

    String version() {
        return version;
    }

    /** The command at a path ("", "dlq", "dlq list"), or null. */
    CommandLine find(String path) {
        CommandLine c = commandLine;
        if (path == null || path.isBlank()) {
            return c;
        }
        for (String w : path.trim().split("\\s+")) {
            c = c.getSubcommands().get(w);
            if (c == null) {
                return null;
            }
        }
        return c;
    }

    /** The help of the command at a path (the general help for "" or an unknown path). */
    String usage(String path) {
        CommandLine c = find(path);
        return (c == null ? commandLine : c).getUsageMessage(Help.Ansi.OFF);
    }

    /** The command paths of every command that does something, in help order. */
    List<String> leaves() {
        return sections.paths();
    }

    /** "a, b or c" of a group's sub-commands ("'run'" if only one). */
    static String choices(CommandLine group) {
        List<String> names = new ArrayList<>(group.getSubcommands().keySet());
        if (names.size() == 1) {
            return "'" + names.get(0) + "'";
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** The path of a command ("" for the top level). */
    static String path(CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        int space = q.indexOf(' ');
        return space < 0 ? "" : q.substring(space + 1);
    }

    // --- building ------------------------------------------------------------------------------------

    private CommandSpec group(CommandSpec parent, String name, String[] synopsis, String... description) {
        CommandSpec spec = CommandSpec.create().name(name);
        output(spec);
        usage(spec, false, description, synopsis);
        UsageMessageSpec u = spec.usageMessage();
        u.commandListHeading("%nCommands:%n");
        List<String> keys = new ArrayList<>(u.sectionKeys());
        keys.remove(UsageMessageSpec.SECTION_KEY_OPTION_LIST);
        keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_COMMAND_LIST) + 1, UsageMessageSpec.SECTION_KEY_OPTION_LIST);
        u.sectionKeys(keys);
        parent.addSubcommand(name, spec);
        return spec;
    }

    private CommandSpec leaf(CommandSpec parent, String name, String brief, String header, String[] synopsis,
                             String... description) {
        CommandSpec spec = CommandSpec.create().name(name);
        usage(spec, false, description, synopsis);
        spec.usageMessage().header(header);
        output(spec);
        parent.addSubcommand(name, spec);
        String path = path(spec);
        sections.brief(path, brief, header);
        return spec;
    }

    /** Sets the help texts of a command; {@code general} for the top level's. */
    private void usage(CommandSpec spec, boolean general, String[] description, String[] synopsis) {
        UsageMessageSpec u = spec.usageMessage();
        u.width(WIDTH).sortOptions(false).abbreviateSynopsis(false).synopsisHeading("").customSynopsis(synopsis)
                .descriptionHeading("%n").parameterListHeading("%nArguments:%n");
        if (description != null) {
            u.description(description);
        }
        sections.install(u, general, () -> commandLine.getSubcommands().get("status").getCommandSpec().options());
    }

    private void connection(CommandSpec spec) {
        option(spec, CONNECTION, "--jdbc", "URL", "JDBC URL: jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db,"
                + " jdbc:h2:...");
        option(spec, CONNECTION, "--user", "U", "database user");
        option(spec, CONNECTION, "--password-env", "VAR", "read the password from the environment variable VAR (never"
                + " on the command line)");
        option(spec, CONNECTION, "--prefix", "P", "table prefix (default sz_)");
    }

    private void consumerOptions(CommandSpec spec, String producer) {
        option(spec, OPTIONS, "--consumer", "NAME", "the consumer's name (required)");
        option(spec, OPTIONS, "--producer", "P", producer);
    }

    private void idleAfter(CommandSpec spec) {
        option(spec, OPTIONS, "--idle-after", "<duration>", "show an ACTIVE consumer as IDLE when no pull of it was "
                + "recorded for this long (default " + DEFAULT_IDLE_AFTER + ")");
    }

    private void idParameter(CommandSpec spec) {
        positional(spec, "<id>", "the dead letter's message id (32 hex digits, as 'dlq list' shows it)");
    }

    /** Output options: every command has them. */
    private void output(CommandSpec spec) {
        flag(spec, OUTPUT, "--json", "one JSON document on standard output, errors included, for scripts");
        flag(spec, OUTPUT, "--verbose", "stack traces on errors and the library's logs on standard error");
        OptionSpec help = OptionSpec.builder("--help", "-h").usageHelp(true).arity("0").description("this text").build();
        OptionSpec version = OptionSpec.builder("--version").versionHelp(true).arity("0")
                .description("print the version and exit").build();
        for (OptionSpec o : List.of(help, version)) {
            spec.addOption(o);
            sections.heading(o, OUTPUT);
        }
    }

    private void option(CommandSpec spec, String heading, String name, String label, String description) {
        add(spec, heading, OptionSpec.builder(name).paramLabel(label).arity("1").type(String.class)
                .description(description).build());
    }

    private void flag(CommandSpec spec, String heading, String name, String description) {
        add(spec, heading, OptionSpec.builder(name).arity("0").type(boolean.class).description(description).build());
    }

    private void add(CommandSpec spec, String heading, OptionSpec option) {
        spec.addOption(option);
        sections.heading(option, heading);
    }

    private static void positional(CommandSpec spec, String label, String description) {
        spec.addPositional(PositionalParamSpec.builder().index(String.valueOf(spec.positionalParameters().size()))
                .arity("0..1").paramLabel(label).type(String.class).description(description).build());
    }

    static void forEach(CommandLine c, Consumer<CommandLine> action) {
        action.accept(c);
        c.getSubcommands().values().forEach(s -> forEach(s, action));
    }
}
