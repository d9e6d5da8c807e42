package io.strongzero.cli;

import io.strongzero.core.Dialect;
import io.strongzero.core.Names;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroException;
import io.strongzero.pump.JournalAdmin;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The commands on the producer's database (status, consumers, retention) and schema. */
final class Commands {

    private static final String[] JOURNAL_COLUMNS = {"id", "pos", "msg_type", "content_type", "payload", "produced_at"};

    private final StrongZeroCli cli;
    private final Args args;
    private final PrintStream out;

    /** The state shown for a consumer whose stored state is ACTIVE but that has not pulled for --idle-after. */
    static final String IDLE = "IDLE";

    Commands(StrongZeroCli cli, Args args) {
        this.cli = cli;
        this.args = args;
        this.out = cli.out();
    }

    /** Opens the producer's database and checks its tables. */
    private JournalAdmin journal(String command, Database[] opened) {
        Database db = Database.open(command, args, cli.env());
        db.requireTable(Schema.Side.PRODUCER, "journal", JOURNAL_COLUMNS);
        db.requireTable(Schema.Side.PRODUCER, "sequencer", "name", "last_pos", "owner", "updated_at");
        db.requireTable(Schema.Side.PRODUCER, "consumer", "consumer_name", "pos", "last_seen", "state");
        opened[0] = db;
        return new JournalAdmin(db, db.dialect, db.prefix, cli.clock());
    }

    // --- status --------------------------------------------------------------------------------------

    void status() {
        Duration idleAfter = idleAfter("status");
        Database[] db = new Database[1];
        JournalAdmin.Status s = journal("status", db).status();
        long now = cli.clock().millis();
        if (cli.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("database", db[0].redact(db[0].url));
            doc.put("dialect", db[0].dialect.shortName());
            doc.put("journal", db[0].prefix + "journal");
            doc.put("rows", s.rows());
            doc.put("unsequenced", s.unsequenced());
            doc.put("head", s.head());
            doc.put("minPosition", s.minPosition());
            doc.put("sequencerOwner", s.sequencerOwner());
            doc.put("lastStampedAt", s.sequencerUpdated() > 0 ? Instant.ofEpochMilli(s.sequencerUpdated()).toString() : null);
            doc.put("idleAfterMillis", idleAfter.toMillis());
            doc.put("consumers", consumersJson(s.consumers(), now, idleAfter));
            cli.printJson(doc);
            return;
        }
        out.println("journal " + db[0].prefix + "journal at " + db[0].redact(db[0].url) + " (" + db[0].dialect.shortName() + ")");
        Table t = new Table("", "");
        t.row("rows", s.rows());
        t.row("unsequenced", s.unsequenced() + (s.unsequenced() > 0 ? " (committed, waiting for a position)" : ""));
        t.row("head", s.head());
        t.row("min position", s.rows() == 0 || s.minPosition() == 0 ? "- (no positioned rows)"
                : s.minPosition() + (s.minPosition() > 1 ? " (positions before it were deleted by retention)" : ""));
        t.row("sequencer", s.sequencerOwner() == null ? "never stamped"
                : s.sequencerOwner() + ", last stamped " + when(s.sequencerUpdated(), now));
        t.print(out, "  ");
        printConsumers(s.consumers(), now, idleAfter);
    }

    /** --idle-after, or its default. */
    private Duration idleAfter(String command) {
        String text = args.get("idle-after") == null ? CommandTree.DEFAULT_IDLE_AFTER : args.get("idle-after");
        Duration d = duration(command, "idle-after", text);
        if (d.isZero()) {
            throw new UsageException(command, "--idle-after must be longer than 0 but was '" + text + "'");
        }
        return d;
    }

    /**
     * The state to show: the stored one, but IDLE for an ACTIVE consumer whose last pull the producer recorded
     * longer than {@code idleAfter} before {@code now}, or never. Any other state (REGISTERED, GONE, or one a
     * newer producer writes) is shown by its name.
     */
    static String effectiveState(JournalAdmin.ConsumerProgress c, long now, Duration idleAfter) {
        if (c.idle(now, idleAfter)) {
            return IDLE;
        }
        return c.state().name();
    }

    private void printConsumers(List<JournalAdmin.ConsumerProgress> consumers, long now, Duration idleAfter) {
        if (consumers.isEmpty()) {
            out.println("consumers: none yet (a consumer appears after its first pull, or with 'consumers register')");
            return;
        }
        out.println("consumers (" + consumers.size() + ")");
        Table t = new Table("NAME", "STATE", "POSITION", "LAG", "LAG TIME", "LAST PULL");
        for (JournalAdmin.ConsumerProgress c : consumers) {
            t.row(c.name(), effectiveState(c, now, idleAfter)
                    + (c.state() == JournalAdmin.ConsumerState.GONE ? " (ignored by retention)" : ""),
                    c.position(), c.lagMessages(), c.lagMessages() == 0 ? "0" : c.lagMillis() > 0 ? Durations.human(c.lagMillis()) : "-",
                    c.lastSeen() == 0 ? "never" : when(c.lastSeen(), now));
        }
        t.print(out, "  ");
    }

    private static String when(long epochMillis, long now) {
        if (epochMillis <= 0) {
            return "never";
        }
        long ago = Math.max(0, now - epochMillis);
        return Instant.ofEpochMilli(epochMillis) + " (" + Durations.human(ago) + " ago)";
    }

    private static List<Map<String, Object>> consumersJson(List<JournalAdmin.ConsumerProgress> consumers, long now,
                                                           Duration idleAfter) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (JournalAdmin.ConsumerProgress c : consumers) {
            list.add(consumerJson(c, now, idleAfter));
        }
        return list;
    }

    /** A consumer as JSON: "state" is the state shown (IDLE included), "storedState" the one in sz_consumer. */
    private static Map<String, Object> consumerJson(JournalAdmin.ConsumerProgress c, long now, Duration idleAfter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("state", effectiveState(c, now, idleAfter));
        m.put("storedState", c.state().name());
        m.put("position", c.position());
        m.put("lagMessages", c.lagMessages());
        m.put("lagMillis", c.lagMillis());
        m.put("lastPull", c.lastSeen() > 0 ? Instant.ofEpochMilli(c.lastSeen()).toString() : null);
        return m;
    }

    // --- consumers -----------------------------------------------------------------------------------

    void consumersList() {
        Duration idleAfter = idleAfter("consumers");
        Database[] db = new Database[1];
        List<JournalAdmin.ConsumerProgress> consumers = journal("consumers", db).consumers();
        long now = cli.clock().millis();
        if (cli.json()) {
            cli.printJson(StrongZeroCli.doc("idleAfterMillis", idleAfter.toMillis(),
                    "consumers", consumersJson(consumers, now, idleAfter)));
        } else {
            printConsumers(consumers, now, idleAfter);
        }
    }

    private String consumerName(String sub) {
        String name = args.word(2);
        if (name == null) {
            throw new UsageException("consumers", "consumers " + sub + " needs the consumer's name");
        }
        if (!Names.isValid(name)) {
            throw new UsageException("consumers", "a consumer name must be " + Names.rule() + " but was '" + name + "'");
        }
        return name;
    }

    private static JournalAdmin.ConsumerProgress find(List<JournalAdmin.ConsumerProgress> all, String name) {
        for (JournalAdmin.ConsumerProgress c : all) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    void consumersRegister() {
        String name = consumerName("register");
        long position = args.number("consumers", "position", 0, 0, Long.MAX_VALUE);
        Database[] db = new Database[1];
        JournalAdmin admin = journal("consumers", db);
        JournalAdmin.ConsumerProgress before = find(admin.consumers(), name);
        boolean changed = before == null || !before.state().holdsRetention();
        if (changed) {
            admin.registerConsumer(name, position);
        }
        JournalAdmin.ConsumerProgress after = find(admin.consumers(), name);
        if (after == null) {
            throw new CliFailure("consumer " + name + " was registered but is not in " + db[0].prefix + "consumer");
        }
        if (cli.json()) {
            Map<String, Object> doc = consumerJson(after, cli.clock().millis(), idleAfter("consumers"));
            doc.put("changed", changed);
            cli.printJson(doc);
        } else if (changed) {
            out.println("registered consumer " + name + " at position " + after.position() + ": retention keeps every "
                    + "message after position " + after.position() + " until it pulls past them");
        } else {
            out.println("consumer " + name + " is already known (" + after.state() + ", position " + after.position()
                    + "): nothing changed");
        }
    }

    void consumersRemove() {
        String name = consumerName("remove");
        Database[] db = new Database[1];
        JournalAdmin admin = journal("consumers", db);
        if (!admin.removeConsumer(name)) {
            List<String> known = new ArrayList<>();
            admin.consumers().forEach(c -> known.add(c.name()));
            throw new CliFailure("the producer knows no consumer named " + name + " (no row in " + db[0].prefix
                    + "consumer at " + db[0].redact(db[0].url) + "); known consumers: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)));
        }
        JournalAdmin.ConsumerProgress after = find(admin.consumers(), name);
        if (cli.json()) {
            Map<String, Object> doc = after == null ? new LinkedHashMap<>(Map.of("name", name))
                    : consumerJson(after, cli.clock().millis(), idleAfter("consumers"));
            doc.put("changed", true);
            cli.printJson(doc);
        } else {
            out.println("consumer " + name + " is GONE: retention no longer waits for it. If it pulls again it stays "
                    + "GONE until 'consumers register " + name + "'; once its messages are deleted it gets POSITION_EXPIRED");
        }
    }

    // --- retention -----------------------------------------------------------------------------------

    void retention() {
        Duration min = duration("retention", "min", args.require("retention", "min", "<duration> (for example 1h)"));
        Duration max = args.get("max") == null ? null : duration("retention", "max", args.get("max"));
        if (max != null && max.compareTo(min) < 0) {
            throw new UsageException("retention", "--max (" + args.get("max") + ") cannot be shorter than --min ("
                    + args.get("min") + ")");
        }
        int chunk = (int) args.number("retention", "chunk", 1000, 1, 100_000);
        Database[] db = new Database[1];
        JournalAdmin admin = journal("retention", db);
        JournalAdmin.Status before = admin.status();
        JournalAdmin.RetentionResult r = admin.cleanUp(min, max, chunk);
        JournalAdmin.Status after = admin.status();
        if (cli.json()) {
            cli.printJson(StrongZeroCli.doc("deletedRows", r.deletedRows(), "deletedUpTo", r.deletedUpTo(),
                    "consumersOverrun", r.consumersOverrun(), "minPosition", after.minPosition(), "head", after.head(),
                    "rows", after.rows()));
            return;
        }
        if (r.deletedRows() > 0) {
            out.println("deleted " + r.deletedRows() + " journal rows (positions up to " + r.deletedUpTo()
                    + ") in transactions of at most " + chunk + " positions");
        } else {
            JournalAdmin.ConsumerProgress slowest = null;
            for (JournalAdmin.ConsumerProgress c : before.consumers()) {
                if (c.state().holdsRetention() && (slowest == null || c.position() < slowest.position())) {
                    slowest = c;
                }
            }
            out.println("nothing to delete: rows go once every ACTIVE or REGISTERED consumer has pulled past them and they "
                    + "are older than --min " + args.get("min") + (slowest == null
                    ? " (no consumer is known: only --max deletes then)"
                    : " (slowest consumer: " + slowest.name() + " at position " + slowest.position() + ")"));
        }
        out.println("the journal holds " + after.rows() + " rows" + (after.rows() > 0
                ? ", positions " + after.minPosition() + ".." + after.head() : "") + "");
        if (!r.consumersOverrun().isEmpty()) {
            out.println("WARNING: consumers " + String.join(", ", r.consumersOverrun()) + " had not pulled the deleted rows "
                    + "(older than --max " + args.get("max") + "): they get POSITION_EXPIRED and must be resynchronized");
        }
    }

    private static Duration duration(String command, String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command, "--" + option + ": " + e.getMessage());
        }
    }

    // --- schema --------------------------------------------------------------------------------------

    void schema() {
        Dialect dialect;
        try {
            dialect = Dialect.fromName(args.require("schema", "dialect", "h2|postgresql|mariadb"));
        } catch (StrongZeroException e) {
            throw new UsageException("schema", "--dialect " + e.getMessage().replace("dialect must", "must"));
        }
        String prefix = args.get("prefix") == null ? Schema.DEFAULT_PREFIX : args.get("prefix");
        try {
            Schema.validatePrefix(prefix);
        } catch (StrongZeroException e) {
            throw new UsageException("schema", "--prefix: " + e.getMessage());
        }
        List<Schema.Side> sides;
        String side = args.get("side");
        if (side == null) {
            sides = List.of(Schema.Side.PRODUCER, Schema.Side.CONSUMER);
        } else if ("producer".equalsIgnoreCase(side) || "consumer".equalsIgnoreCase(side)) {
            sides = List.of(Schema.Side.valueOf(side.toUpperCase(Locale.ROOT)));
        } else {
            throw new UsageException("schema", "--side must be producer or consumer but was '" + side + "'");
        }
        if (cli.json()) {
            List<Map<String, Object>> scripts = new ArrayList<>();
            for (Schema.Side s : sides) {
                String ddl = Schema.ddl(dialect, s, prefix);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("side", s.name().toLowerCase(Locale.ROOT));
                m.put("resource", Schema.resource(dialect, s));
                m.put("ddl", ddl);
                m.put("statements", Schema.statements(ddl));
                scripts.add(m);
            }
            cli.printJson(StrongZeroCli.doc("dialect", dialect.shortName(), "prefix", prefix, "scripts", scripts));
            return;
        }
        for (int i = 0; i < sides.size(); i++) {
            Schema.Side s = sides.get(i);
            if (i > 0) {
                out.println();
            }
            out.println("-- strongzero schema --dialect " + dialect.shortName() + " --side " + s.name().toLowerCase(Locale.ROOT)
                    + " --prefix " + prefix + " (" + (s == Schema.Side.PRODUCER ? "in the producer's database"
                    : "in the consumer's database") + ")");
            String ddl = Schema.ddl(dialect, s, prefix);
            out.print(ddl.endsWith("\n") ? ddl : ddl + "\n");
        }
    }
}
