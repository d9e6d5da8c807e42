package io.strongzero.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.DeadLetters;
import io.strongzero.consumer.FailureRecord;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Names;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.Schema;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code dlq list|show|replay|discard}: a consumer's dead letters, in the consumer's database. */
final class DeadLetterCommands {

    private static final String CMD = "dlq";
    private static final int FIND_LIMIT = 100_000;

    private final StrongZeroCli cli;
    private final Args args;
    private final PrintStream out;
    private String consumer;

    DeadLetterCommands(StrongZeroCli cli, Args args) {
        this.cli = cli;
        this.args = args;
        this.out = cli.out();
    }

    void run() {
        String sub = args.word(1);
        switch (sub) {
            case "list":
                list();
                break;
            case "show":
                show();
                break;
            case "replay":
                replay();
                break;
            case "discard":
                discard();
                break;
            default:
                throw new IllegalStateException("no dlq command " + sub);
        }
    }

    /**
     * Validates the options, then opens the consumer's database, checks its tables and that it knows the
     * consumer (and the producer, if --producer is given): a mistyped name fails instead of listing nothing.
     */
    private DeadLetters open() {
        consumer = args.require(CMD, "consumer", "NAME (the consumer's name)");
        if (!Names.isValid(consumer)) {
            throw new UsageException(CMD, "--consumer must be " + Names.rule() + " but was '" + consumer + "'");
        }
        Database db = Database.open(CMD, args, cli.env());
        db.requireTable(Schema.Side.CONSUMER, "dead_letter", "consumer_name", "producer_name", "message_id", "pos",
                "status", "errors");
        db.requireTable(Schema.Side.CONSUMER, "offset", "consumer_name", "producer_name", "lane", "lanes", "pos",
                "message_id");
        DeadLetters dlq = DeadLetters.open(db, consumer, db.prefix);
        KnownNames.requireConsumer(db, dlq, consumer);
        if (args.get("producer") != null) {
            KnownNames.requireProducer(db, dlq, consumer, args.get("producer"));
        }
        return dlq;
    }

    private FlakeId id() {
        String text = args.word(2);
        if (text == null) {
            throw new UsageException(CMD, "dlq " + args.word(1) + " needs the dead letter's message id");
        }
        try {
            return FlakeId.parse(text.trim());
        } catch (RuntimeException e) {
            throw new UsageException(CMD, "'" + text + "' is not a message id (32 hexadecimal digits, as 'dlq list' shows)");
        }
    }

    /** The dead letter with this id: of --producer if given, else the one among all the consumer's. */
    private DeadLetter find(DeadLetters dlq, FlakeId id) {
        String producer = args.get("producer");
        if (producer != null) {
            return dlq.get(producer, id).orElseThrow(() -> new CliFailure("consumer " + consumer
                    + " has no dead letter " + id + " from producer " + producer));
        }
        List<DeadLetter> found = new ArrayList<>();
        for (DeadLetter l : dlq.list(null, null, null, FIND_LIMIT)) {
            if (l.id().equals(id)) {
                found.add(l);
            }
        }
        if (found.isEmpty()) {
            throw new CliFailure("consumer " + consumer + " has no dead letter " + id + " ('strongzero dlq list --consumer "
                    + consumer + " --status all' lists them)");
        }
        if (found.size() > 1) {
            List<String> producers = new ArrayList<>();
            found.forEach(l -> producers.add(l.producer()));
            throw new UsageException(CMD, "dead letter " + id + " exists for producers " + producers + ": give --producer");
        }
        return found.get(0);
    }

    // --- list ----------------------------------------------------------------------------------------

    private void list() {
        String statusText = args.get("status") == null ? "open" : args.get("status").toLowerCase(Locale.ROOT);
        List<DeadLetter.Status> statuses;
        switch (statusText) {
            case "open":
                statuses = List.of(DeadLetter.Status.BLOCKING, DeadLetter.Status.REPLAY_REQUESTED, DeadLetter.Status.PARKED);
                break;
            case "all":
                statuses = null;
                break;
            default:
                try {
                    statuses = List.of(DeadLetter.Status.valueOf(statusText.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(CMD, "--status must be open, all, parked, blocking, replay_requested or "
                            + "discarded but was '" + args.get("status") + "'");
                }
        }
        int limit = (int) args.number(CMD, "limit", 100, 1, 10_000);
        DeadLetters dlq = open();
        String producer = args.get("producer");
        String type = args.get("type");
        List<DeadLetter> letters = new ArrayList<>();
        if (statuses == null) {
            letters.addAll(dlq.list(producer, type, null, limit));
        } else {
            for (DeadLetter.Status s : statuses) {
                letters.addAll(dlq.list(producer, type, s, limit - letters.size()));
                if (letters.size() >= limit) {
                    break;
                }
            }
            letters.sort(java.util.Comparator.comparing(DeadLetter::producer).thenComparingLong(DeadLetter::position));
        }
        if (cli.json()) {
            List<Map<String, Object>> list = new ArrayList<>();
            letters.forEach(l -> list.add(summary(l)));
            cli.printJson(StrongZeroCli.doc("consumer", consumer, "status", statusText, "deadLetters", list,
                    "truncated", letters.size() >= limit));
            return;
        }
        String which = "open".equals(statusText) ? "open " : "all".equals(statusText) ? "" : statusText.toUpperCase(Locale.ROOT) + " ";
        if (letters.isEmpty()) {
            out.println("consumer " + consumer + " has no " + which + "dead letters"
                    + (producer == null ? "" : " from producer " + producer) + (type == null ? "" : " of type " + type));
            return;
        }
        out.println(which.isEmpty() ? "dead letters of consumer " + consumer + " (" + letters.size() + ")"
                : which + "dead letters of consumer " + consumer + " (" + letters.size() + ")");
        Table t = new Table("PRODUCER", "POSITION", "ID", "TYPE", "STATUS", "ATTEMPTS", "LAST FAILED", "LAST ERROR");
        for (DeadLetter l : letters) {
            t.row(l.producer(), l.position(), l.id(), l.type(), l.status(), l.attempts(), l.lastFailedAt(),
                    shorten(lastError(l), 80));
        }
        t.print(out, "  ");
        if (letters.size() >= limit) {
            out.println("(the first " + limit + " are shown: raise --limit for more)");
        }
    }

    private static String lastError(DeadLetter l) {
        if (l.errors().isEmpty()) {
            return null;
        }
        FailureRecord f = l.errors().get(l.errors().size() - 1);
        String cls = f.exceptionClass();
        return cls.substring(cls.lastIndexOf('.') + 1) + ": " + f.message();
    }

    private static String shorten(String s, int max) {
        if (s == null) {
            return null;
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }

    private static Map<String, Object> summary(DeadLetter l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("consumer", l.consumer());
        m.put("producer", l.producer());
        m.put("id", l.id().toString());
        m.put("position", l.position());
        m.put("type", l.type());
        m.put("key", l.key());
        m.put("status", l.status().name());
        m.put("attempts", l.attempts());
        m.put("firstFailedAt", String.valueOf(l.firstFailedAt()));
        m.put("lastFailedAt", String.valueOf(l.lastFailedAt()));
        m.put("lastError", lastError(l));
        m.put("discardReason", l.discardReason());
        return m;
    }

    // --- show ----------------------------------------------------------------------------------------

    private void show() {
        FlakeId id = id();
        DeadLetters dlq = open();
        DeadLetter l = find(dlq, id);
        boolean payload = args.has("payload");
        if (cli.json()) {
            Map<String, Object> doc = summary(l);
            doc.put("contentType", l.contentType());
            doc.put("producedAt", String.valueOf(l.producedAt()));
            doc.put("payloadBytes", l.payload().length);
            doc.put("headerNames", List.copyOf(l.headers().keySet()));
            if (payload) {
                doc.put("headers", l.headers());
                doc.put("payload", payloadJson(l));
            }
            List<Map<String, Object>> history = new ArrayList<>();
            for (FailureRecord f : l.errors()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("attempt", f.attempt());
                m.put("at", String.valueOf(f.at()));
                m.put("exceptionClass", f.exceptionClass());
                m.put("message", f.message());
                m.put("stack", f.stack());
                history.add(m);
            }
            doc.put("errors", history);
            cli.printJson(doc);
            return;
        }
        out.println("dead letter " + l.id() + " of consumer " + l.consumer());
        Table t = new Table("", "");
        t.row("producer", l.producer());
        t.row("position", l.position());
        t.row("type", l.type());
        if (l.key() != null) {
            t.row("key", l.key());
        }
        if (!l.headers().isEmpty()) {
            // header values can carry tokens: printed with the payload only
            t.row("headers", payload ? l.headers().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "))
                    : String.join(", ", l.headers().keySet()) + " (--payload prints the values)");
        }
        t.row("status", l.status() + statusNote(l.status()));
        t.row("produced at", l.producedAt());
        t.row("payload", l.payload().length + " bytes, " + l.contentType() + (payload ? "" : " (--payload prints it)"));
        t.row("attempts", l.attempts() + ", first failed " + l.firstFailedAt() + ", last failed " + l.lastFailedAt());
        if (l.discardReason() != null) {
            t.row("discard reason", l.discardReason());
        }
        t.print(out, "  ");
        out.println("error history (" + l.errors().size() + " attempts kept: the first 5 and the last 15)");
        Table h = new Table("#", "AT", "ERROR");
        for (FailureRecord f : l.errors()) {
            h.row(f.attempt(), f.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), shorten(f.exceptionClass() + ": " + f.message(), 160));
        }
        h.print(out, "  ");
        if (!l.errors().isEmpty()) {
            out.println("stack of the last attempt (excerpt):");
            for (String line : l.errors().get(l.errors().size() - 1).stack().split("\n")) {
                out.println("  " + line);
            }
        }
        if (payload) {
            out.println("payload:");
            Object p = payloadJson(l);
            out.println(p instanceof JsonNode node ? node.toPrettyString() : p);
        }
    }

    private static String statusNote(DeadLetter.Status s) {
        switch (s) {
            case PARKED:
                return " (the stream went on; replay or discard it)";
            case BLOCKING:
                return " (the stream is stopped at it, or with lanes only its key, until it is replayed or discarded)";
            case REPLAY_REQUESTED:
                return " (the running consumer replays it within seconds)";
            default:
                return "";
        }
    }

    /** The payload as JSON if it decodes (json, msgpack), else base64 text. */
    private static Object payloadJson(DeadLetter l) {
        try {
            if (PayloadCodec.JSON.equals(l.contentType())) {
                return PayloadCodec.json().decode(l.payload(), JsonNode.class);
            }
            if (PayloadCodec.MSGPACK.equals(l.contentType())) {
                return PayloadCodec.msgpack().decode(l.payload(), JsonNode.class);
            }
        } catch (RuntimeException e) {
            // not decodable as its content type says: show the bytes
        }
        return "base64:" + Base64.getEncoder().encodeToString(l.payload());
    }

    // --- replay and discard --------------------------------------------------------------------------

    private void replay() {
        FlakeId id = id();
        DeadLetters dlq = open();
        DeadLetter l = find(dlq, id);
        String message;
        boolean changed = true;
        switch (l.status()) {
            case DISCARDED:
                throw new CliFailure("dead letter " + id + " was discarded (" + l.discardReason() + "); it cannot be replayed");
            case REPLAY_REQUESTED:
                changed = false;
                message = "replay of dead letter " + id + " was already requested; the running consumer replays it within "
                        + "seconds (or when it starts)";
                break;
            default:
                dlq.requestReplay(l.producer(), id);
                message = "replay of dead letter " + id + " (producer " + l.producer() + ", position " + l.position()
                        + ", type " + l.type() + ") requested; the running consumer replays it within seconds (or when "
                        + "it starts). Applied, it leaves 'dlq list'; failing again, it is " + l.status()
                        + " again with the failure in its history";
        }
        if (cli.json()) {
            Map<String, Object> doc = summary(l);
            doc.put("status", DeadLetter.Status.REPLAY_REQUESTED.name());
            doc.put("changed", changed);
            doc.put("message", "requested; the running consumer replays it within seconds");
            cli.printJson(doc);
        } else {
            out.println(message);
        }
    }

    private void discard() {
        FlakeId id = id();
        String reason = args.require(CMD, "reason", "TEXT (why it is discarded; kept with the row)");
        if (reason.length() > 1000) {
            throw new UsageException(CMD, "--reason must be at most 1000 characters but has " + reason.length());
        }
        DeadLetters dlq = open();
        DeadLetter l = find(dlq, id);
        if (l.status() == DeadLetter.Status.DISCARDED) {
            throw new CliFailure("dead letter " + id + " is already discarded (" + l.discardReason() + ")");
        }
        dlq.discard(l.producer(), id, reason);
        if (cli.json()) {
            Map<String, Object> doc = summary(l);
            doc.put("status", DeadLetter.Status.DISCARDED.name());
            doc.put("discardReason", reason);
            doc.put("streamResumed", l.status() == DeadLetter.Status.BLOCKING);
            cli.printJson(doc);
        } else {
            out.println("discarded dead letter " + id + " (consumer " + consumer + ", producer " + l.producer()
                    + ", position " + l.position() + ", type " + l.type() + "): " + reason
                    + (l.status() == DeadLetter.Status.BLOCKING ? "; the stream it blocked resumes within a second" : ""));
        }
    }
}
