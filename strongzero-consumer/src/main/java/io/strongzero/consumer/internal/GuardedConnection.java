package io.strongzero.consumer.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;

/**
 * Wraps the consumer's transaction connection for handlers: commit, rollback, close, setAutoCommit and
 * friends throw, so a handler cannot commit its effects apart from the offset. Internal API.
 */
public final class GuardedConnection implements InvocationHandler {

    private static final Set<String> FORBIDDEN = Set.of("commit", "rollback", "close", "setAutoCommit",
            "setTransactionIsolation", "abort", "releaseSavepoint", "setReadOnly");

    private final Connection target;

    private GuardedConnection(Connection target) {
        this.target = target;
    }

    public static Connection wrap(Connection target) {
        return (Connection) Proxy.newProxyInstance(GuardedConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new GuardedConnection(target));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (FORBIDDEN.contains(name) && !(name.equals("rollback") && args != null && args.length == 1)) {
            throw new IllegalStateException("a handler must not call Connection." + name + "() on the consumer's "
                    + "transaction connection: the consumer commits the handler's effects together with the offset");
        }
        if (name.equals("equals")) {
            return proxy == args[0];
        }
        if (name.equals("hashCode")) {
            return System.identityHashCode(proxy);
        }
        if (name.equals("toString")) {
            return "GuardedConnection[" + target + "]";
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
