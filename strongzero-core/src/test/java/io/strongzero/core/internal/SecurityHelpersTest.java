package io.strongzero.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.Envelope;
import io.strongzero.core.FlakeId;
import io.strongzero.core.StrongZeroStorageException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SecurityHelpersTest {

    @Test
    void onlyIpcInprocAndLoopbackTcpEndpointsAreLocal() {
        for (String local : new String[] {"ipc:///tmp/x", "inproc://x", "tcp://127.0.0.1:7300", "tcp://127.10.0.3:*",
                                          "tcp://localhost:7300", "tcp://LOCALHOST:1", "tcp://[::1]:7300",
                                          "tcp://10.0.0.1:0;127.0.0.1:7300"}) {
            assertTrue(Endpoints.isLocal(local), local);
        }
        for (String remote : new String[] {"tcp://*:7300", "tcp://0.0.0.0:7300", "tcp://10.0.0.5:7300",
                                           "tcp://users-service:7300", "tcp://eth0:7300", "tcp://[::]:7300",
                                           "tcp://127.0.0.1.evil.com:7300", "tcp://[fe80::1]:7300", "udp://127.0.0.1:1"}) {
            assertFalse(Endpoints.isLocal(remote), remote);
        }
    }

    @Test
    void credentialsInDriverMessagesAreRedacted() {
        assertEquals("jdbc:postgresql://db/app?user=app&password=***&ssl=true",
                Secrets.redact("jdbc:postgresql://db/app?user=app&password=hunter2&ssl=true"));
        assertEquals("jdbc:h2:mem:x;USER=sa;PASSWORD=***;MODE=x", Secrets.redact("jdbc:h2:mem:x;USER=sa;PASSWORD=p4ss;MODE=x"));
        assertEquals("jdbc:mysql://app:***@db:3306/app", Secrets.redact("jdbc:mysql://app:hunter2@db:3306/app"));
        assertEquals("(pwd=***)", Secrets.redact("(pwd=hunter2)"));
        assertEquals("password: ***", Secrets.redact("password: 'hunter2'"));
        assertEquals("no credentials here: user 'app' at db:5432", Secrets.redact("no credentials here: user 'app' at db:5432"));
        assertNull(Secrets.redact(null));
    }

    @Test
    void storageExceptionsCarryNeitherMessageNorCauseWithAPassword() {
        SQLException clean = new SQLException("connection refused", "08001");
        assertSame(clean, Secrets.scrub(clean));
        SQLException driver = new SQLException("cannot open jdbc:postgresql://db/app?password=hunter2", "08001", 7,
                new IllegalStateException("url jdbc:mysql://app:hunter2@db/x"));
        driver.setNextException(new SQLException("again password=hunter2"));
        StrongZeroStorageException e = new StrongZeroStorageException("cannot read the journal", driver);
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains("hunter2"), trace.toString());
        assertFalse(((SQLException) e.getCause()).getNextException().getMessage().contains("hunter2"));
        assertEquals("08001", e.sqlState());
        assertEquals("08001", ((SQLException) e.getCause()).getSQLState());
        assertEquals(7, ((SQLException) e.getCause()).getErrorCode());
        assertTrue(e.getMessage().contains("password=***"), e.getMessage());
    }

    @Test
    void redactedEntryKeepsPositionAndIdOnlyAndRoundTripsOnTheWire() {
        Envelope secret = new Envelope(42, FlakeId.of(1_700_000_000_000L, 5, 6), "salary.changed", "json",
                "{\"salary\":123456}".getBytes(StandardCharsets.UTF_8), 1_700_000_000_001L, "employee-7",
                io.strongzero.core.Headers.of("tenant", "acme"));
        Envelope redacted = Protocol.redacted(secret);
        assertTrue(Protocol.isRedacted(redacted));
        assertFalse(Protocol.isRedacted(secret));
        byte[] frame = Protocol.encodeMessage(redacted);
        String wire = new String(frame, StandardCharsets.ISO_8859_1);
        assertFalse(wire.contains("salary") || wire.contains("employee-7") || wire.contains("acme")
                || wire.contains("tenant"), wire);
        Envelope decoded = Protocol.decodeMessage(frame);
        assertEquals(redacted, decoded);
        assertEquals(42, decoded.position());
        assertEquals(secret.id(), decoded.id());
        assertEquals("", decoded.type());
        assertEquals(0, decoded.payload().length);
        assertEquals(0, decoded.producedAt());
        assertEquals(35 + Protocol.REDACTED_CONTENT_TYPE.length() + 3, frame.length, "version 2: no key, no headers");
        assertEquals(35 + Protocol.REDACTED_CONTENT_TYPE.length(), Protocol.encodeMessage(1, redacted).length,
                "a redacted entry can always be sent in version 1");
    }
}
