package io.strongzero.core;

import io.strongzero.core.internal.CurveKeys;
import io.strongzero.core.internal.KeyFiles;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A CurveZMQ public key (32 bytes, 40 characters of Z85 text): a producer's, which consumers use to
 * verify they talk to the right producer, or a consumer's, which a producer puts on its allow-list.
 * Public keys are not secret; {@link #toString()} shows the Z85 text.
 *
 * <pre>{@code
 * CurvePublicKey usersProducer = CurvePublicKey.fromZ85(System.getenv("USERS_PRODUCER_KEY"));
 * CurvePublicKey reports = CurvePublicKey.load(Path.of("/etc/strongzero/clients/reports.key"));
 * }</pre>
 *
 * <p>Immutable and thread-safe. See {@code docs/security.md}.
 */
public final class CurvePublicKey {

    private final byte[] key;
    private final String z85;

    private CurvePublicKey(byte[] key) {
        this.key = key;
        this.z85 = CurveKeys.encodeZ85(key);
    }

    /**
     * The key of its Z85 text, as {@link #z85()} and {@code strongzero keys} print it.
     *
     * @throws StrongZeroConfigException if the text is not 40 Z85 characters encoding 32 bytes
     */
    public static CurvePublicKey fromZ85(String z85) {
        return new CurvePublicKey(CurveKeys.decodeZ85(z85 == null ? null : z85.strip(), "public key", true));
    }

    /**
     * The key of its 32 bytes (copied).
     *
     * @throws StrongZeroConfigException if there are not 32 bytes
     */
    public static CurvePublicKey fromBytes(byte[] key) {
        return new CurvePublicKey(CurveKeys.checkLength(key, "public key").clone());
    }

    /**
     * Reads the {@code public-key} of a ZeroMQ certificate file (public or secret: the secret key of a
     * secret certificate is not read into this object). {@code strongzero keys generate} writes such files;
     * {@code zmakecert} and jeromq's {@code ZCert} do too.
     *
     * @throws StrongZeroConfigException if the file cannot be read or holds no valid public key
     */
    public static CurvePublicKey load(Path certificate) {
        KeyFiles.Certificate c = KeyFiles.read(certificate);
        try {
            return fromZ85(c.publicKey());
        } catch (StrongZeroConfigException e) {
            throw new StrongZeroConfigException("key file " + certificate + ": " + e.getMessage());
        }
    }

    /**
     * Writes this key as a public certificate (readable by everyone). Refuses to replace a file.
     *
     * @throws StrongZeroConfigException if the file exists or cannot be written
     */
    public void writeCertificate(Path file) {
        KeyFiles.writePublic(file, z85);
    }

    /** The 32 key bytes (a copy). */
    public byte[] bytes() {
        return key.clone();
    }

    /** The 40-character Z85 text. */
    public String z85() {
        return z85;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CurvePublicKey k && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    /** {@code CurvePublicKey[<z85>]}. */
    @Override
    public String toString() {
        return "CurvePublicKey[" + z85 + "]";
    }
}
