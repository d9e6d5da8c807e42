package io.strongzero.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.internal.Backoff;
import io.strongzero.core.internal.Protocol;
import io.strongzero.testing.Await;
import io.strongzero.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** The socket loop alone, over real parts and a DEALER client; deadlines on a ticker moved by hand. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrontendTest {

    private final H2Journal journal = new H2Journal();
    private final ProducerCounters counters = new ProducerCounters();
    private final ManualTicker ticker = new ManualTicker();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong head = new AtomicLong(3);
    private final TailCache tail = new TailCache(100, 1 << 20);
    private final ZContext client = new ZContext(1);
    private WakePipe pipe;
    private Thread thread;

    @AfterEach
    void stop() throws Exception {
        running.set(false);
        if (pipe != null) {
            pipe.wake();
        }
        if (thread != null) {
            thread.join(5_000);
        }
        client.close();
        if (pipe != null) {
            pipe.close();
        }
    }

    private CompletableFuture<List<String>> start(List<String> endpoints) throws Exception {
        pipe = new WakePipe();
        ProgressRecorder progress = Parts.progress(journal.dataSource);
        Parts.HeldExecutor readers = new Parts.HeldExecutor(10);
        JournalReader reader = Parts.reader(journal.dataSource, counters, tail, readers, new AtomicInteger(), 10);
        HeldBackLog log = new HeldBackLog(10_000, ticker::millis, m -> { }, (h, k, t) -> "");
        RequestHandler handler = new RequestHandler("users", new RequestCheck("users", null), progress, reader,
                Parts.replies(counters, progress), StrongZeroMetrics.NONE, counters, log, 100);
        Frontend frontend = new Frontend("users", new Frontend.Settings(endpoints, Duration.ofSeconds(5), 100), null, null,
                handler, reader, head::get, pipe, ticker, counters, log,
                new HeldBackLog(10_000, ticker::millis, m -> { }, (h, k, t) -> ""), running::get);
        CompletableFuture<List<String>> bound = new CompletableFuture<>();
        thread = new Thread(() -> frontend.run(bound), "strongzero-producer-test-frontend");
        thread.start();
        return bound;
    }

    private ZMQ.Socket connect(String endpoint) {
        ZMQ.Socket dealer = client.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        dealer.setReceiveTimeOut(10_000);
        // jeromq 0.6.0 now and then leaves a fresh connection without its handshake (jeromq PR 1022); the
        // handshake timer replaces such a connection, as the consumer's own socket does. Without it a pull
        // queued on it never arrived (a parked-pull test failed once under load).
        dealer.setHandshakeIvl(1_000);
        dealer.connect(endpoint);
        return dealer;
    }

    private static void send(ZMQ.Socket dealer, Protocol.PullRequest r) {
        dealer.sendMore(new byte[0]);
        dealer.sendMore(Protocol.header(Protocol.CMD_PULL));
        dealer.send(Protocol.encodePull(r));
    }

    /** The frames of one reply after the empty delimiter, or null after the receive timeout. */
    private static List<byte[]> receive(ZMQ.Socket dealer) {
        byte[] delimiter = dealer.recv();
        if (delimiter == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        while (dealer.hasReceiveMore()) {
            frames.add(dealer.recv());
        }
        return frames;
    }

    @Test
    void restartsWaitOneHundredMillisecondsDoubledPerRestartUpToFiveSecondsAsBefore() {
        Backoff.Attempts restarts = Frontend.RESTART_BACKOFF.attempts();
        for (int n = 1; n <= 12; n++) {
            assertEquals(Math.min(5_000, 50L << Math.min(n, 7)), restarts.next(), "restart " + n);
        }
    }

    @Test
    void aPullAtTheHeadWaitsUntilTheTickerPassesItsDeadlineAndIsThenAnsweredEmpty() throws Exception {
        String endpoint = start(List.of("tcp://127.0.0.1:*")).get(10, TimeUnit.SECONDS).get(0);
        ZMQ.Socket dealer = connect(endpoint);
        send(dealer, new Protocol.PullRequest(1, 3, 100, 1 << 20, 60_000, "users", "members"));
        dealer.setReceiveTimeOut(300);
        assertNull(receive(dealer), "parked: the ticker has not moved");
        // Under load the pull can reach the frontend after a first advance, and is then parked with a deadline 60 s
        // after the advanced time: move the ticker past the deadline until the pull, wherever it was parked, expires.
        List<byte[]> reply = null;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reply == null && System.nanoTime() < giveUp) {
            ticker.advance(Duration.ofSeconds(60));
            reply = receive(dealer); // the frontend polls every 250 ms: one poll after the deadline answers it
        }
        assertNotNull(reply, "answered once the ticker passed the deadline");
        assertEquals(new Protocol.BatchHeader(1, 3, 0), Protocol.decodeBatchHeader(reply.get(1)));
    }

    @Test
    void aParkedPullIsServedWhenTheHeadAdvances() throws Exception {
        String endpoint = start(List.of("tcp://127.0.0.1:*")).get(10, TimeUnit.SECONDS).get(0);
        ZMQ.Socket dealer = connect(endpoint);
        send(dealer, new Protocol.PullRequest(2, 3, 100, 1 << 20, 60_000, "users", "members"));
        dealer.setReceiveTimeOut(300);
        assertNull(receive(dealer));
        tail.append(journal.stamped(4, 4));
        head.set(4);
        pipe.wake();
        dealer.setReceiveTimeOut(10_000);
        List<byte[]> reply = receive(dealer);
        assertNotNull(reply);
        assertEquals(new Protocol.BatchHeader(2, 4, 1), Protocol.decodeBatchHeader(reply.get(1)));
        // counted after the send: the client may see the reply first
        Await.until(Duration.ofSeconds(10), "the reply counted as served from memory",
                () -> counters.servedFromMemory.get() == 1, counters.servedFromMemory::get);
    }

    @Test
    void anEndpointThatCannotBeBoundFailsTheStartNamingIt() throws Exception {
        CompletableFuture<List<String>> bound = start(List.of("tcp://127.0.0.1:notaport"));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> bound.get(10, TimeUnit.SECONDS));
        StrongZeroConfigException cause = (StrongZeroConfigException) e.getCause();
        assertTrue(cause.getMessage().startsWith("producer users: cannot bind [tcp://127.0.0.1:notaport]"),
                cause.getMessage());
        thread.join(5_000);
        assertEquals(false, thread.isAlive(), "a failed first bind is not restarted");
    }
}
