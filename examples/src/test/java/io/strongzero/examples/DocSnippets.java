package io.strongzero.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks Markdown code blocks against the sources they mirror. A block is marked by an HTML comment on the line
 * before its opening fence:
 *
 * <ul>
 *   <li>{@code <!-- snippet: path/from/repo/root/File.java#name -->}: the block must equal the region between
 *       the lines containing {@code tag::name[]} and {@code end::name[]} in that file (lines with other tag
 *       markers left out), both with their common indentation stripped; without {@code #name}, the whole file;</li>
 *   <li>{@code <!-- illustrative: why -->}: not checked (say why in the text, too).</li>
 * </ul>
 * Every {@code java} block must carry one of the two. Stateless.
 */
final class DocSnippets {

    static final Pattern SNIPPET = Pattern.compile("^\\s*<!--\\s*snippet:\\s*([^#\\s]+)(?:#(\\S+))?\\s*-->\\s*$");
    static final Pattern ILLUSTRATIVE = Pattern.compile("^\\s*<!--\\s*illustrative:.*-->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*(\\S*)\\s*$");

    private DocSnippets() {
    }

    /** A fenced code block: where it is, its language, its marker line (or null) and its lines. */
    record Block(String file, int line, String language, String marker, List<String> lines) {
        String where() {
            return file + ":" + line;
        }
    }

    /** The fenced blocks of a Markdown text. */
    static List<Block> blocks(String file, String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i;
            List<String> body = new ArrayList<>();
            for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
                body.add(lines.get(i));
            }
            String before = start > 0 ? lines.get(start - 1) : "";
            String marker = SNIPPET.matcher(before).matches() || ILLUSTRATIVE.matcher(before).matches() ? before : null;
            out.add(new Block(file, start + 1, open.group(1), marker, body));
        }
        return out;
    }

    /** Snippet markers that are not directly followed by a fenced block. */
    static List<String> danglingMarkers(String file, String markdown) {
        List<String> lines = markdown.lines().toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if ((SNIPPET.matcher(lines.get(i)).matches() || ILLUSTRATIVE.matcher(lines.get(i)).matches())
                    && (i + 1 >= lines.size() || !FENCE.matcher(lines.get(i + 1)).matches())) {
                out.add(file + ":" + (i + 1) + ": a snippet marker must be directly followed by a ``` fence");
            }
        }
        return out;
    }

    /** Problems with one block: a mismatch with its source, a missing tag, or a java block without a marker. */
    static List<String> check(Block block, Path root) {
        List<String> problems = new ArrayList<>();
        if (block.marker() == null) {
            if (block.language().equals("java")) {
                problems.add(block.where() + ": a java block needs <!-- snippet: path#tag --> or <!-- illustrative: why -->"
                        + " on the line before it");
            }
            return problems;
        }
        Matcher m = SNIPPET.matcher(block.marker());
        if (!m.matches()) {
            return problems;                               // illustrative
        }
        Path source = root.resolve(m.group(1));
        if (!Files.isRegularFile(source)) {
            problems.add(block.where() + ": snippet source " + m.group(1) + " does not exist");
            return problems;
        }
        List<String> expected;
        try {
            expected = region(Files.readAllLines(source), m.group(2));
        } catch (IllegalArgumentException e) {
            problems.add(block.where() + ": " + m.group(1) + ": " + e.getMessage());
            return problems;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> actual = dedent(block.lines());
        if (!actual.equals(expected)) {
            problems.add(block.where() + ": the block differs from " + m.group(1) + (m.group(2) == null ? "" : "#"
                    + m.group(2)) + firstDifference(expected, actual) + "\n--- expected (from the source):\n"
                    + String.join("\n", expected) + "\n--- found in the Markdown:\n" + String.join("\n", actual));
        }
        return problems;
    }

    /** The tagged region {@code tag} of a file's lines (the whole file if tag is null), dedented. */
    static List<String> region(List<String> lines, String tag) {
        if (tag == null) {
            return dedent(lines);
        }
        String start = "tag::" + tag + "[]";
        String end = "end::" + tag + "[]";
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(start)) {
                if (from >= 0) {
                    throw new IllegalArgumentException("tag " + tag + " starts twice (lines " + (from + 1) + " and "
                            + (i + 1) + ")");
                }
                from = i;
            } else if (lines.get(i).contains(end)) {
                to = i;
            }
        }
        if (from < 0 || to < 0 || to < from) {
            throw new IllegalArgumentException("no region between " + start + " and " + end);
        }
        List<String> region = new ArrayList<>();
        for (String line : lines.subList(from + 1, to)) {
            if (!line.contains("tag::") && !line.contains("end::")) {
                region.add(line);
            }
        }
        if (region.stream().allMatch(String::isBlank)) {
            throw new IllegalArgumentException("region " + tag + " is empty");
        }
        return dedent(region);
    }

    /** Strips trailing blanks, leading and trailing empty lines, and the common indentation of the other lines. */
    static List<String> dedent(List<String> lines) {
        List<String> out = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
        while (!out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        int indent = out.stream().filter(l -> !l.isEmpty()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return out.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList();
    }

    private static String firstDifference(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String e = i < expected.size() ? expected.get(i) : "(nothing)";
            String a = i < actual.size() ? actual.get(i) : "(nothing)";
            if (!e.equals(a)) {
                return " at its line " + (i + 1) + ":\n  source:   " + e + "\n  markdown: " + a;
            }
        }
        return "";
    }
}
