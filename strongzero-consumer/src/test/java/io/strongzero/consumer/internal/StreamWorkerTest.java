package io.strongzero.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.ConsumerConfig;
import io.strongzero.consumer.ConsumerTransactions;
import io.strongzero.consumer.DeadLetter;
import io.strongzero.consumer.IdempotencyGuard;
import io.strongzero.consumer.PositionStore;
import io.strongzero.consumer.RetryPolicy;
import io.strongzero.consumer.UnknownTypePolicy;
import io.strongzero.core.Dialect;
import io.strongzero.core.PayloadCodec;
import io.strongzero.core.Schema;
import io.strongzero.core.StrongZeroMetrics;
import io.strongzero.core.Ticker;
import io.strongzero.core.internal.Protocol;
import io.strongzero.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** A stream worker against a ROUTER socket standing in for the producer and an in-memory consumer database. */
@Timeout(60)
class StreamWorkerTest {

    private final ZContext zmq = new ZContext(1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final ConsumerCounters counters = new ConsumerCounters();
    private final List<StreamWorker> workers = new ArrayList<>();

    @AfterEach
    void stop() {
        running.set(false);
        StreamWorker.stopAll(workers, Duration.ofSeconds(10), Ticker.system());
        zmq.close();
    }

    private StreamWorker worker(ZMQ.Socket router, RetryPolicy policy) {
        int port = router.bindToRandomPort("tcp://127.0.0.1");
        ConsumerConfig config = ConsumerConfig.builder().name("members").producer("users", "tcp://127.0.0.1:" + port)
                .longPollWait(Duration.ofMillis(200)).retryPolicy(policy).build();
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Schema.create(db, Dialect.H2, Schema.Side.CONSUMER, "sz_");
        ConsumerStores stores = new ConsumerStores("members", db, "sz_", ConsumerTransactions.jdbc(),
                PositionStore.jdbc(Dialect.H2, "sz_"), new DeadLetterStore("sz_"), Clock.systemUTC());
        Map<String, HandlerInvoker.Registration<?>> handlers = new LinkedHashMap<>();
        HandlerInvoker.register(handlers, "t", String.class, (m, ctx) -> {
            if (m.payload().equals("poison")) {
                throw new IllegalStateException("cannot handle it");
            }
            handled.add(m.payload());
        });
        HandlerInvoker invoker = new HandlerInvoker("members", handlers, Map.of(PayloadCodec.JSON, PayloadCodec.json()),
                UnknownTypePolicy.FAIL, StrongZeroMetrics.NONE, Ticker.system());
        BatchApplier applier = new BatchApplier(stores, invoker, new IdempotencyGuard(db, "members", "sz_",
                Clock.systemUTC()), config.transactionMode(), StrongZeroMetrics.NONE, Ticker.system());
        StreamWorker w = new StreamWorker(new StreamWorker.Shared(config, stores, applier, counters, Ticker.system(),
                () -> 0.5, StrongZeroMetrics.NONE, deadLetters::add, running::get, (producer, id) -> false),
                "users", config.producers().get("users"));
        workers.add(w);
        w.start();
        return w;
    }

    /** Answers pulls with the given messages (after the position asked for) until {@code until} holds. */
    private void serve(ZMQ.Socket router, List<io.strongzero.core.Envelope> journal, java.util.function.BooleanSupplier until) {
        router.setReceiveTimeOut(100);
        Await.until(Duration.ofSeconds(30), "the stream to get its messages", () -> {
            byte[] identity = router.recv(0);
            if (identity != null) {
                router.recv(0);
                router.recv(0);
                Protocol.PullRequest pull = Protocol.decodePull(router.recv(0));
                List<io.strongzero.core.Envelope> batch = journal.stream()
                        .filter(e -> e.position() > pull.afterPosition()).toList();
                List<byte[]> frames = ReplyDecoderTest.batch(pull.requestId(), journal.size(), batch);
                router.send(identity, ZMQ.SNDMORE);
                for (int i = 0; i < frames.size(); i++) {
                    router.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
                }
            }
            return until.getAsBoolean();
        }, () -> handled);
    }

    @Test
    void pullsAppliesAndCommitsThePositionOfEachBatch() {
        ZMQ.Socket router = zmq.createSocket(SocketType.ROUTER);
        StreamWorker w = worker(router, RetryPolicy.defaults());
        serve(router, Messages.range(1, 3, "t"), () -> w.state().position() == 3);
        assertEquals(List.of("m1", "m2", "m3"), handled);
        assertEquals(3, counters.applied());
        assertEquals(3, w.state().head());
        assertEquals(0, w.state().lagMessages());
    }

    @Test
    void aMessageThatKeepsFailingBlocksTheStreamUnderBlock() {
        ZMQ.Socket router = zmq.createSocket(SocketType.ROUTER);
        StreamWorker w = worker(router, RetryPolicy.builder().maxAttempts(2).backoff(Duration.ofMillis(1),
                Duration.ofMillis(1)).onExhausted(RetryPolicy.OnExhausted.BLOCK).build());
        List<io.strongzero.core.Envelope> journal = List.of(Messages.json(1, "t", "ok"), Messages.json(2, "t", "poison"),
                Messages.json(3, "t", "after"));
        // the stream is marked blocked before the dead-letter listener is told: wait for both
        serve(router, journal, () -> w.state().blocked() && !deadLetters.isEmpty());
        // the batch ran once in one transaction (rolled back), then message by message
        assertEquals(List.of("ok", "ok"), handled);
        assertEquals(1, w.state().position());
        assertEquals(1, deadLetters.size());
        assertEquals(DeadLetter.Status.BLOCKING, deadLetters.get(0).status());
        assertEquals(2, deadLetters.get(0).attempts());
        assertTrue(counters.failures() >= 2);
    }
}
