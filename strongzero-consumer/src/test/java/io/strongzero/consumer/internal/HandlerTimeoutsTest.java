package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.HandlerTimeoutException;
import io.strongzero.core.Envelope;
import io.strongzero.testing.ManualTicker;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HandlerTimeoutsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final Envelope first = Messages.json(8, "t", "x");
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                if (method.getName().equals("abort")) {
                    aborted.set(true);
                }
                return null;
            });

    @Test
    void aTransactionWithinItsTimeReturnsItsResultFromTheHandlerThread() {
        HandlerTimeouts timeouts = new HandlerTimeouts("c", "p", Duration.ofSeconds(5), ticker);
        BatchApplier.Committed done = new BatchApplier.Committed(8, 1, 0, 0, null);
        String[] thread = new String[1];
        BatchApplier.Result r = timeouts.run(() -> {
            thread[0] = Thread.currentThread().getName();
            return done;
        }, first, 7, () -> { });
        assertSame(done, r);
        assertTrue(thread[0].startsWith("strongzero-consumer-c-p-handler"), thread[0]);
        timeouts.close();
    }

    @Test
    void whileTheHandlerThreadHoldsTheTransactionTheCallerRunsItsOwnWork() throws InterruptedException {
        HandlerTimeouts timeouts = new HandlerTimeouts("c", "p", Duration.ofSeconds(5), ticker);
        CountDownLatch callerRan = new CountDownLatch(1);
        String[] caller = new String[1];
        BatchApplier.Result r = timeouts.run(() -> {
            try {
                // the transaction waits for the caller's work: so the caller did it while the transaction ran
                assertTrue(callerRan.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new BatchApplier.Committed(8, 1, 0, 0, null);
        }, first, 7, () -> {
            caller[0] = Thread.currentThread().getName();
            callerRan.countDown();
        });
        assertInstanceOf(BatchApplier.Committed.class, r);
        assertEquals(Thread.currentThread().getName(), caller[0]);
        timeouts.close();
    }

    @Test
    void anOverrunningHandlerFailsTheAttemptAbortsItsConnectionAndIsInterrupted() throws InterruptedException {
        HandlerTimeouts timeouts = new HandlerTimeouts("c", "p", Duration.ofMillis(10), ticker);
        CountDownLatch interrupted = new CountDownLatch(1);
        BatchApplier.Result r = timeouts.run(() -> {
            timeouts.transactionStarted(connection);
            ticker.advance(Duration.ofMinutes(1));   // the handler's time is up at once, by the ticker
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return new BatchApplier.Committed(8, 1, 0, 0, null);
        }, first, 7, () -> { });
        BatchApplier.Failed f = assertInstanceOf(BatchApplier.Failed.class, r);
        assertSame(first, f.message());
        HandlerTimeoutException x = assertInstanceOf(HandlerTimeoutException.class, f.cause());
        assertTrue(x.getMessage().contains("longer than 10 ms") && x.getMessage().contains("after position 7"),
                x.getMessage());
        assertTrue(aborted.get());
        assertTrue(interrupted.await(10, TimeUnit.SECONDS));
        // a fresh handler thread takes the next transaction
        assertInstanceOf(BatchApplier.Committed.class, timeouts.run(() -> new BatchApplier.Committed(8, 1, 0, 0, null),
                first, 7, () -> { }));
        timeouts.close();
    }

    @Test
    void anUnexpectedErrorOfTheTransactionIsTheAttemptsFailure() {
        HandlerTimeouts timeouts = new HandlerTimeouts("c", "p", Duration.ofSeconds(5), ticker);
        BatchApplier.Failed f = assertInstanceOf(BatchApplier.Failed.class, timeouts.run(() -> {
            throw new IllegalStateException("bug");
        }, first, 7, () -> { }));
        assertEquals("bug", f.cause().getMessage());
        timeouts.close();
    }
}
