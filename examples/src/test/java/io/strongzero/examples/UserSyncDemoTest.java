package io.strongzero.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UserSyncDemoTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void demoSyncsEveryUserExactlyOnceOnH2() throws Exception {
        UserSyncDemo.Result r = UserSyncDemo.run(1000, 4,
                UserSyncDemo.pool("jdbc:h2:mem:demo-producer-test;DB_CLOSE_DELAY=-1", null),
                UserSyncDemo.pool("jdbc:h2:mem:demo-consumer-test;DB_CLOSE_DELAY=-1", null));
        assertEquals("synced 1000/1000 messages, 0 lost, 0 duplicated", r.summary());
    }
}
