package io.strongzero.core.internal;

import io.strongzero.core.StrongZeroConfigException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import org.zeromq.ZMQ;

/**
 * CURVE key material: Z85 text, the Curve25519 public key of a secret key, constant-time comparison.
 * Error messages about secret keys never contain the key or any part of it.
 *
 * <p>Internal API: not for use outside StrongZero; may change without notice.
 */
public final class CurveKeys {

    /** Bytes in a CURVE key (public or secret). */
    public static final int KEY_BYTES = 32;
    /** Characters in the Z85 text of a key. */
    public static final int Z85_LENGTH = 40;

    private static final String Z85_ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static final BigInteger BASE_POINT = BigInteger.valueOf(9);

    private CurveKeys() {
    }

    /**
     * Decodes the Z85 text of a key.
     *
     * @param what      names the key in the error message ("public key", "secret key")
     * @param echoValue whether the error message may quote the text (never for secret keys)
     * @throws StrongZeroConfigException if the text is not 40 Z85 characters encoding 32 bytes
     */
    public static byte[] decodeZ85(String z85, String what, boolean echoValue) {
        String shown = echoValue ? " '" + z85 + "'" : "";
        if (z85 == null) {
            throw new StrongZeroConfigException(what + " is required but was null");
        }
        if (z85.length() != Z85_LENGTH) {
            throw new StrongZeroConfigException(what + " must be " + Z85_LENGTH + " Z85 characters but had "
                    + z85.length() + shown);
        }
        for (int i = 0; i < z85.length(); i++) {
            if (Z85_ALPHABET.indexOf(z85.charAt(i)) < 0) {
                throw new StrongZeroConfigException(what + " must be " + Z85_LENGTH + " Z85 characters but character "
                        + (i + 1) + " is not in the Z85 alphabet" + shown);
            }
        }
        byte[] key = ZMQ.Curve.z85Decode(z85);
        // Five Z85 characters can express values above 2^32; such text does not round-trip.
        if (key == null || key.length != KEY_BYTES || !ZMQ.Curve.z85Encode(key).equals(z85)) {
            throw new StrongZeroConfigException(what + " is not a valid Z85 encoding of " + KEY_BYTES + " bytes" + shown);
        }
        return key;
    }

    /** The Z85 text of a 32-byte key. */
    public static String encodeZ85(byte[] key) {
        checkLength(key, "key");
        return ZMQ.Curve.z85Encode(key);
    }

    /** Checks that a key has 32 bytes. */
    public static byte[] checkLength(byte[] key, String what) {
        if (key == null || key.length != KEY_BYTES) {
            throw new StrongZeroConfigException(what + " must be " + KEY_BYTES + " bytes but was "
                    + (key == null ? "null" : key.length + " bytes"));
        }
        return key;
    }

    /** The Curve25519 public key of a secret key (X25519 of the secret and the base point, as NaCl computes it). */
    public static byte[] publicKeyOf(byte[] secretKey) {
        checkLength(secretKey, "secret key");
        try {
            KeyFactory factory = KeyFactory.getInstance("XDH");
            PrivateKey secret = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, secretKey));
            PublicKey base = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BASE_POINT));
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(secret);
            agreement.doPhase(base, true);
            return agreement.generateSecret();
        } catch (GeneralSecurityException e) {
            // The message of a provider exception could describe the key; do not pass it on.
            throw new IllegalStateException("this JVM cannot compute X25519 (" + e.getClass().getSimpleName()
                    + "); Java 11 or later provides it");
        }
    }

    /** Constant-time equality of two keys. */
    public static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
