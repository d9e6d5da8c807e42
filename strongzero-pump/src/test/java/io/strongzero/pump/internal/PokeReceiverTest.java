package io.strongzero.pump.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.StrongZeroConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PokeReceiverTest {

    private static String freeEndpoint() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "tcp://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void aMessageOnTheEndpointRunsTheWakeUp() throws Exception {
        Semaphore woken = new Semaphore(0);
        String endpoint = freeEndpoint();
        PokeReceiver receiver = new PokeReceiver("users", endpoint, woken::release, "every 200 ms");
        receiver.start();
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket push = ctx.createSocket(SocketType.PUSH);
            push.setLinger(0);
            push.setHandshakeIvl(1_000); // as the sender's: a connection jeromq leaves silent is made again
            push.connect(endpoint);
            boolean seen = false;
            // a poke queued before the connection is up may be lost (pokes are hints): poke until one arrives
            for (int i = 0; i < 100 && !seen; i++) {
                push.send(new byte[] {1}, ZMQ.DONTWAIT);
                seen = woken.tryAcquire(100, TimeUnit.MILLISECONDS);
            }
            assertTrue(seen, "a poke woke the pump within 10 s");
        } finally {
            assertTrue(receiver.stop(5_000), "the receiver thread stops");
        }
    }

    @Test
    void anEndpointThatCannotBeBoundIsRefusedNamingIt() throws Exception {
        String endpoint = freeEndpoint();
        PokeReceiver first = new PokeReceiver("users", endpoint, () -> { }, "every 200 ms");
        first.start();
        try {
            StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                    () -> new PokeReceiver("users", endpoint, () -> { }, "every 200 ms").start());
            assertTrue(e.getMessage().startsWith("pump users: cannot bind the poke endpoint " + endpoint), e.getMessage());
        } finally {
            assertTrue(first.stop(5_000));
        }
        assertTrue(new PokeReceiver("users", endpoint, () -> { }, "").stop(0), "stopping one never started is a no-op");
    }
}
