package io.strongzero.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strongzero.core.CurvePublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {

    @Test
    @Timeout(30)
    void keysGenerateWritesAKeyPairWhosePublicKeyTheCliPrintsAndRefusesToOverwriteIt(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("keys", "generate", dir.toString(), "users");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("users.key")) && Files.exists(dir.resolve("users.key_secret")));
        String z85 = CurvePublicKey.load(dir.resolve("users.key")).z85();
        assertTrue(r.out().contains(z85), r.out());
        assertTrue(!r.out().contains(Files.readString(dir.resolve("users.key_secret")).trim()), "no secret printed");

        Cli.Result again = Cli.run("keys", "generate", dir.toString(), "users");
        assertEquals(1, again.code(), "existing files are never replaced: " + again.err());

        Cli.Result pub = Cli.run("keys", "public", dir.resolve("users.key").toString());
        assertEquals(0, pub.code(), pub.err());
        assertEquals(z85, pub.out().trim());

        assertEquals(2, Cli.run("keys", "generate", dir.toString()).code(), "missing NAME is a usage error");
    }
}
