package io.strongzero.cli;

import io.strongzero.core.CurveKeyPair;
import io.strongzero.core.CurvePublicKey;
import io.strongzero.core.StrongZeroConfigException;
import io.strongzero.core.StrongZeroException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The {@code keys} command: creates and inspects CurveZMQ key pairs (it was {@code io.strongzero.core.KeyTool}
 * before issue 14):
 *
 * <pre>
 * strongzero keys generate /etc/strongzero users
 *     writes /etc/strongzero/users.key (public certificate) and users.key_secret (secret, mode 600),
 *     and prints the public key
 * strongzero keys public /etc/strongzero/users.key_secret
 *     prints the public key of a public or secret certificate
 * </pre>
 *
 * <p>The certificates use the ZeroMQ format ({@code zmakecert}, czmq {@code zcert}, jeromq
 * {@code ZCert}). The secret key is never printed. See {@code docs/security.md}. Stateless and
 * thread-safe.
 */
final class KeyTool {

    /** Suffix of the secret certificate next to the public one. */
    static final String SECRET_SUFFIX = "_secret";

    private KeyTool() {
    }

    /**
     * Generates a key pair and writes {@code DIR/NAME.key} (public certificate) and
     * {@code DIR/NAME.key_secret} (secret certificate, owner-only permissions). Refuses to replace files.
     *
     * @return the new key pair
     * @throws StrongZeroConfigException if the name is not a plain file name, or a file exists or cannot be written
     */
    static CurveKeyPair generate(Path directory, String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new StrongZeroConfigException("key name must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_' and '-', "
                    + "starting with a letter or digit, but was '" + name + "'");
        }
        CurveKeyPair pair = CurveKeyPair.generate();
        pair.writeCertificates(directory.resolve(name + ".key" + SECRET_SUFFIX), directory.resolve(name + ".key"));
        return pair;
    }

    /**
     * Runs a command line ({@code generate DIR NAME}, {@code public FILE} or {@code help}), writing to
     * {@code out} and {@code err}; returns the exit status: 0 on success, 1 on failure, 2 on bad usage.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String usage = "usage: KeyTool generate DIR NAME   write DIR/NAME.key and DIR/NAME.key_secret, print the public key\n"
                + "       KeyTool public FILE          print the public key of a certificate";
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            (args.length == 0 ? err : out).println(usage);
            return args.length == 0 ? 2 : 0;
        }
        try {
            switch (args[0]) {
                case "generate":
                    if (args.length != 3) {
                        err.println(usage);
                        return 2;
                    }
                    Path dir = Path.of(args[1]);
                    CurveKeyPair pair = generate(dir, args[2]);
                    out.println("public key:  " + pair.publicKey().z85());
                    out.println("public cert: " + dir.resolve(args[2] + ".key") + "   (give to the other side)");
                    out.println("secret cert: " + dir.resolve(args[2] + ".key" + SECRET_SUFFIX)
                            + "   (keep on this host only)");
                    return 0;
                case "public":
                    if (args.length != 2) {
                        err.println(usage);
                        return 2;
                    }
                    out.println(CurvePublicKey.load(Path.of(args[1])).z85());
                    return 0;
                default:
                    err.println("unknown command '" + args[0] + "'\n" + usage);
                    return 2;
            }
        } catch (StrongZeroException e) {
            err.println("KeyTool: " + e.getMessage());
            return 1;
        }
    }
}
