package io.strongzero.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.Dialect;
import io.strongzero.core.FlakeId;
import io.strongzero.core.Schema;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import io.strongzero.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the transaction examples of docs/transactions.md and the schema examples of docs/schema.md. */
class TransactionExamplesTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void plainJdbcAndTransactionAwareSendsCommitWithTheChangeAndRollBackWithIt() throws Exception {
        try (HikariDataSource db = pool("tx");
             StrongZeroProducer producer = StrongZeroProducer.builder().dataSource(db)
                     .pump(PumpConfig.builder().name("users").createSchemaIfMissing(true)
                             .pollInterval(Duration.ofSeconds(60)).build())   // only wake-ups stamp fast
                     .bind("tcp://127.0.0.1:*").build().start()) {
            execute(db, "CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(200), email VARCHAR(200))");
            try (StrongZeroSender plain = StrongZeroSender.builder().producer(producer).build()) {
                FlakeId id = TransactionExamples.plainJdbc(db, plain, new User(1, "Ada", "ada@example.com"));
                assertThrows(SQLException.class, () -> TransactionExamples.plainJdbc(db, plain,
                        new User(1, "Ada again", "ada@example.com")), "duplicate key: rolled back");
                Await.until(Duration.ofSeconds(10), "the wake-up to stamp the row", () -> producer.pump().head() == 1);
                assertEquals(List.of(id.toString()), journalIds(db));
            }

            SimpleTransactions tx = new SimpleTransactions(db);
            try (StrongZeroSender aware = TransactionExamples.transactionAwareSender(tx, producer)) {
                FlakeId id = TransactionExamples.register(tx, aware, new User(2, "Grace", "grace@example.com"));
                Await.until(Duration.ofSeconds(10), "the after-commit wake-up to stamp the row",
                        () -> producer.pump().head() == 2);
                assertTrue(journalIds(db).contains(id.toString()));
                assertThrows(Exception.class, () -> TransactionExamples.register(tx, aware,
                        new User(2, "Grace again", "grace@example.com")));
                assertEquals(2, journalIds(db).size(), "the rolled-back message never existed");
                assertFalse(tx.afterCommit(() -> { }), "no transaction outside inTransaction");
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void schemaExamplesWriteMigrationsCreateTablesAndUseOnePrefix(@TempDir Path dir) throws Exception {
        SchemaExamples.writeMigrations(dir);
        String producerDdl = Files.readString(dir.resolve("V7__strongzero_producer.sql"));
        assertTrue(producerDdl.contains("CREATE TABLE IF NOT EXISTS billing_sz_journal"), producerDdl);
        assertTrue(Files.readString(dir.resolve("V8__strongzero_consumer.sql"))
                .contains("billing_sz_offset"));
        try (HikariDataSource db = pool("schema")) {
            SchemaExamples.createAtStartup(db);
            Schema.verifyTable(db, Dialect.H2, Schema.Side.PRODUCER, "sz_journal", "id", "pos");
            Schema.verifyTable(db, Dialect.H2, Schema.Side.CONSUMER, "sz_offset", "consumer_name", "pos");
            Schema.create(db, Dialect.H2, Schema.Side.CONSUMER, "billing_sz_");
            try (StrongZeroConsumer consumer = SchemaExamples.prefixed(db, "tcp://127.0.0.1:1", "tcp://127.0.0.1:*")) {
                consumer.start();                          // verifies billing_sz_offset and friends exist
                Await.until(Duration.ofSeconds(10), "the offset row under the prefix",
                        () -> count(db, "SELECT COUNT(*) FROM billing_sz_offset") == 1);
            }
        }
    }

    private static HikariDataSource pool(String name) {
        return UserSyncDemo.pool("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null);
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(DataSource db, String sql) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> journalIds(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM sz_journal ORDER BY id")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(FlakeId.fromBytes(rs.getBytes(1)).toString());
            }
            return out;
        }
    }
}
