package io.strongzero.tck;

import io.strongzero.consumer.MessageHandler;
import io.strongzero.testing.ForwardingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** Helpers shared by the sender, protocol and consumer-policy suites (on top of {@link Pipeline}). */
final class PipelineSupport {

    private PipelineSupport() {
    }

    /** An AUTO-mode handler that records each message in {@code received} like the pipeline's own handler. */
    static MessageHandler<Pipeline.User> recording(String consumer) {
        return (m, ctx) -> Pipeline.record(ctx.connection(), consumer, m);
    }

    /** Position to id, as recorded by {@code consumer}, in position order. */
    static Map<Long, String> positionsToIds(Pipeline p, String consumer) {
        Map<Long, String> out = new LinkedHashMap<>();
        Pipeline.query(p.consumerDb, "SELECT pos, id FROM received WHERE consumer_name = '" + consumer
                + "' ORDER BY pos", rs -> out.put(rs.getLong(1), rs.getString(2)));
        return out;
    }

    /** Ids recorded more than once by {@code consumer}. */
    static List<String> duplicates(Pipeline p, String consumer) {
        List<String> out = new ArrayList<>();
        Pipeline.query(p.consumerDb, "SELECT id FROM received WHERE consumer_name = '" + consumer
                + "' GROUP BY id HAVING COUNT(*) > 1", rs -> out.add(rs.getString(1)));
        return out;
    }

    /**
     * A minimal transaction-aware data source, like Spring's {@code TransactionAwareDataSourceProxy}:
     * while a connection is bound to the current thread, {@code getConnection()} returns it behind a
     * proxy whose {@code close()} does nothing; otherwise it delegates.
     */
    static final class TransactionBoundDataSource extends ForwardingDataSource {
        private final ThreadLocal<Connection> bound = new ThreadLocal<>();

        TransactionBoundDataSource(DataSource target) {
            super(target);
        }

        void bind(Connection c) {
            bound.set(c);
        }

        void unbind() {
            bound.remove();
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = bound.get();
            if (c == null) {
                return delegate().getConnection();
            }
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("not in tests");
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("not in tests");
        }
    }
}
