package io.strongzero.core;

import io.strongzero.core.internal.CurveKeys;
import io.strongzero.core.internal.KeyFiles;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * A long-term CurveZMQ key pair: a producer's, which encrypts its endpoint and proves its identity to
 * consumers, or a consumer's, which proves the consumer's identity to a producer's allow-list.
 *
 * <pre>{@code
 * CurveKeyPair keys = CurveKeyPair.load(Path.of("/etc/strongzero/users.key_secret"));   // from a file
 * CurveKeyPair keys = CurveKeyPair.fromSecretZ85(System.getenv("STRONGZERO_SECRET_KEY")); // or from configuration
 * }</pre>
 *
 * <p>The secret key never appears in {@link #toString()}, in log lines or in exception messages
 * StrongZero writes; {@link #secretKey()} is the only way to read it. Immutable and thread-safe.
 * Keys are created with {@link #generate()} or the admin CLI's {@code strongzero keys generate}. See {@code docs/security.md}.
 */
public final class CurveKeyPair {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CurvePublicKey publicKey;
    private final byte[] secretKey;

    private CurveKeyPair(byte[] secretKey) {
        this.secretKey = secretKey;
        this.publicKey = CurvePublicKey.fromBytes(CurveKeys.publicKeyOf(secretKey));
    }

    /** A new random key pair (from {@link SecureRandom}). */
    public static CurveKeyPair generate() {
        byte[] secret = new byte[CurveKeys.KEY_BYTES];
        RANDOM.nextBytes(secret);
        return new CurveKeyPair(secret);
    }

    /**
     * The key pair of a secret key's Z85 text; the public key is computed from it. For secret keys
     * kept in configuration (an environment variable, a secret store). The error message of an
     * invalid key does not quote it.
     *
     * @throws StrongZeroConfigException if the text is not 40 Z85 characters encoding 32 bytes
     */
    public static CurveKeyPair fromSecretZ85(String secretKeyZ85) {
        return new CurveKeyPair(CurveKeys.decodeZ85(secretKeyZ85 == null ? null : secretKeyZ85.strip(), "secret key",
                false));
    }

    /**
     * The key pair of a secret key's 32 bytes (copied).
     *
     * @throws StrongZeroConfigException if there are not 32 bytes
     */
    public static CurveKeyPair fromSecretKey(byte[] secretKey) {
        return new CurveKeyPair(CurveKeys.checkLength(secretKey, "secret key").clone());
    }

    /**
     * Reads a ZeroMQ secret certificate ({@code strongzero keys generate} writes {@code NAME.key_secret};
     * {@code zmakecert} and jeromq's {@code ZCert} write the same format). Logs a WARN if other users
     * may read the file.
     *
     * @throws StrongZeroConfigException if the file cannot be read, has no secret key, or its public
     *     key does not belong to its secret key
     */
    public static CurveKeyPair load(Path secretCertificate) {
        KeyFiles.Certificate c = KeyFiles.read(secretCertificate);
        if (c.secretKey() == null) {
            throw new StrongZeroConfigException("key file " + secretCertificate + " has no secret-key entry: it is a "
                    + "public certificate; load the secret one (strongzero keys generate writes NAME.key_secret) with CurveKeyPair.load, "
                    + "or this one with CurvePublicKey.load");
        }
        CurveKeyPair pair;
        CurvePublicKey declared;
        try {
            pair = fromSecretZ85(c.secretKey());
            declared = CurvePublicKey.fromZ85(c.publicKey());
        } catch (StrongZeroConfigException e) {
            throw new StrongZeroConfigException("key file " + secretCertificate + ": " + e.getMessage());
        }
        if (!declared.equals(pair.publicKey)) {
            throw new StrongZeroConfigException("key file " + secretCertificate + ": its public-key " + declared.z85()
                    + " does not belong to its secret-key (whose public key is " + pair.publicKey.z85()
                    + "): the file was edited or assembled from two certificates");
        }
        KeyFiles.warnIfExposed(secretCertificate);
        return pair;
    }

    /**
     * Writes the secret certificate (owner-only permissions on POSIX file systems) and, if
     * {@code publicCertificate} is not null, the public one. Refuses to replace existing files.
     *
     * @throws StrongZeroConfigException if a file exists or cannot be written
     */
    public void writeCertificates(Path secretCertificate, Path publicCertificate) {
        KeyFiles.writeSecret(secretCertificate, publicKey.z85(), CurveKeys.encodeZ85(secretKey));
        if (publicCertificate != null) {
            publicKey.writeCertificate(publicCertificate);
        }
    }

    /** The public key, to give to the other side. */
    public CurvePublicKey publicKey() {
        return publicKey;
    }

    /** The 32 secret key bytes (a copy). Keep them out of logs, exceptions and version control. */
    public byte[] secretKey() {
        return secretKey.clone();
    }

    /** {@code CurveKeyPair[public=<z85>]}: the public key only. */
    @Override
    public String toString() {
        return "CurveKeyPair[public=" + publicKey.z85() + "]";
    }
}
