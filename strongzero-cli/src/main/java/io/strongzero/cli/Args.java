package io.strongzero.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A parsed command line: words (the command path, such as {@code dlq list}, then its arguments) and
 * options, parsed by picocli against a {@link CommandTree}, which knows which options each command takes.
 * Options may stand anywhere, as {@code --name value} or {@code --name=value}; {@code --} ends the options:
 * the command words are moved to the front before picocli parses, so that {@code --consumer members dlq list}
 * parses the same as {@code dlq list --consumer members}. picocli's errors become {@link UsageException}s
 * with the CLI's own messages. Immutable after parsing.
 */
final class Args {

    final List<String> words;
    final Map<String, String> options;
    /** The command path: "dlq list", "status"; "" for none. */
    final String command;
    final boolean helpRequested;
    final boolean versionRequested;

    private Args(List<String> words, Map<String, String> options, String command, boolean help, boolean version) {
        this.words = List.copyOf(words);
        this.options = Map.copyOf(options);
        this.command = command;
        this.helpRequested = help;
        this.versionRequested = version;
    }

    /** Parses a command line against a fresh tree (for tests). */
    static Args parse(String[] argv) {
        return parse(new CommandTree(StrongZeroCli.version()), argv);
    }

    /**
     * Parses a command line.
     *
     * @throws UsageException for an unknown command or option, an option the command does not take, a missing
     *                        value, a repeated option or an unexpected argument
     */
    static Args parse(CommandTree tree, String[] argv) {
        ParseResult result;
        try {
            result = tree.commandLine.parseArgs(commandFirst(tree, argv));
        } catch (ParameterException e) {
            throw translate(tree, e);
        }
        List<String> words = new ArrayList<>();
        boolean help = result.isUsageHelpRequested();
        boolean version = result.isVersionHelpRequested();
        while (result.hasSubcommand()) {
            result = result.subcommand();
            words.add(result.commandSpec().name());
            help |= result.isUsageHelpRequested();
            version |= result.isVersionHelpRequested();
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (OptionSpec o : result.matchedOptions()) {
            List<String> values = o.stringValues();
            options.put(o.longestName().substring(o.longestName().startsWith("--") ? 2 : 1),
                    o.arity().max() == 0 || values.isEmpty() ? "true" : values.get(0));
        }
        for (PositionalParamSpec p : result.matchedPositionals()) {
            words.addAll(p.stringValues());
        }
        return new Args(words, options, CommandTree.path(result.commandSpec()), help, version);
    }

    /** {@code argv} with the command words (the first words that name a command and its sub-command) in front. */
    private static String[] commandFirst(CommandTree tree, String[] argv) {
        List<String> path = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        CommandLine current = tree.commandLine;
        boolean descending = true;
        boolean onlyWords = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (onlyWords) {
                rest.add(a);
            } else if ("--".equals(a)) {
                onlyWords = true;
                rest.add(a);
            } else if (a.startsWith("-") && a.length() > 1) {
                rest.add(a);
                if (a.indexOf('=') < 0 && tree.takesValue(a) && i + 1 < argv.length) {
                    rest.add(argv[++i]);
                }
            } else if (descending && current.getSubcommands().containsKey(a)) {
                path.add(a);
                current = current.getSubcommands().get(a);
            } else {
                descending = false;
                rest.add(a);
            }
        }
        path.addAll(rest);
        return path.toArray(new String[0]);
    }

    /** picocli's complaint as the CLI's message, with the command whose usage to show. */
    private static UsageException translate(CommandTree tree, ParameterException e) {
        CommandLine where = e.getCommandLine();
        String path = CommandTree.path(where.getCommandSpec());
        String command = path.isEmpty() ? null : path;
        boolean group = !where.getSubcommands().isEmpty();
        if (e instanceof UnmatchedArgumentException && !((UnmatchedArgumentException) e).getUnmatched().isEmpty()) {
            String first = ((UnmatchedArgumentException) e).getUnmatched().get(0);
            if (first.startsWith("-") && first.length() > 1) {
                String name = first.indexOf('=') < 0 ? first : first.substring(0, first.indexOf('='));
                if (!name.startsWith("--")) {
                    return new UsageException(command, "unknown option " + name + " (options are written --name)");
                }
                if (!tree.isOption(name)) {
                    return new UsageException(command, "unknown option " + name);
                }
                if (command == null) {
                    return new UsageException(null, "no command given");
                }
                if (group) {
                    return new UsageException(command, path + " needs " + CommandTree.choices(where));
                }
                return new UsageException(command, path + " does not take " + name);
            }
            if (command == null) {
                return new UsageException(null, "unknown command '" + first + "'");
            }
            if (group) {
                return new UsageException(command, "unknown " + path + " command '" + first + "': "
                        + CommandTree.choices(where));
            }
            return new UsageException(command, "unexpected argument '" + first + "' for " + path);
        }
        if (e instanceof OverwrittenOptionException) {
            return new UsageException(command, "option " + name(((OverwrittenOptionException) e).getOverwritten())
                    + " is given twice");
        }
        if (e instanceof MissingParameterException && !((MissingParameterException) e).getMissing().isEmpty()) {
            return new UsageException(command, "option " + name(((MissingParameterException) e).getMissing().get(0))
                    + " needs a value");
        }
        if (e instanceof MaxValuesExceededException) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("option '(--[^']+)'").matcher(e.getMessage());
            String name = e.getArgSpec() instanceof OptionSpec ? name(e.getArgSpec()) : m.find() ? m.group(1) : null;
            if (name != null) {
                return new UsageException(command, "option " + name + " takes no value");
            }
        }
        return new UsageException(command, e.getMessage());
    }

    private static String name(ArgSpec spec) {
        return spec instanceof OptionSpec ? ((OptionSpec) spec).longestName() : spec.paramLabel();
    }

    /** True if a flag (or an option) was given. */
    boolean has(String name) {
        return options.containsKey(name);
    }

    /** An option's value, or null. */
    String get(String name) {
        return options.get(name);
    }

    /** An option's value. @throws UsageException naming the command if it is missing or blank */
    String require(String command, String name, String what) {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new UsageException(command, command + " needs --" + name + " " + what);
        }
        return v;
    }

    /** The word at {@code index}, or null. */
    String word(int index) {
        return index < words.size() ? words.get(index) : null;
    }

    /** A non-negative whole number option, or {@code dflt} if absent. */
    long number(String command, String name, long dflt, long min, long max) {
        String v = options.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new UsageException(command, "--" + name + " must be between " + min + " and " + max + " but was " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(command, "--" + name + " must be a whole number but was '" + v + "'");
        }
    }
}
