package io.strongzero.it.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's record of what it did, one line per event, appended to a file with one {@code write}
 * each (a kill -9 cannot tear a line; it can only cut the file after a complete one):
 * <pre>
 * I tx id key seq     an item written inside transaction tx (its journal row and its business row)
 * C tx                commit() returned: committed
 * R tx                rolled back on purpose
 * A tx reason         a statement failed before commit: rolled back
 * F tx reason         commit() threw: in doubt
 * X tx committed|absent|partial   the writer's own resolution of an in-doubt commit (journal checked)
 * </pre>
 * A transaction with items and no outcome was cut short by a kill: in doubt as well. The driver decides
 * every in-doubt transaction by looking at the journal after the run; see docs/reliability.md.
 *
 * <p>Writing is thread-safe (one writer per process, several threads).
 */
final class Ledger implements AutoCloseable {

    enum Outcome {
        COMMITTED, ROLLED_BACK, ABORTED, IN_DOUBT, UNFINISHED
    }

    record Item(String id, String key, long seq) {
    }

    /** One transaction as the ledger tells it. */
    static final class Tx {
        final String tx;
        final List<Item> items = new ArrayList<>();
        Outcome outcome = Outcome.UNFINISHED;
        /** For IN_DOUBT: the writer's resolution ("committed", "absent", "partial"), or null if it had none. */
        String resolution;
        String reason;

        Tx(String tx) {
            this.tx = tx;
        }

        @Override
        public String toString() {
            return tx + " " + outcome + (resolution != null ? "/" + resolution : "") + (reason != null ? " (" + reason + ")" : "")
                    + " " + items;
        }
    }

    private final FileChannel channel;

    private Ledger(FileChannel channel) {
        this.channel = channel;
    }

    static Ledger append(Path file) throws IOException {
        return new Ledger(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    void intent(String tx, String id, String key, long seq) {
        line("I " + tx + " " + id + " " + key + " " + seq);
    }

    void committed(String tx) {
        line("C " + tx);
    }

    void rolledBack(String tx) {
        line("R " + tx);
    }

    void aborted(String tx, Throwable reason) {
        line("A " + tx + " " + oneLine(reason));
    }

    void inDoubt(String tx, Throwable reason) {
        line("F " + tx + " " + oneLine(reason));
    }

    void resolved(String tx, String resolution) {
        line("X " + tx + " " + resolution);
    }

    private static String oneLine(Throwable t) {
        String s = String.valueOf(t);
        s = s.replaceAll("[\\r\\n]+", " ");
        return s.length() > 300 ? s.substring(0, 300) : s;
    }

    private synchronized void line(String text) {
        ByteBuffer b = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the ledger", e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Reads ledgers into transactions, in the order they first appear. A torn last line is ignored. */
    static Map<String, Tx> read(Collection<Path> files) throws IOException {
        Map<String, Tx> out = new LinkedHashMap<>();
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue;
            }
            String text = Files.readString(f, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                continue;
            }
            for (String line : text.substring(0, end).split("\n")) {
                String[] p = line.split(" ", 3);
                if (p.length < 2) {
                    continue;
                }
                Tx tx = out.computeIfAbsent(p[1], Tx::new);
                switch (p[0]) {
                    case "I" -> {
                        String[] f2 = p[2].split(" ");
                        tx.items.add(new Item(f2[0], f2[1], Long.parseLong(f2[2])));
                    }
                    case "C" -> tx.outcome = Outcome.COMMITTED;
                    case "R" -> tx.outcome = Outcome.ROLLED_BACK;
                    case "A" -> {
                        tx.outcome = Outcome.ABORTED;
                        tx.reason = p.length > 2 ? p[2] : null;
                    }
                    case "F" -> {
                        tx.outcome = Outcome.IN_DOUBT;
                        tx.reason = p.length > 2 ? p[2] : null;
                    }
                    case "X" -> tx.resolution = p.length > 2 ? p[2] : null;
                    default -> throw new IOException("unknown ledger line in " + f + ": " + line);
                }
            }
        }
        return out;
    }
}
