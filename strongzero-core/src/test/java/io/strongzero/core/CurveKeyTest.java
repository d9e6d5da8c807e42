package io.strongzero.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZCert;
import org.zeromq.ZConfig;
import org.zeromq.ZMQ;

class CurveKeyTest {

    @TempDir
    Path dir;

    @Test
    void publicKeyComputedFromTheSecretKeyIsTheOneJeromqGenerates() {
        for (int i = 0; i < 20; i++) {
            ZMQ.Curve.KeyPair jeromq = ZMQ.Curve.generateKeyPair();
            CurveKeyPair pair = CurveKeyPair.fromSecretZ85(jeromq.secretKey);
            assertEquals(jeromq.publicKey, pair.publicKey().z85());
            assertArrayEquals(ZMQ.Curve.z85Decode(jeromq.secretKey), pair.secretKey());
        }
    }

    @Test
    void generatedPairsAreDistinctAndSelfConsistent() {
        CurveKeyPair a = CurveKeyPair.generate();
        CurveKeyPair b = CurveKeyPair.generate();
        assertNotEquals(a.publicKey(), b.publicKey());
        assertEquals(a.publicKey(), CurveKeyPair.fromSecretKey(a.secretKey()).publicKey());
        assertEquals(32, a.secretKey().length);
    }

    @Test
    void publicKeyRoundTripsThroughZ85AndBytesAndComparesByValue() {
        CurvePublicKey k = CurveKeyPair.generate().publicKey();
        assertEquals(40, k.z85().length());
        assertEquals(k, CurvePublicKey.fromZ85(k.z85()));
        assertEquals(k, CurvePublicKey.fromZ85("  " + k.z85() + "\n"));
        assertEquals(k, CurvePublicKey.fromBytes(k.bytes()));
        assertEquals(k.hashCode(), CurvePublicKey.fromBytes(k.bytes()).hashCode());
        assertEquals("CurvePublicKey[" + k.z85() + "]", k.toString());
        byte[] copy = k.bytes();
        copy[0] ^= 1;
        assertNotEquals(k, CurvePublicKey.fromBytes(copy));
        assertFalse(Arrays.equals(copy, k.bytes()), "bytes() must return a copy");
    }

    @Test
    void invalidPublicKeyTextIsRefusedWithTheRule() {
        String valid = CurveKeyPair.generate().publicKey().z85();
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                () -> CurvePublicKey.fromZ85(valid.substring(1)));
        assertTrue(e.getMessage().contains("must be 40 Z85 characters but had 39"), e.getMessage());
        e = assertThrows(StrongZeroConfigException.class, () -> CurvePublicKey.fromZ85("\"" + valid.substring(1)));
        assertTrue(e.getMessage().contains("character 1 is not in the Z85 alphabet"), e.getMessage());
        // "#####" is 85^5 - 1, more than 2^32 - 1: valid characters, no 4-byte value
        e = assertThrows(StrongZeroConfigException.class, () -> CurvePublicKey.fromZ85("#####" + valid.substring(5)));
        assertTrue(e.getMessage().contains("not a valid Z85 encoding"), e.getMessage());
        assertThrows(StrongZeroConfigException.class, () -> CurvePublicKey.fromZ85(null));
        assertThrows(StrongZeroConfigException.class, () -> CurvePublicKey.fromBytes(new byte[31]));
    }

    @Test
    void secretKeyNeverAppearsInToStringOrInErrorMessages() {
        CurveKeyPair pair = CurveKeyPair.generate();
        String secret = ZMQ.Curve.z85Encode(pair.secretKey());
        assertEquals("CurveKeyPair[public=" + pair.publicKey().z85() + "]", pair.toString());
        for (String bad : new String[] {secret.substring(1), secret + "x", "\"" + secret.substring(1),
                                        "#####" + secret.substring(5)}) {
            StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class, () -> CurveKeyPair.fromSecretZ85(bad));
            assertFalse(e.getMessage().contains(bad), e.getMessage());
            assertFalse(e.getMessage().contains(secret.substring(5, 25)), e.getMessage());
        }
    }

    @Test
    void certificatesRoundTripAndTheSecretOneIsReadableByItsOwnerOnly() throws IOException {
        CurveKeyPair pair = CurveKeyPair.generate();
        Path secretFile = dir.resolve("p.key_secret");
        Path publicFile = dir.resolve("p.key");
        pair.writeCertificates(secretFile, publicFile);
        assertEquals(pair.publicKey(), CurveKeyPair.load(secretFile).publicKey());
        assertArrayEquals(pair.secretKey(), CurveKeyPair.load(secretFile).secretKey());
        assertEquals(pair.publicKey(), CurvePublicKey.load(publicFile));
        assertEquals(pair.publicKey(), CurvePublicKey.load(secretFile));
        assertFalse(Files.readString(publicFile).contains("secret-key"));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
        }
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                () -> pair.writeCertificates(secretFile, null));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void certificatesAreCompatibleWithJeromqZCertInBothDirections() throws IOException {
        ZCert cert = new ZCert();
        cert.saveSecret(dir.resolve("z.key_secret").toString());
        cert.savePublic(dir.resolve("z.key").toString());
        CurveKeyPair fromZCert = CurveKeyPair.load(dir.resolve("z.key_secret"));
        assertEquals(cert.getPublicKeyAsZ85(), fromZCert.publicKey().z85());
        assertEquals(cert.getPublicKeyAsZ85(), CurvePublicKey.load(dir.resolve("z.key")).z85());

        CurveKeyPair ours = CurveKeyPair.generate();
        ours.writeCertificates(dir.resolve("o.key_secret"), dir.resolve("o.key"));
        ZConfig config = ZConfig.load(dir.resolve("o.key_secret").toString());
        assertEquals(ours.publicKey().z85(), config.getValue("curve/public-key"));
        assertEquals(ZMQ.Curve.z85Encode(ours.secretKey()), config.getValue("curve/secret-key"));
    }

    @Test
    void loadingRefusesPublicCertificatesAsKeyPairsAndMismatchedOrMissingEntries() throws IOException {
        CurveKeyPair pair = CurveKeyPair.generate();
        pair.writeCertificates(dir.resolve("a.key_secret"), dir.resolve("a.key"));
        StrongZeroConfigException e = assertThrows(StrongZeroConfigException.class,
                () -> CurveKeyPair.load(dir.resolve("a.key")));
        assertTrue(e.getMessage().contains("has no secret-key entry"), e.getMessage());

        String secret = ZMQ.Curve.z85Encode(pair.secretKey());
        Path mixed = dir.resolve("mixed");
        Files.writeString(mixed, "curve\n    public-key = \"" + CurveKeyPair.generate().publicKey().z85() + "\"\n"
                + "    secret-key = \"" + secret + "\"\n");
        e = assertThrows(StrongZeroConfigException.class, () -> CurveKeyPair.load(mixed));
        assertTrue(e.getMessage().contains("does not belong to its secret-key"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());

        Path broken = dir.resolve("broken");
        Files.writeString(broken, "curve\n    public-key = \"" + pair.publicKey().z85() + "\"\n"
                + "    secret-key = \"" + secret.substring(2) + "\"\n");
        e = assertThrows(StrongZeroConfigException.class, () -> CurveKeyPair.load(broken));
        assertTrue(e.getMessage().contains("secret key must be 40 Z85 characters"), e.getMessage());
        assertFalse(e.getMessage().contains(secret.substring(2)), e.getMessage());

        Path empty = dir.resolve("empty");
        Files.writeString(empty, "# nothing here\n");
        e = assertThrows(StrongZeroConfigException.class, () -> CurvePublicKey.load(empty));
        assertTrue(e.getMessage().contains("has no public-key entry"), e.getMessage());
        e = assertThrows(StrongZeroConfigException.class, () -> CurvePublicKey.load(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
    }
}
