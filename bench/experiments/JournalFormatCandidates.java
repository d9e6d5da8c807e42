import java.sql.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/**
 * The journal-format candidates of issue 15, on PostgreSQL, without StrongZero around them: two writer threads insert
 * one message per transaction for a number of seconds while one "pump" thread stamps committed rows under a
 * sequencer row lock (batches of up to 1,000) and one "producer" thread reads the positioned rows in order; then one
 * thread reads everything from position 0 (catch-up). Prints the writers' rate, what was stamped and read, and the
 * catch-up rate.
 *
 * <pre>
 * java -cp ~/.m2/repository/org/postgresql/postgresql/42.7.4/postgresql-42.7.4.jar  *      bench/experiments/JournalFormatCandidates.java MODE SECONDS
 * </pre>
 *
 * MODE: raw (plain inserts, no pump: the baseline), A (format 1: 32-hex-character text id, stamping UPDATE sets pos),
 * A16 (format 2: the same with the id as 16 bytes), B (a narrow pending table written by the sender in the same
 * statement, a narrow positions table keyed by position: the message row is never rewritten), U (B with uuid
 * columns), C (pending table plus one row per stamping batch listing its ids). Uses the database test on
 * 127.0.0.1:5432 as postgres; drops and creates tables named f*.
 */
public class JournalFormatCandidates {
    static String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final byte[] PAYLOAD = new byte[200];
    static final AtomicLong seq = new AtomicLong(System.currentTimeMillis() << 20);

    static byte[] id() { long v = seq.incrementAndGet(); byte[] b = new byte[16]; for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (56 - 8 * i)); b[15] = 1; return b; }
    static String hex(byte[] b) { StringBuilder s = new StringBuilder(); for (byte x : b) s.append(String.format("%02x", x)); return s.toString(); }

    static int readC(Connection c, long after, int max) throws SQLException {
        List<byte[]> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT first_pos, last_pos, ids FROM fbatch WHERE last_pos > ? ORDER BY last_pos LIMIT 3")) { ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) { long next = after + 1; while (rs.next() && ids.size() < max) { long f = rs.getLong(1), l = rs.getLong(2); byte[] all = rs.getBytes(3);
                if (f > next) break; for (long p = next; p <= l && ids.size() < max; p++) { int i = (int) (p - f); ids.add(Arrays.copyOfRange(all, i * 16, i * 16 + 16)); next = p + 1; } } } }
        if (ids.isEmpty()) return 0; int n = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT j.id, j.msg_type, j.content_type, j.payload, j.produced_at FROM UNNEST(?::bytea[]) WITH ORDINALITY u(id, n) JOIN fj j ON j.id = u.id ORDER BY u.n")) {
            ps.setArray(1, c.createArrayOf("bytea", ids.toArray(new byte[0][]))); try (ResultSet rs = ps.executeQuery()) { while (rs.next()) { rs.getBytes(1); rs.getBytes(4); n++; } } }
        if (n != ids.size()) throw new IllegalStateException(n + " != " + ids.size()); return n;
    }
    public static void main(String[] a) throws Exception {
        String mode = a[0]; int secs = Integer.parseInt(a[1]); int writers = 2;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String t : List.of("fj", "fpend", "fpos", "fraw", "fseq", "fbatch")) s.execute("DROP TABLE IF EXISTS " + t);
            switch (mode) {
                case "raw" -> s.execute("CREATE TABLE fraw (id bytea PRIMARY KEY, msg_type varchar(255) not null, content_type varchar(32) not null, payload bytea not null, produced_at bigint not null)");
                case "A", "A16" -> { s.execute("CREATE TABLE fj (id " + (mode.equals("A16") ? "bytea" : "varchar(32) COLLATE \"C\"") + " PRIMARY KEY, pos bigint, msg_type varchar(255) not null, content_type varchar(32) not null, payload bytea not null, produced_at bigint not null)");
                    s.execute("CREATE UNIQUE INDEX fj_pos ON fj (pos) WHERE pos IS NOT NULL"); s.execute("CREATE INDEX fj_un ON fj (id) WHERE pos IS NULL");
                    s.execute("ALTER TABLE fj SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 10000)"); }
                case "B", "U", "C" -> { String idt = mode.equals("U") ? "uuid" : "bytea";
                    s.execute("CREATE TABLE fj (id " + idt + " PRIMARY KEY, msg_type varchar(255) not null, content_type varchar(32) not null, payload bytea not null, produced_at bigint not null)");
                    s.execute("CREATE TABLE fpend (id " + idt + " PRIMARY KEY)");
                    s.execute("ALTER TABLE fpend SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 1000)");
                    s.execute("CREATE TABLE fpos (pos bigint PRIMARY KEY, id " + idt + " NOT NULL)"); s.execute("CREATE TABLE fbatch (first_pos bigint PRIMARY KEY, last_pos bigint not null, ids bytea not null)"); }
            }
            s.execute("CREATE TABLE fseq (name varchar(64) primary key, last_pos bigint not null)"); s.execute("INSERT INTO fseq VALUES ('j', 0)");
        }
        AtomicBoolean stop = new AtomicBoolean(); AtomicLong sent = new AtomicLong(), stamped = new AtomicLong(), read = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int w = 0; w < writers; w++) ts.add(new Thread(() -> { try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            String sql = switch (mode) { case "raw" -> "INSERT INTO fraw (id, msg_type, content_type, payload, produced_at) VALUES (?, ?, ?, ?, ?)";
                case "A", "A16" -> "INSERT INTO fj (id, msg_type, content_type, payload, produced_at) VALUES (?, ?, ?, ?, ?)";
                case "U" -> "WITH j AS (INSERT INTO fj (id, msg_type, content_type, payload, produced_at) VALUES (?::uuid, ?, ?, ?, ?) RETURNING id) INSERT INTO fpend SELECT id FROM j";
                default -> "WITH j AS (INSERT INTO fj (id, msg_type, content_type, payload, produced_at) VALUES (?, ?, ?, ?, ?) RETURNING id) INSERT INTO fpend SELECT id FROM j"; };
            while (!stop.get()) { try (PreparedStatement ps = c.prepareStatement(sql)) { byte[] id = id();
                if (mode.equals("A")) ps.setString(1, hex(id)); else if (mode.equals("U")) ps.setString(1, UUID.nameUUIDFromBytes(id).toString().replaceAll("^.{8}", hex(id).substring(0, 8))); else ps.setBytes(1, id);
                ps.setString(2, "user.created"); ps.setString(3, "application/json"); ps.setBytes(4, PAYLOAD); ps.setLong(5, System.currentTimeMillis()); ps.executeUpdate(); }
                c.commit(); sent.incrementAndGet(); } } catch (Exception e) { e.printStackTrace(); } }));
        if (!mode.equals("raw")) {
            ts.add(new Thread(() -> { try (Connection c = DriverManager.getConnection(url)) { c.setAutoCommit(false);
                while (!stop.get()) {
                    long last; try (ResultSet rs = c.createStatement().executeQuery("SELECT last_pos FROM fseq WHERE name='j' FOR UPDATE")) { rs.next(); last = rs.getLong(1); }
                    List<Object> ids = new ArrayList<>();
                    String q = mode.startsWith("A") ? "SELECT id FROM fj WHERE pos IS NULL ORDER BY id LIMIT 1000" : "SELECT id FROM fpend ORDER BY id LIMIT 1000";
                    try (ResultSet rs = c.createStatement().executeQuery(q)) { while (rs.next()) ids.add(rs.getObject(1)); }
                    if (ids.isEmpty()) { c.commit(); Thread.sleep(1); continue; }
                    Long[] pos = new Long[ids.size()]; for (int i = 0; i < pos.length; i++) pos[i] = last + 1 + i;
                    if (mode.startsWith("A")) { String t = mode.equals("A16") ? "bytea" : "varchar"; try (PreparedStatement ps = c.prepareStatement("UPDATE fj j SET pos = v.pos FROM UNNEST(?::" + t + "[], ?::bigint[]) AS v(id, pos) WHERE j.id = v.id AND j.pos IS NULL")) {
                        ps.setArray(1, t.equals("bytea") ? c.createArrayOf(t, ids.toArray(new byte[0][])) : c.createArrayOf(t, ids.toArray())); ps.setArray(2, c.createArrayOf("bigint", pos)); ps.executeUpdate(); } }
                    else if (mode.equals("C")) { try (PreparedStatement ps = c.prepareStatement("WITH d AS (DELETE FROM fpend WHERE id = ANY(?::bytea[])) INSERT INTO fbatch VALUES (?, ?, ?)")) {
                        byte[] all = new byte[ids.size() * 16]; for (int i = 0; i < ids.size(); i++) System.arraycopy((byte[]) ids.get(i), 0, all, i * 16, 16);
                        ps.setArray(1, c.createArrayOf("bytea", ids.toArray(new byte[0][]))); ps.setLong(2, last + 1); ps.setLong(3, last + ids.size()); ps.setBytes(4, all); ps.executeUpdate(); } }
                    else { String t = mode.equals("U") ? "uuid" : "bytea";
                        try (PreparedStatement ps = c.prepareStatement("WITH d AS (DELETE FROM fpend WHERE id = ANY(?::" + t + "[]) RETURNING id) INSERT INTO fpos (pos, id) SELECT v.pos, v.id FROM UNNEST(?::" + t + "[], ?::bigint[]) AS v(id, pos)")) {
                        Array arr = t.equals("bytea") ? c.createArrayOf(t, ids.toArray(new byte[0][])) : c.createArrayOf(t, ids.toArray()); ps.setArray(1, arr); ps.setArray(2, arr); ps.setArray(3, c.createArrayOf("bigint", pos)); ps.executeUpdate(); } }
                    try (PreparedStatement ps = c.prepareStatement("UPDATE fseq SET last_pos = ? WHERE name = 'j'")) { ps.setLong(1, last + ids.size()); ps.executeUpdate(); }
                    c.commit(); stamped.addAndGet(ids.size()); } } catch (Exception e) { e.printStackTrace(); } }));
            ts.add(new Thread(() -> { try (Connection c = DriverManager.getConnection(url)) { long after = 0;
                String q = mode.startsWith("A") ? "SELECT pos, id, msg_type, content_type, payload, produced_at FROM fj WHERE pos > ? ORDER BY pos LIMIT 500"
                        : "SELECT p.pos, j.id, j.msg_type, j.content_type, j.payload, j.produced_at FROM fpos p JOIN fj j ON j.id = p.id WHERE p.pos > ? ORDER BY p.pos LIMIT 500";
                while (!stop.get() && mode.equals("C")) { int n = readC(c, after, 500); after += n; read.addAndGet(n); if (n == 0) Thread.sleep(1); }
                while (!stop.get()) { int n = 0; try (PreparedStatement ps = c.prepareStatement(q)) { ps.setLong(1, after); try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) { long p = rs.getLong(1); if (p != after + 1) break; rs.getBytes(5); after = p; n++; } } }
                    read.addAndGet(n); if (n == 0) Thread.sleep(1); } } catch (Exception e) { e.printStackTrace(); } }));
        }
        ts.forEach(Thread::start); Thread.sleep(secs * 1000L); stop.set(true); for (Thread t : ts) t.join();
        System.out.printf("%s: sent %.0f/s stamped %d read %d (of %d)%n", mode, sent.get() / (double) secs, stamped.get(), read.get(), sent.get());
        // catch-up read of everything from 0
        if (!mode.equals("raw")) try (Connection c = DriverManager.getConnection(url)) { c.setAutoCommit(false); long t0 = System.nanoTime(); long after = 0, n = 0;
            String q = mode.startsWith("A") ? "SELECT pos, id, msg_type, content_type, payload, produced_at FROM fj WHERE pos > ? ORDER BY pos LIMIT 1000"
                    : "SELECT p.pos, j.id, j.msg_type, j.content_type, j.payload, j.produced_at FROM fpos p JOIN fj j ON j.id = p.id WHERE p.pos > ? ORDER BY p.pos LIMIT 1000";
            while (mode.equals("C")) { int k = readC(c, after, 1000); if (k == 0) break; after += k; n += k; }
            while (!mode.equals("C")) { int k = 0; try (PreparedStatement ps = c.prepareStatement(q)) { ps.setLong(1, after); try (ResultSet rs = ps.executeQuery()) { while (rs.next()) { after = rs.getLong(1); rs.getBytes(2); rs.getBytes(5); k++; } } }
                if (k == 0) break; n += k; }
            System.out.printf("%s: catch-up read %d rows at %.0f rows/s%n", mode, n, n / ((System.nanoTime() - t0) / 1e9)); }
    }
}
