package io.strongzero.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.StrongZeroConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMQ;

/** The key tool behind {@code strongzero keys} (it was io.strongzero.core.KeyTool; the test moved with it from CurveKeyTest). */
class KeyToolTest {

    @TempDir
    Path dir;

    @Test
    void keyToolGeneratesCertificatesAndPrintsOnlyThePublicKey() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KeyTool.run(new String[] {"generate", dir.toString(), "users"}, print(out), print(err));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        CurveKeyPair pair = CurveKeyPair.load(dir.resolve("users.key_secret"));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(pair.publicKey().z85()), printed);
        assertFalse(printed.contains(ZMQ.Curve.z85Encode(pair.secretKey())), printed);

        out.reset();
        assertEquals(0, KeyTool.run(new String[] {"public", dir.resolve("users.key_secret").toString()}, print(out), print(err)));
        assertEquals(pair.publicKey().z85(), out.toString(StandardCharsets.UTF_8).strip());

        err.reset();
        assertEquals(1, KeyTool.run(new String[] {"generate", dir.toString(), "users"}, print(out), print(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("already exists"));
        assertEquals(2, KeyTool.run(new String[] {"generate", dir.toString()}, print(out), print(err)));
        assertEquals(2, KeyTool.run(new String[] {"frobnicate"}, print(out), print(err)));
        assertEquals(2, KeyTool.run(new String[0], print(out), print(err)));
        assertThrows(StrongZeroConfigException.class, () -> KeyTool.generate(dir, "../escape"));
    }

    private static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }
}
