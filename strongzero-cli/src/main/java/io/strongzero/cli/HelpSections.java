package io.strongzero.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The parts of the help that picocli does not lay out as the CLI wants: a command's options under three
 * headings (its own, connection, output), and the general help's commands grouped by the database they work
 * on. Filled while {@link CommandTree} builds the model; not thread-safe.
 */
final class HelpSections {

    static final String OPTIONS = "Options:%n";
    static final String CONNECTION = "Connection options:%n";
    static final String OUTPUT = "Output options:%n";

    private static final String COMMAND_GROUPS = "commandGroups";
    /** The general help's groups: a heading, then command paths. Every command must be in one. */
    private static final String[][] GROUPS = {
        {"Against the producer's database:", "status", "consumers list", "consumers register", "consumers remove",
            "retention run"},
        {"Against the consumer's database (--consumer NAME):", "dlq list", "dlq show", "dlq replay", "dlq discard"},
        {"Without a database:", "schema", "keys generate", "keys public", "completion", "help"},
    };
    private static final int BRIEF_COLUMN = 45;

    /** Under which heading each option is listed (the others under "Options:"). */
    private final Map<OptionSpec, String> headings = new IdentityHashMap<>();
    /** Per command path: its short form and one line, for the general help. */
    private final Map<String, String[]> briefs = new LinkedHashMap<>();

    void heading(OptionSpec option, String heading) {
        headings.put(option, heading);
    }

    void brief(String path, String brief, String line) {
        briefs.put(path, new String[] {brief, line});
    }

    /** The paths of the commands that do something, in the order they were added. */
    List<String> paths() {
        return new ArrayList<>(briefs.keySet());
    }

    /**
     * Sets a command's help sections: synopsis, description, arguments, options under their headings, sub-commands
     * and footer; for the general help also the header and the grouped commands instead of the sub-commands,
     * and the connection options that {@code connectionOptions} supplies.
     */
    void install(UsageMessageSpec u, boolean general, Supplier<List<OptionSpec>> connectionOptions) {
        List<String> keys = new ArrayList<>(List.of(UsageMessageSpec.SECTION_KEY_HEADER_HEADING,
                UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING, UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                UsageMessageSpec.SECTION_KEY_DESCRIPTION_HEADING, UsageMessageSpec.SECTION_KEY_DESCRIPTION,
                UsageMessageSpec.SECTION_KEY_PARAMETER_LIST_HEADING, UsageMessageSpec.SECTION_KEY_PARAMETER_LIST,
                UsageMessageSpec.SECTION_KEY_OPTION_LIST, UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
                UsageMessageSpec.SECTION_KEY_COMMAND_LIST, UsageMessageSpec.SECTION_KEY_FOOTER_HEADING,
                UsageMessageSpec.SECTION_KEY_FOOTER));
        if (general) {
            keys.add(1, UsageMessageSpec.SECTION_KEY_HEADER);
            keys.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
            keys.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
            keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST), COMMAND_GROUPS);
        }
        u.sectionKeys(keys);
        Map<String, CommandLine.IHelpSectionRenderer> renderers = new LinkedHashMap<>(u.sectionMap());
        renderers.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> optionList(help, general
                ? connectionOptions.get() : List.of(), general));
        renderers.put(COMMAND_GROUPS, help -> commandGroups());
        u.sectionMap(renderers);
    }

    /** The options under their headings: the command's own, then connection options, then output options. */
    private String optionList(Help help, List<OptionSpec> more, boolean general) {
        List<OptionSpec> options = new ArrayList<>(more);
        options.addAll(help.commandSpec().options());
        StringBuilder sb = new StringBuilder();
        for (String heading : List.of(OPTIONS, CONNECTION, OUTPUT)) {
            if (general && OPTIONS.equals(heading)) {
                continue; // the general help shows the options every command shares, not those of status
            }
            Help.Layout layout = help.createDefaultLayout();
            boolean any = false;
            Set<String> seen = new TreeSet<>();
            for (OptionSpec o : options) {
                if (!o.hidden() && heading.equals(headings.getOrDefault(o, OPTIONS)) && seen.add(o.longestName())) {
                    layout.addOption(o, help.createDefaultParamLabelRenderer());
                    any = true;
                }
            }
            if (any) {
                sb.append(String.format("%n" + heading)).append(layout);
            }
        }
        return sb.toString();
    }

    /** The general help's list of commands, grouped by the database they work on. */
    private String commandGroups() {
        StringBuilder sb = new StringBuilder();
        int listed = 0;
        for (String[] group : GROUPS) {
            sb.append(sb.length() == 0 ? "" : String.format("%n")).append(group[0]).append(String.format("%n"));
            for (int i = 1; i < group.length; i++) {
                String[] brief = briefs.get(group[i]);
                if (brief == null) {
                    throw new IllegalStateException("the general help names a command that does not exist: " + group[i]);
                }
                String left = "  " + brief[0];
                if (left.length() >= BRIEF_COLUMN) {
                    sb.append(left).append(String.format("%n")).append(" ".repeat(BRIEF_COLUMN));
                } else {
                    sb.append(left).append(" ".repeat(BRIEF_COLUMN - left.length()));
                }
                sb.append(brief[1]).append(String.format("%n"));
                listed++;
            }
        }
        if (listed != briefs.size()) {
            throw new IllegalStateException("the general help does not list every command: " + briefs.keySet());
        }
        return sb.toString();
    }
}
