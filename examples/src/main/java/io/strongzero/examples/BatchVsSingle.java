package io.strongzero.examples;

import com.zaxxer.hikari.HikariDataSource;
import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.producer.StrongZeroProducer;
import io.strongzero.producer.StrongZeroSender;
import io.strongzero.pump.PumpConfig;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Measures how fast a consumer drains the same backlog with one message per transaction and with 100,
 * in one run against one database (journal and consumer tables in the same database).
 *
 * <pre>
 * java -cp ... io.strongzero.examples.BatchVsSingle [--messages N] [--jdbc URL] [--user U]
 * </pre>
 */
public final class BatchVsSingle {

    public static void main(String[] args) throws Exception {
        int messages = 20_000;
        String url = "jdbc:h2:mem:batch;DB_CLOSE_DELAY=-1";
        String user = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[i + 1]);
                case "--jdbc" -> url = args[i + 1];
                case "--user" -> user = args[i + 1];
                default -> throw new IllegalArgumentException("usage: BatchVsSingle [--messages N] [--jdbc URL] [--user U]");
            }
        }
        try (HikariDataSource db = UserSyncDemo.pool(url, user);
             StrongZeroProducer producer = StrongZeroProducer.builder().dataSource(db)
                     .pump(PumpConfig.builder().name("batch").createSchemaIfMissing(true).build()).bind("tcp://127.0.0.1:*").build().start();
             StrongZeroSender sender = StrongZeroSender.builder().producer(producer).dataSource(db).build()) {
            try (Statement s = db.getConnection().createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS batch_applied (consumer_name VARCHAR(64) NOT NULL, user_id BIGINT NOT NULL)");
            }
            int total = messages;
            for (int from = 0; from < total; from += 1000) {
                int start = from;
                sender.inTransaction(c -> {
                    for (int i = start; i < Math.min(total, start + 1000); i++) {
                        sender.send(c, "user.created", new User(i, "u" + i, "u" + i + "@example.com"));
                    }
                    return null;
                });
            }
            while (producer.pump().head() < total) {
                Thread.sleep(20);
            }
            String run = Long.toString(System.nanoTime() % 100_000);
            double single = drain(db, producer, "single" + run, 1, total);
            double batch = drain(db, producer, "batch" + run, 100, total);
            System.out.printf("backlog %d messages on %s: 1 message/transaction %.0f msg/s, 100 messages/transaction %.0f msg/s "
                    + "(%.1fx)%n", total, url.replaceAll("\\?.*", ""), single, batch, batch / single);
        }
    }

    private static double drain(HikariDataSource db, StrongZeroProducer producer, String name, int txSize, int total)
            throws Exception {
        long start = System.nanoTime();
        try (StrongZeroConsumer c = StrongZeroConsumer.builder().name(name).dataSource(db).createSchemaIfMissing(true)
                .producer("batch", producer.endpoints().get(0)).transactionSize(txSize)
                .handler("user.created", User.class, (m, ctx) -> {
                    try (PreparedStatement ps = ctx.connection().prepareStatement(
                            "INSERT INTO batch_applied (consumer_name, user_id) VALUES (?, ?)")) {
                        ps.setString(1, name);
                        ps.setLong(2, m.payload().id());
                        ps.executeUpdate();
                    }
                }).build().start()) {
            while (c.position("batch") < total) {
                Thread.sleep(5);
            }
            return total / ((System.nanoTime() - start) / 1e9);
        }
    }

    private BatchVsSingle() {
    }
}
