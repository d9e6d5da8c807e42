package io.strongzero.consumer.internal;

import io.strongzero.core.StrongZeroConfigException;
import java.lang.reflect.Method;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a consumer's connection pool can serve its lanes: each lane's transaction holds a connection and the
 * stream needs one more, so a pool with fewer connections would leave lanes waiting for one another. Reads the
 * maximum size of the common pools through their public getters (HikariCP {@code getMaximumPoolSize}, Commons DBCP
 * {@code getMaxTotal}, Tomcat JDBC {@code getMaxActive}, c3p0 and Oracle UCP {@code getMaxPoolSize}); a data source
 * without such a getter (an unpooled one, or an unknown pool) is taken as it is, with a log line. Stateless.
 * Internal API.
 */
public final class PoolCheck {

    private static final Logger log = LoggerFactory.getLogger(PoolCheck.class);

    private static final List<String> GETTERS = List.of("getMaximumPoolSize", "getMaxTotal", "getMaxActive",
            "getMaxPoolSize");

    private PoolCheck() {
    }

    /**
     * Refuses {@code dataSource} if it is a pool of fewer than {@code needed} connections.
     *
     * @throws StrongZeroConfigException naming the pool, its size, what is needed and why
     */
    public static void requireConnections(DataSource dataSource, int needed, String consumer, String why) {
        Integer size = maximumSize(dataSource);
        if (size == null) {
            log.info("strongzero-consumer[{}]: cannot tell the size of the connection pool {}; it needs at least {} "
                    + "connections ({})", consumer, dataSource.getClass().getName(), needed, why);
            return;
        }
        if (size > 0 && size < needed) {
            throw new StrongZeroConfigException("consumer " + consumer + ": the connection pool "
                    + dataSource.getClass().getName() + " holds at most " + size + " connections but at least " + needed
                    + " are needed (" + why + "); raise the pool's maximum size or lower concurrency");
        }
    }

    /** The pool's maximum size, or null if it has no getter this class knows. */
    static Integer maximumSize(DataSource dataSource) {
        for (String name : GETTERS) {
            try {
                Method m = dataSource.getClass().getMethod(name);
                if (m.getReturnType() == int.class || m.getReturnType() == Integer.class) {
                    Object v = m.invoke(dataSource);
                    if (v instanceof Integer i) {
                        return i;
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this pool's getter, or not accessible: try the next
            }
        }
        return null;
    }
}
