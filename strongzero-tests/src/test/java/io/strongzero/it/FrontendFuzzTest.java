package io.strongzero.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.strongzero.consumer.StrongZeroConsumer;
import io.strongzero.core.ErrorCode;
import io.strongzero.core.StrongZeroProtocolException;
import io.strongzero.core.internal.Protocol;
import io.strongzero.tck.Pipeline;
import io.strongzero.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Issue 5, part 3: random and mutated requests against the producer's frontend while a legitimate
 * consumer streams. The legitimate consumer's data stays complete and in order, every malformed
 * request is answered with the right ERROR and counted, the
 * producer keeps answering, and its heap stays within {@link #HEAP_BOUND_BYTES}.
 *
 * <p>The message count is {@code -Dstrongzero.fuzz.messages} (default 20,000, about ten seconds); the
 * seed is {@code -Dstrongzero.fuzz.seed} (default random, printed). The long run (docs/security.md):
 * {@code mvn -B -o test -pl strongzero-tests -Dtest=FrontendFuzzTest -Dstrongzero.fuzz.messages=100000}
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class FrontendFuzzTest {

    /** Largest growth of the used heap after GC, from after the warm-up to any later checkpoint. */
    static final long HEAP_BOUND_BYTES = 64L * 1024 * 1024;

    private static final int MESSAGES = Integer.getInteger("strongzero.fuzz.messages", 20_000);
    private static final long SEED = Long.getLong("strongzero.fuzz.seed", System.nanoTime());
    private static final int WARM_UP = Math.min(2_000, MESSAGES / 10);
    private static final int LEGIT_MESSAGES = Math.min(2_000, Math.max(100, MESSAGES / 10));
    private static final int FUZZ_SOCKETS = 4;
    /** Requests awaiting their reply per fuzz socket, below the producer's 16 queued replies per connection. */
    private static final int WINDOW = 8;
    private static final int MAX_FRAME = 4 * 1024;   // the producer's per-frame limit
    private static final String P = Pipeline.PRODUCER;

    /** What the producer must do with a request. */
    private enum Outcome { ERROR, VALID }

    /** The outcome; for an ERROR its code; for a VALID pull whether the producer may park it. */
    private record Expected(Outcome outcome, ErrorCode code, boolean mayPark) {
    }

    private final Random random = new Random(SEED);
    private SecureStream s;
    private ZContext ctx;

    @BeforeEach
    void setUp() {
        System.out.println("FrontendFuzzTest: " + MESSAGES + " messages, seed " + SEED
                + " (repeat with -Dstrongzero.fuzz.seed=" + SEED + ")");
        s = new SecureStream(null);
        ctx = new ZContext(1);
    }

    @AfterEach
    void tearDown() {
        if (ctx != null) {
            ctx.close();
        }
        if (s != null) {
            s.close();
        }
    }

    @Test
    void randomAndMutatedRequestsNeitherDisturbAConsumerNorCrashOrBloatTheProducer() throws IOException {
        StrongZeroConsumer members = s.consumer("members", b -> { });
        List<String> sent = new ArrayList<>();
        sent.add(s.pipeline.sendCommitted("first", 0));

        List<ZMQ.Socket> fuzzers = new ArrayList<>();
        for (int i = 0; i < FUZZ_SOCKETS; i++) {
            fuzzers.add(socket());
        }
        int[] outstanding = new int[FUZZ_SOCKETS];
        ZMQ.Socket parker = socket();   // valid pulls that may be parked: answered later, or never if replaced
        int parked = 0;
        Map<ErrorCode, Integer> expectedErrors = new EnumMap<>(ErrorCode.class);
        Map<ErrorCode, Integer> receivedErrors = new EnumMap<>(ErrorCode.class);
        int[] batches = new int[1];
        int valid = 0;
        int oversized = 0;
        int rawConnections = 0;
        int parkedAnswered = 0;
        long malformedBefore = s.producer.malformedCount();
        long baseline = 0;
        long maxGrowth = 0;
        List<String> heapFigures = new ArrayList<>();
        long budgetMillis = 60_000 + MESSAGES * 2L;
        long start = System.currentTimeMillis();
        int legitEvery = Math.max(1, MESSAGES / LEGIT_MESSAGES);
        int checkpointEvery = Math.max(1, Math.min(10_000, (MESSAGES - WARM_UP) / 5));

        for (int n = 1; n <= MESSAGES; n++) {
            if (System.currentTimeMillis() - start > budgetMillis) {
                fail("fuzzing " + MESSAGES + " messages took over " + budgetMillis + " ms (at " + n + ")");
            }
            if (n % legitEvery == 0 && sent.size() < LEGIT_MESSAGES) {
                sent.add(s.pipeline.sendCommitted("legit" + n, n));
            }
            int kind = random.nextInt(1000);
            if (kind < 5) {
                rawConnections++;
                rawTcp(kind < 3);
            } else if (kind < 15) {
                oversized++;
                oversizedFrame();
            } else {
                List<byte[]> request = fuzzRequest();
                Expected e = expect(request);
                if (e.mayPark()) {
                    parked++;
                    sendFrames(parker, request);
                } else {
                    int i = random.nextInt(FUZZ_SOCKETS);
                    switch (e.outcome()) {
                        case ERROR -> expectedErrors.merge(e.code(), 1, Integer::sum);
                        case VALID -> valid++;
                        default -> throw new IllegalStateException();
                    }
                    sendFrames(fuzzers.get(i), request);
                    outstanding[i]++;
                    while (outstanding[i] >= WINDOW) {
                        count(receive(fuzzers.get(i), 0), i, outstanding, receivedErrors, batches);
                    }
                }
            }
            drain(fuzzers, outstanding, receivedErrors, batches);
            while (receive(parker, ZMQ.DONTWAIT) != null) {
                parkedAnswered++;
            }
            boolean checkpoint = n == WARM_UP
                    || n > WARM_UP && ((n - WARM_UP) % checkpointEvery == 0 || n == MESSAGES);
            if (n == WARM_UP) {
                baseline = usedHeapAfterGc();
                heapFigures.add("baseline after " + n + ": " + mib(baseline));
            } else if (checkpoint) {
                long used = usedHeapAfterGc();
                maxGrowth = Math.max(maxGrowth, used - baseline);
                heapFigures.add("after " + n + ": " + mib(used));
            }
        }
        long fuzzMillis = System.currentTimeMillis() - start;
        while (sent.size() < LEGIT_MESSAGES) {
            sent.add(s.pipeline.sendCommitted("legit-tail" + sent.size(), sent.size()));
        }

        int expectedRefusals = expectedErrors.values().stream().mapToInt(Integer::intValue).sum();
        Await.until(Duration.ofSeconds(60), "a reply to every request with a route", () -> {
            drain(fuzzers, outstanding, receivedErrors, batches);
            return java.util.Arrays.stream(outstanding).sum() == 0
                    && s.producer.malformedCount() - malformedBefore >= expectedRefusals;
        }, () -> java.util.Arrays.toString(outstanding) + " replies outstanding; malformedCount "
                + (s.producer.malformedCount() - malformedBefore) + " of " + expectedRefusals);
        assertEquals(expectedErrors, protocolErrors(receivedErrors), "an ERROR with the right code for each malformed "
                + "request with a route");
        // When jeromq drops a connection for a frame it refuses, it hands the frontend what came before that
        // frame as a message of its own: at most one truncated request per raw connection.
        long truncated = s.producer.malformedCount() - malformedBefore - expectedRefusals;
        assertTrue(truncated >= 0 && truncated <= oversized + rawConnections, "every refused request is "
                + "counted, and nothing else but requests cut short with their connection: " + truncated
                + " more than expected, " + oversized + " oversized frames, " + rawConnections + " raw connections");

        Await.until(Duration.ofSeconds(60), "the legitimate consumer has all " + sent.size() + " messages",
                () -> s.pipeline.receivedCount("members") >= sent.size(), () -> s.pipeline.receivedCount("members"));
        assertEquals(sent, s.pipeline.receivedIds("members"), "complete, in order, no duplicates");
        Await.until(Duration.ofSeconds(10), "offset at the head", () -> members.position(P) == sent.size());

        assertProducerStillAnswers(sent.size());
        String summary = String.format("FrontendFuzzTest: %d messages in %d ms (seed %d): %d valid pulls (%d batches "
                        + "received), %d that may park (%d answered), %d refused with ERROR %s, %d BUSY, %d oversized frames, %d raw TCP "
                        + "connections, %d truncated requests refused after their connection was dropped; legitimate consumer got %d/%d in order; "
                        + "heap after GC %s; max growth %s (bound %s)",
                MESSAGES, fuzzMillis, SEED, valid, batches[0], parked, parkedAnswered, expectedRefusals, expectedErrors,
                receivedErrors.getOrDefault(ErrorCode.BUSY, 0), oversized,
                rawConnections, truncated, s.pipeline.receivedCount("members"), sent.size(), heapFigures, mib(maxGrowth),
                mib(HEAP_BOUND_BYTES));
        System.out.println(summary);
        assertTrue(maxGrowth < HEAP_BOUND_BYTES, summary);
    }

    /** A fresh client still gets a correct BATCH. */
    private void assertProducerStillAnswers(int head) {
        ZMQ.Socket probe = socket();
        probe.setReceiveTimeOut(10_000);
        sendFrames(probe, List.of(new byte[0], Protocol.header(Protocol.CMD_PULL),
                Protocol.encodePull(new Protocol.PullRequest(77, head - 5, 100, 1 << 20, 0, P, "probe"))));
        List<byte[]> reply = receive(probe, 0);
        assertEquals(Protocol.CMD_BATCH, Protocol.parseHeader(reply.get(1)), "the producer still answers");
        Protocol.BatchHeader h = Protocol.decodeBatchHeader(reply.get(2));
        assertEquals(77, h.requestId());
        assertEquals(5, h.count());
        assertEquals(head - 4, Protocol.decodeMessage(reply.get(3)).position());
    }

    private ZMQ.Socket socket() {
        ZMQ.Socket d = ctx.createSocket(SocketType.DEALER);
        d.setLinger(0);
        d.setHandshakeIvl(1_000);          // jeromq now and then stalls a handshake; this retries it
        d.setReconnectIVL(10);
        d.setSendTimeOut(10_000);          // a send that cannot go out fails the test instead of hanging it
        d.setReceiveTimeOut(10_000);
        d.connect(s.endpoint());
        return d;
    }

    private static void sendFrames(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (!socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0)) {
                fail("could not send to the producer within 10 s");
            }
        }
    }

    private static List<byte[]> receive(ZMQ.Socket socket, int flags) {
        byte[] first = socket.recv(flags);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    /** Reads every queued reply of the fuzz sockets and counts it. */
    private static void drain(List<ZMQ.Socket> sockets, int[] outstanding, Map<ErrorCode, Integer> errors, int[] batches) {
        for (int i = 0; i < sockets.size(); i++) {
            List<byte[]> reply;
            while ((reply = receive(sockets.get(i), ZMQ.DONTWAIT)) != null) {
                count(reply, i, outstanding, errors, batches);
            }
        }
    }

    /** Counts a reply: BATCH, or ERROR by code. */
    private static void count(List<byte[]> reply, int socket, int[] outstanding, Map<ErrorCode, Integer> errors,
                              int[] batches) {
        if (reply == null) {
            fail("no reply within 10 s on fuzz socket " + socket + " (" + outstanding[socket] + " outstanding)");
        }
        outstanding[socket]--;
        int d = 0;
        while (d < reply.size() && reply.get(d).length != 0) {
            d++;   // routing frames the request carried in front of its delimiter come back
        }
        byte command = Protocol.parseHeader(reply.get(d + 1));
        if (command == Protocol.CMD_BATCH) {
            batches[0]++;
        } else {
            errors.merge(Protocol.decodeError(reply.get(d + 2)).code(), 1, Integer::sum);
        }
    }

    /** The errors a request can cause by itself (BUSY and INTERNAL depend on load, not on the request). */
    private static Map<ErrorCode, Integer> protocolErrors(Map<ErrorCode, Integer> received) {
        Map<ErrorCode, Integer> out = new EnumMap<>(received);
        out.remove(ErrorCode.BUSY);
        out.remove(ErrorCode.INTERNAL);
        return out;
    }

    /**
     * What the producer must do with a request, per protocol.md "Serving a PULL". The producer sees
     * the DEALER's frames behind the routing id it adds, and keeps 9 frames.
     */
    static Expected expect(List<byte[]> frames) {
        if (frames.size() + 1 > 8) {
            return new Expected(Outcome.ERROR, ErrorCode.MALFORMED_REQUEST, false);
        }
        int d = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).length == 0) {
                d = i;
                break;
            }
        }
        List<byte[]> protocol = d < 0 ? List.of() : frames.subList(d + 1, frames.size());
        if (protocol.size() < 2) {
            return new Expected(Outcome.ERROR, ErrorCode.MALFORMED_REQUEST, false);
        }
        try {
            if (Protocol.parseHeader(protocol.get(0)) != Protocol.CMD_PULL) {
                return new Expected(Outcome.ERROR, ErrorCode.UNKNOWN_COMMAND, false);
            }
            if (protocol.size() != 2) {
                return new Expected(Outcome.ERROR, ErrorCode.MALFORMED_REQUEST, false);
            }
            Protocol.PullRequest r = Protocol.decodePull(Protocol.version(protocol.get(0)), protocol.get(1));
            if (!r.producerName().equals(P)) {
                return new Expected(Outcome.ERROR, ErrorCode.WRONG_PRODUCER, false);
            }
            return new Expected(Outcome.VALID, null, r.maxWaitMillis() > 0);
        } catch (StrongZeroProtocolException e) {
            return new Expected(Outcome.ERROR, e.code(), false);
        }
    }

    // ---------------------------------------------------------------- generators

    private List<byte[]> fuzzRequest() {
        int kind = random.nextInt(100);
        if (kind < 10) {
            return validPull(0);
        }
        if (kind < 25) {
            return randomFrames();
        }
        if (kind < 28) {
            return List.of(new byte[0]);
        }
        List<byte[]> frames = validPull(random.nextInt(4) == 0 ? random.nextInt(70_000) : 0);
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            frames = mutate(frames);
        }
        return frames;
    }

    /** [empty][header][PULL body], valid, asking for the messages after a random position. */
    private List<byte[]> validPull(int maxWait) {
        long after = random.nextInt(4) == 0 ? random.nextInt(1_000_000) : random.nextInt(LEGIT_MESSAGES + 5);
        return new ArrayList<>(List.of(new byte[0], Protocol.header(Protocol.CMD_PULL),
                Protocol.encodePull(new Protocol.PullRequest(random.nextLong(), after, 1 + random.nextInt(1_000),
                        1 + random.nextInt(1 << 20), maxWait, P, "fuzz" + random.nextInt(10)))));
    }

    private List<byte[]> randomFrames() {
        int count = 1 + random.nextInt(12);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(random.nextInt(5) == 0 ? new byte[0] : bytes(random.nextInt(512)));
        }
        return frames;
    }


    private List<byte[]> mutate(List<byte[]> in) {
        List<byte[]> f = new ArrayList<>();
        for (byte[] b : in) {
            f.add(b.clone());
        }
        int header = indexOfHeader(f);
        int body = header + 1;
        switch (random.nextInt(16)) {
            case 0 -> flipBit(f, random.nextInt(f.size()));
            case 1 -> { // truncate the body
                if (body < f.size()) {
                    f.set(body, java.util.Arrays.copyOf(f.get(body), random.nextInt(f.get(body).length + 1)));
                }
            }
            case 2 -> { // pad the body
                if (body < f.size()) {
                    f.set(body, concat(f.get(body), bytes(1 + random.nextInt(512))));
                }
            }
            case 3 -> { // another version
                if (header < f.size() && f.get(header).length == 4) {
                    f.get(header)[2] = (byte) (random.nextBoolean() ? 0
                            : Protocol.MAX_SUPPORTED_VERSION + 1 + random.nextInt(255 - Protocol.MAX_SUPPORTED_VERSION));
                }
            }
            case 4 -> { // another command
                if (header < f.size() && f.get(header).length == 4) {
                    f.get(header)[3] = (byte) random.nextInt(256);
                }
            }
            case 5 -> { // a field out of range
                if (body < f.size() && f.get(body).length >= 28) {
                    ByteBuffer b = ByteBuffer.wrap(f.get(body));
                    switch (random.nextInt(4)) {
                        case 0 -> b.putLong(8, random.nextBoolean() ? -1 - random.nextInt(1000) : Long.MAX_VALUE);
                        case 1 -> b.putInt(16, random.nextBoolean() ? random.nextInt(2) - 1 : 10_001 + random.nextInt(100_000));
                        case 2 -> b.putInt(20, random.nextBoolean() ? -random.nextInt(10) : Protocol.MAX_BYTES_LIMIT + 1);
                        default -> b.putInt(24, random.nextBoolean() ? -1 : 60_001 + random.nextInt(1_000_000));
                    }
                }
            }
            case 6 -> { // another producer or consumer name, possibly invalid
                if (body < f.size()) {
                    String[] names = {"orders", "", "bad name", "\u00e9t\u00e9", "-x", "users".repeat(30), P};
                    String producer = names[random.nextInt(names.length)];
                    String consumer = names[random.nextInt(names.length)];
                    f.set(body, Protocol.encodePull(new Protocol.PullRequest(1, 0, 10, 1000, 0, producer, consumer)));
                }
            }
            case 7 -> { // invalid UTF-8 in the producer name
                if (body < f.size() && f.get(body).length > 30) {
                    f.get(body)[30] = (byte) 0xC3;
                    if (f.get(body).length > 31) {
                        f.get(body)[31] = (byte) 0x28;
                    }
                }
            }
            case 8 -> { // a name length beyond the body
                if (body < f.size() && f.get(body).length >= 30) {
                    ByteBuffer.wrap(f.get(body)).putShort(28, (short) (random.nextInt(0xFFFF)));
                }
            }
            case 9 -> f.remove(0);                                   // no delimiter
            case 10 -> f.add(0, new byte[0]);                         // a second delimiter
            case 11 -> f.add(0, bytes(1 + random.nextInt(8)));       // a routing frame in front (as a proxy adds)
            case 12 -> f.add(bytes(random.nextInt(64)));              // a frame too many
            case 13 -> { // no body
                if (body < f.size()) {
                    f.remove(body);
                }
            }
            case 14 -> { // the body split in two frames
                if (body < f.size() && f.get(body).length > 1) {
                    byte[] b = f.get(body);
                    int cut = 1 + random.nextInt(b.length - 1);
                    f.set(body, java.util.Arrays.copyOf(b, cut));
                    f.add(body + 1, java.util.Arrays.copyOfRange(b, cut, b.length));
                }
            }
            default -> { // a frame replaced by random bytes
                f.set(random.nextInt(f.size()), bytes(random.nextInt(300)));
            }
        }
        return f.isEmpty() ? List.of(bytes(1)) : f;
    }

    private static int indexOfHeader(List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).length == 0) {
                return i + 1;
            }
        }
        return 0;
    }

    private void flipBit(List<byte[]> f, int frame) {
        byte[] b = f.get(frame);
        if (b.length > 0) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The producer's TCP port. */
    private int port() {
        String endpoint = s.endpoint();
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** A ZMTP 3.0 greeting for the NULL mechanism and a READY command of a DEALER, written by hand. */
    private static byte[] zmtpHandshake() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 0});
        out.write(java.util.Arrays.copyOf("NULL".getBytes(StandardCharsets.US_ASCII), 20));
        out.write(new byte[32]);                                     // as-server 0, filler
        byte[] name = "Socket-Type".getBytes(StandardCharsets.US_ASCII);
        byte[] value = "DEALER".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer ready = ByteBuffer.allocate(6 + 1 + name.length + 4 + value.length);
        ready.put((byte) 5).put("READY".getBytes(StandardCharsets.US_ASCII)).put((byte) name.length).put(name)
                .putInt(value.length).put(value);
        out.write(new byte[] {0x04, (byte) ready.capacity()});
        out.write(ready.array());
        return out.toByteArray();
    }

    /** A ZMTP frame header: flags (more, long) and size. */
    private static byte[] frameHeader(long size, boolean more) {
        return ByteBuffer.allocate(9).put((byte) (0x02 | (more ? 0x01 : 0))).putLong(size).array();
    }

    /**
     * A raw TCP connection: random bytes, or a hand-written ZMTP handshake followed by a frame header
     * announcing an enormous frame (which must not be allocated).
     */
    private void rawTcp(boolean garbage) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (garbage) {
            out.write(bytes(1 + random.nextInt(2_000)));
        } else {
            out.write(zmtpHandshake());
            out.write(frameHeader(random.nextBoolean() ? Long.MAX_VALUE : (1L << 31) + random.nextInt(1 << 30), true));
            out.write(bytes(random.nextInt(1_000)));
        }
        write(out.toByteArray(), 0);
    }

    /**
     * A frame over the producer's 4 KiB limit, really sent (up to 9 MiB), after the delimiter and header
     * of a request: the producer must drop the connection and the partial request with it. Sent over
     * a hand-written ZMTP connection rather than a jeromq socket, whose I/O thread fails an assertion
     * when the peer closes in the middle of a large outgoing message (jeromq 0.6.0, -ea).
     */
    private void oversizedFrame() throws IOException {
        int size = switch (random.nextInt(4)) {
            case 0 -> MAX_FRAME + 1;
            case 1 -> MAX_FRAME + 1 + random.nextInt(64 * 1024);
            case 2 -> 1 << 20;
            default -> (1 << 20) + random.nextInt(8 << 20);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(zmtpHandshake());
        out.write(frameHeader(0, true));
        out.write(frameHeader(4, true));
        out.write(Protocol.header(Protocol.CMD_PULL));
        out.write(frameHeader(size, false));
        write(out.toByteArray(), size);
    }

    /** Writes the bytes, then {@code filler} zero bytes, to a new connection; the producer may close it early. */
    private void write(byte[] bytes, int filler) {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port())) {
            raw.setSoTimeout(1_000);
            OutputStream o = raw.getOutputStream();
            o.write(bytes);
            byte[] chunk = new byte[64 * 1024];
            for (int left = filler; left > 0; left -= chunk.length) {
                o.write(chunk, 0, Math.min(left, chunk.length));
            }
            o.flush();
        } catch (IOException e) {
            // the producer closed the connection before everything was written: that is the point
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
