package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.Dialect;
import io.strongzero.core.Schema;
import io.strongzero.testing.Await;
import io.strongzero.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection whose ZeroMQ handshake never completes (a peer that accepts and stays silent, as a jeromq
 * 0.6.0 connect race leaves a few percent of fresh connections) is dropped and made again after
 * {@code handshakeTimeout}, not after ZeroMQ's default 30 s.
 */
class HandshakeTimeoutTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void consumerReplacesAConnectionWhoseHandshakeStaysSilentAfterTheHandshakeTimeout() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        List<Socket> open = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestDatabase.Instance db = TestDatabase.H2.create("handshake")) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        open.add(silent.accept()); // accept, then never answer the ZMTP greeting
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "test-silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            Schema.create(db.dataSource(), Dialect.H2, Schema.Side.CONSUMER, Schema.DEFAULT_PREFIX);
            try (StrongZeroConsumer c = StrongZeroConsumer.builder().name("hs").dataSource(db.dataSource())
                    .producer("silent", "tcp://127.0.0.1:" + silent.getLocalPort())
                    .handler("t", Object.class, (m, ctx) -> { })
                    .handshakeTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofSeconds(30))
                    .longPollWait(Duration.ofSeconds(5))
                    .build().start()) {
                // 300 ms handshakes, 100 ms reconnect interval: a new connection about every 0.4 s, so
                // about a dozen within 5 s; with ZeroMQ's default (30 s) there would be exactly one, with
                // the old bound of one heartbeat (5 s) at most two
                Await.until(Duration.ofSeconds(5), "at least 4 connections", () -> accepted.get() >= 4,
                        () -> accepted.get() + " connections, consumer: " + c.lastError("silent"));
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
        assertTrue(accepted.get() >= 4);
    }
}
