package io.strongzero.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForwardingDataSourceTest {

    /** A data source that records every call and returns recognizable values. */
    static final class Recording implements DataSource {
        final List<String> calls = new ArrayList<>();
        final Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> method.getName().equals("toString") ? "conn" : null);
        final PrintWriter writer = new PrintWriter(new StringWriter());
        final Logger logger = Logger.getLogger("recording");

        @Override
        public Connection getConnection() {
            calls.add("getConnection()");
            return connection;
        }

        @Override
        public Connection getConnection(String username, String password) {
            calls.add("getConnection(" + username + "," + password + ")");
            return connection;
        }

        @Override
        public PrintWriter getLogWriter() {
            calls.add("getLogWriter");
            return writer;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            calls.add("setLogWriter");
        }

        @Override
        public void setLoginTimeout(int seconds) {
            calls.add("setLoginTimeout(" + seconds + ")");
        }

        @Override
        public int getLoginTimeout() {
            calls.add("getLoginTimeout");
            return 42;
        }

        @Override
        public Logger getParentLogger() {
            calls.add("getParentLogger");
            return logger;
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            calls.add("unwrap(" + iface.getSimpleName() + ")");
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper for " + iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            calls.add("isWrapperFor(" + iface.getSimpleName() + ")");
            return iface.isInstance(this);
        }
    }

    /** Overrides nothing: every call must reach the delegate. */
    static final class Plain extends ForwardingDataSource {
        Plain(DataSource delegate) {
            super(delegate);
        }
    }

    /** A marker a wrapper can be unwrapped to. */
    interface Special {
    }

    static final class Refusing extends ForwardingDataSource implements Special {
        Refusing(DataSource delegate) {
            super(delegate);
        }

        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLException("refused");
        }
    }

    @Test
    void everyDataSourceMethodGoesToTheDelegate() throws SQLException {
        Recording d = new Recording();
        Plain p = new Plain(d);
        assertSame(d.connection, p.getConnection());
        assertSame(d.connection, p.getConnection("u", "pw"));
        assertSame(d.writer, p.getLogWriter());
        p.setLogWriter(null);
        p.setLoginTimeout(7);
        assertEquals(42, p.getLoginTimeout());
        assertSame(d.logger, p.getParentLogger());
        assertEquals(List.of("getConnection()", "getConnection(u,pw)", "getLogWriter", "setLogWriter", "setLoginTimeout(7)",
                "getLoginTimeout", "getParentLogger"), d.calls);
        assertSame(d, p.delegate());
    }

    @Test
    void implementsEveryAbstractMethodOfDataSourceItself() {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Method m : DataSource.class.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers())) {
                continue; // default methods such as createConnectionBuilder
            }
            checked++;
            try {
                Method own = ForwardingDataSource.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                if (Modifier.isAbstract(own.getModifiers())) {
                    missing.add(m.toString());
                }
            } catch (NoSuchMethodException e) {
                missing.add(m.toString());
            }
        }
        assertTrue(checked >= 9, "DataSource, CommonDataSource and Wrapper have at least 9 abstract methods: " + checked);
        assertTrue(missing.isEmpty(), "not forwarded: " + missing);
    }

    @Test
    void unwrapsToItselfForItsOwnTypesAndAsksTheDelegateForOthers() throws SQLException {
        Recording d = new Recording();
        Refusing r = new Refusing(d);
        assertSame(r, r.unwrap(Special.class));
        assertSame(r, r.unwrap(ForwardingDataSource.class));
        assertSame(r, r.unwrap(DataSource.class));
        assertTrue(r.isWrapperFor(Special.class));
        assertTrue(r.isWrapperFor(DataSource.class));
        assertTrue(d.calls.isEmpty(), "answered without the delegate: " + d.calls);

        assertSame(d, r.unwrap(Recording.class));
        assertTrue(r.isWrapperFor(Recording.class));
        assertFalse(r.isWrapperFor(String.class));
        assertThrows(SQLException.class, () -> r.unwrap(String.class));
        assertEquals(List.of("unwrap(Recording)", "isWrapperFor(Recording)", "isWrapperFor(String)", "unwrap(String)"), d.calls);
    }

    @Test
    void aSubclassChangesOnlyWhatItOverrides() throws SQLException {
        Recording d = new Recording();
        Refusing r = new Refusing(d);
        assertEquals("refused", assertThrows(SQLException.class, r::getConnection).getMessage());
        assertSame(d.connection, r.getConnection("u", "p"));
        assertEquals(List.of("getConnection(u,p)"), d.calls);
    }

    @Test
    void aConnectionBuilderIsNotSupportedSoNoConnectionBypassesTheOverrides() {
        Refusing r = new Refusing(new Recording());
        assertThrows(SQLFeatureNotSupportedException.class, r::createConnectionBuilder);
    }

    @Test
    void refusesANullDelegate() {
        assertEquals("delegate", assertThrows(NullPointerException.class, () -> new Plain(null)).getMessage());
    }
}
