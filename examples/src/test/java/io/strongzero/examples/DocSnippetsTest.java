package io.strongzero.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every code block in README.md and docs/*.md that mirrors source code equals that code, and every java block
 * is either checked that way or labelled illustrative: the docs cannot drift from code that compiles (and that
 * the other tests of this module run).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DocSnippetsTest {

    @Test
    void everyMarkedBlockEqualsItsTaggedSourceAndEveryJavaBlockIsMarked() throws IOException {
        Path root = repositoryRoot();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents(root)) {
            String file = root.relativize(doc).toString();
            String text = Files.readString(doc);
            problems.addAll(DocSnippets.danglingMarkers(file, text));
            for (DocSnippets.Block block : DocSnippets.blocks(file, text)) {
                problems.addAll(DocSnippets.check(block, root));
                if (block.marker() != null && DocSnippets.SNIPPET.matcher(block.marker()).matches()) {
                    checked++;
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n\n", problems));
        assertTrue(checked >= 20, "expected the docs to mirror at least 20 source regions but found " + checked);
    }

    @Test
    void aBlockThatDiffersFromItsSourceIsReported() throws IOException {
        Path root = repositoryRoot();
        String markdown = String.join("\n",
                "<!-- snippet: examples/src/main/java/io/strongzero/examples/UserProducerApp.java#send -->",
                "```java",
                "public FlakeId createUser(User user) {",
                "    return null;",
                "}",
                "```",
                "```java",
                "unmarked();",
                "```",
                "<!-- snippet: examples/src/main/java/io/strongzero/examples/UserProducerApp.java#no-such-tag -->",
                "```java",
                "x();",
                "```",
                "<!-- snippet: README.md -->",
                "text after a marker");
        List<String> problems = new ArrayList<>(DocSnippets.danglingMarkers("t.md", markdown));
        for (DocSnippets.Block block : DocSnippets.blocks("t.md", markdown)) {
            problems.addAll(DocSnippets.check(block, root));
        }
        assertEquals(4, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("t.md:14: a snippet marker must be directly followed"), problems.get(0));
        assertTrue(problems.get(1).startsWith("t.md:2: the block differs from"), problems.get(1));
        assertTrue(problems.get(2).startsWith("t.md:7: a java block needs"), problems.get(2));
        assertTrue(problems.get(3).contains("no region between tag::no-such-tag[] and end::no-such-tag[]"),
                problems.get(3));
    }

    @Test
    void regionsLeaveOutNestedMarkersAndCommonIndentation() {
        List<String> source = List.of(
                "class A {",
                "    // tag::outer[]",
                "    void a() {",
                "        // tag::inner[]",
                "        b();",
                "        // end::inner[]",
                "    }",
                "    // end::outer[]",
                "}");
        assertEquals(List.of("void a() {", "    b();", "}"), DocSnippets.region(source, "outer"));
        assertEquals(List.of("b();"), DocSnippets.region(source, "inner"));
        assertFalse(DocSnippets.region(source, null).isEmpty());
    }

    /** README.md and docs/*.md. */
    static List<Path> documents(Path root) throws IOException {
        List<Path> out = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** The directory with README.md and docs/, above the module's working directory. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no README.md with a docs/ directory above " + Path.of("").toAbsolutePath());
    }
}
