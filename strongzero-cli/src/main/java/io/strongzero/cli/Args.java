package io.strongzero.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: words (the command, its sub-command and arguments) and options. Options may
 * stand anywhere, as {@code --name value} or {@code --name=value}; {@code --} ends the options. Which
 * options take a value is known up front, so that {@code --consumer members dlq list} parses the same
 * as {@code dlq list --consumer members}. Whether an option is allowed for the command is checked by
 * {@link #allowOnly(String, Set)} once the command is known. Immutable after parsing.
 */
final class Args {

    /** Options that take a value. */
    static final Set<String> VALUED = Set.of("jdbc", "user", "password-env", "prefix", "position", "min", "max",
            "chunk", "consumer", "producer", "type", "status", "limit", "reason", "dialect", "side");
    /** Options that are flags. */
    static final Set<String> FLAGS = Set.of("json", "verbose", "help", "payload");
    /** Flags every command accepts. */
    static final Set<String> GLOBAL_FLAGS = Set.of("json", "verbose", "help");

    final List<String> words;
    final Map<String, String> options;

    private Args(List<String> words, Map<String, String> options) {
        this.words = List.copyOf(words);
        this.options = Map.copyOf(options);
    }

    /** Parses a command line. @throws UsageException for an unknown option, a missing value or a repeated option */
    static Args parse(String[] argv) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        boolean onlyWords = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (onlyWords) {
                words.add(a);
            } else if ("--".equals(a)) {
                onlyWords = true;
            } else if ("-h".equals(a)) {
                options.put("help", "true");
            } else if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                String value;
                if (FLAGS.contains(name)) {
                    if (eq >= 0) {
                        throw new UsageException(null, "option --" + name + " takes no value");
                    }
                    value = "true";
                } else if (VALUED.contains(name)) {
                    if (eq >= 0) {
                        value = a.substring(eq + 1);
                    } else if (i + 1 < argv.length) {
                        value = argv[++i];
                    } else {
                        throw new UsageException(null, "option --" + name + " needs a value");
                    }
                } else {
                    throw new UsageException(null, "unknown option " + (eq < 0 ? a : a.substring(0, eq)));
                }
                if (options.containsKey(name)) {
                    throw new UsageException(null, "option --" + name + " is given twice");
                }
                options.put(name, value);
            } else if (a.startsWith("-") && a.length() > 1) {
                throw new UsageException(null, "unknown option " + a + " (options are written --name)");
            } else {
                words.add(a);
            }
        }
        return new Args(words, options);
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

    /** Refuses options the command does not take, and words beyond {@code maxWords}. */
    void allowOnly(String command, Set<String> allowed, int maxWords) {
        for (String name : options.keySet()) {
            if (!allowed.contains(name) && !GLOBAL_FLAGS.contains(name)) {
                throw new UsageException(command, command + " does not take --" + name);
            }
        }
        if (words.size() > maxWords) {
            throw new UsageException(command, "unexpected argument '" + words.get(maxWords) + "' for " + command);
        }
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
