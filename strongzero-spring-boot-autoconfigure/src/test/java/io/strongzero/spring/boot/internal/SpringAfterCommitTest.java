package io.strongzero.spring.boot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The pump's wake-up runs once per committed transaction, never after a rollback, and is refused outside one. */
class SpringAfterCommitTest {

    private final TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(
            new DriverManagerDataSource("jdbc:h2:mem:after-commit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1")));
    private final SpringAfterCommit registry = new SpringAfterCommit();
    private final AtomicInteger wakeUps = new AtomicInteger();
    private final Runnable wake = wakeUps::incrementAndGet;

    @Test
    void manySendsInOneTransactionWakeThePumpOnceAfterItCommits() {
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < 3; i++) {
                assertTrue(registry.afterCommit(wake));
            }
            assertEquals(0, wakeUps.get(), "not before the commit");
        });
        assertEquals(1, wakeUps.get());
    }

    @Test
    void aRolledBackTransactionWakesNothing() {
        tx.executeWithoutResult(s -> {
            registry.afterCommit(wake);
            s.setRollbackOnly();
        });
        assertEquals(0, wakeUps.get());
    }

    @Test
    void outsideATransactionNothingIsRegistered() {
        assertFalse(registry.afterCommit(wake));
        assertEquals(0, wakeUps.get());
    }
}
