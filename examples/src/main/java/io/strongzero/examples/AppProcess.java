package io.strongzero.examples;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.function.Function;
import javax.sql.DataSource;

/** Runs an example app as a process of its own, until Ctrl-C or SIGTERM. Stateless. */
public final class AppProcess {

    /** An example app that serves HTTP; {@link #close()} stops it (HTTP first). */
    interface HttpApp extends AutoCloseable {

        /** Serves HTTP on {@code 127.0.0.1:port} (0: a free port); returns the base URL. */
        String serveHttp(int port) throws IOException;

        @Override
        void close();
    }

    private AppProcess() {
    }

    /**
     * Starts an app on a pool for {@code jdbcUrl}, serves its HTTP on {@code port}, prints {@code banner} (given the
     * app and its URL) and runs until Ctrl-C or SIGTERM, which closes the app and then the pool. If the app cannot
     * start, the pool is closed and the failure thrown.
     */
    static <A extends HttpApp> void serveUntilStopped(String jdbcUrl, int port, Function<DataSource, A> start,
            BiConsumer<A, String> banner) throws IOException, InterruptedException {
        HikariDataSource db = UserSyncDemo.pool(jdbcUrl, null);
        A app;
        String httpUrl;
        try {
            app = start.apply(db);
            httpUrl = app.serveHttp(port);
        } catch (RuntimeException | IOException e) {
            db.close();
            throw e;
        }
        CountDownLatch stopped = closeOnShutdown(app::close, db);
        banner.accept(app, httpUrl);
        stopped.await();
    }

    /**
     * On SIGTERM or Ctrl-C runs {@code stop}, then closes {@code db} (even if {@code stop} failed). The latch opens
     * once both are done: a main thread that awaits it keeps the process up until then.
     */
    public static CountDownLatch closeOnShutdown(Runnable stop, HikariDataSource db) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } finally {
                db.close();
                stopped.countDown();
            }
        }, "strongzero-example-shutdown"));
        return stopped;
    }
}
