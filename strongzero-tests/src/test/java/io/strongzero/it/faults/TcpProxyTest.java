package io.strongzero.it.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault tests' TCP proxy against echo servers: relay, stall, cut, resume, retarget. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpProxyTest {

    private EchoServer a;
    private EchoServer b;
    private TcpProxy proxy;

    /** Answers every chunk it reads with its tag followed by the chunk. */
    private static final class EchoServer implements AutoCloseable {
        final ServerSocket server;
        final byte tag;

        EchoServer(char tag) throws IOException {
            this.tag = (byte) tag;
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(this::serve, "echo-" + tag);
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            while (true) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                Thread t = new Thread(() -> {
                    try (Socket c = s; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                        byte[] buf = new byte[1024];
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            out.write(tag);
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // client gone
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        a = new EchoServer('A');
        b = new EchoServer('B');
        proxy = TcpProxy.start(a.port());
    }

    @AfterEach
    void tearDown() throws IOException {
        proxy.close();
        a.close();
        b.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(5_000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        return new String(s.getInputStream().readNBytes(bytes.length + 1), StandardCharsets.US_ASCII);
    }

    @Test
    void relaysBothWays() throws IOException {
        try (Socket s = connect()) {
            assertEquals("Ahello", roundTrip(s, "hello"));
            assertEquals("Aagain", roundTrip(s, "again"));
        }
        assertEquals(1, proxy.acceptedCount());
    }

    @Test
    void stallHoldsTheBytesWithoutClosingAndResumeDeliversThem() throws IOException {
        try (Socket s = connect()) {
            assertEquals("Aone", roundTrip(s, "one"));
            proxy.stall();
            s.getOutputStream().write("two".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            proxy.resume();
            s.setSoTimeout(5_000);
            assertArrayEquals("Atwo".getBytes(StandardCharsets.US_ASCII), s.getInputStream().readNBytes(4));
        }
    }

    @Test
    void newConnectionsDuringAStallAreHeldAndConnectedOnResume() throws IOException {
        proxy.stall();
        try (Socket s = connect()) {
            s.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            proxy.resume();
            s.setSoTimeout(5_000);
            assertArrayEquals("Aheld".getBytes(StandardCharsets.US_ASCII), s.getInputStream().readNBytes(5));
        }
    }

    @Test
    void cutResetsOpenConnectionsAndNewOnesUntilResumed() throws IOException {
        try (Socket s = connect()) {
            assertEquals("Ax", roundTrip(s, "x"));
            proxy.cut();
            assertThrows(IOException.class, () -> {
                // a reset shows as an exception on read or write, or as the end of the stream
                s.getOutputStream().write('y');
                if (s.getInputStream().read() < 0) {
                    throw new IOException("end of stream");
                }
            });
        }
        try (Socket s = connect()) {
            assertThrows(IOException.class, () -> {
                if (s.getInputStream().read() < 0) {
                    throw new IOException("end of stream");
                }
            });
        }
        proxy.resume();
        try (Socket s = connect()) {
            assertEquals("Az", roundTrip(s, "z"));
        }
    }

    @Test
    void retargetResetsCurrentConnectionsAndSendsNewOnesToTheOtherUpstream() throws IOException {
        try (Socket s = connect()) {
            assertEquals("A1", roundTrip(s, "1"));
            proxy.retarget(b.port());
            Await.until(Duration.ofSeconds(5), "the old connection is reset", () -> proxy.openConnections() == 0);
            assertThrows(IOException.class, () -> {
                s.getOutputStream().write('2');
                if (s.getInputStream().read() < 0) {
                    throw new IOException("end of stream");
                }
            });
        }
        try (Socket s = connect()) {
            assertEquals("B3", roundTrip(s, "3"));
        }
        assertTrue(proxy.relayedBytes() > 0);
    }
}
