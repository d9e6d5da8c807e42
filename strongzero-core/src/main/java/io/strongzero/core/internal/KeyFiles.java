package io.strongzero.core.internal;

import io.strongzero.core.StrongZeroConfigException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes CURVE certificates in the ZeroMQ certificate format (ZPL, as {@code zmakecert},
 * czmq's {@code zcert} and jeromq's {@code ZCert} write them): a public certificate holds
 * {@code public-key}, a secret certificate holds {@code public-key} and {@code secret-key}, both
 * Z85-encoded in a {@code curve} section. Error messages name the file and the entry, never a value.
 *
 * <p>Internal API: not for use outside StrongZero; may change without notice.
 */
public final class KeyFiles {

    private static final Logger log = LoggerFactory.getLogger(KeyFiles.class);
    private static final long MAX_FILE_BYTES = 64 * 1024;
    private static final Pattern ENTRY = Pattern.compile("^\\s*([A-Za-z0-9_-]+)\\s*=\\s*(\"([^\"]*)\"|'([^']*)'|(\\S*))\\s*$");

    private KeyFiles() {
    }

    /**
     * The key entries of a certificate file: the Z85 {@code public-key} entry, and the Z85 {@code secret-key}
     * entry or null in a public certificate. {@link #toString()} never shows the secret key.
     */
    public record Certificate(String publicKey, String secretKey) {
        @Override
        public String toString() {
            return "Certificate[public-key=" + publicKey + (secretKey == null ? "" : ", secret-key=<hidden>") + "]";
        }
    }

    /**
     * Reads a certificate file.
     *
     * @throws StrongZeroConfigException if the file cannot be read, is larger than 64 KiB, has no
     *     {@code public-key} entry, or has an entry twice
     */
    public static Certificate read(Path file) {
        List<String> lines;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new StrongZeroConfigException("key file " + file + " has " + size + " bytes; a certificate has "
                        + "less than " + MAX_FILE_BYTES + ": is it the right file?");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StrongZeroConfigException("key file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "): create it with 'strongzero keys generate DIR NAME' (the admin CLI)");
        }
        String publicKey = null;
        String secretKey = null;
        for (String line : lines) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = ENTRY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String value = m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
            if (m.group(1).equals("public-key")) {
                if (publicKey != null) {
                    throw new StrongZeroConfigException("key file " + file + " has more than one public-key entry");
                }
                publicKey = value;
            } else if (m.group(1).equals("secret-key")) {
                if (secretKey != null) {
                    throw new StrongZeroConfigException("key file " + file + " has more than one secret-key entry");
                }
                secretKey = value;
            }
        }
        if (publicKey == null) {
            throw new StrongZeroConfigException("key file " + file + " has no public-key entry: it is not a ZeroMQ "
                    + "CURVE certificate; create one with 'strongzero keys generate DIR NAME' (the admin CLI)");
        }
        return new Certificate(publicKey, secretKey);
    }

    /**
     * Writes a public certificate. Refuses to replace an existing file.
     *
     * @throws StrongZeroConfigException if the file exists or cannot be written
     */
    public static void writePublic(Path file, String publicKey) {
        write(file, false, certificate("Public", List.of(
                "#   Exchange securely, or use a secure mechanism to verify the contents",
                "#   of this file after exchange. Store public certificates in your home",
                "#   directory, in the .curve subdirectory."), publicKey, null));
    }

    /**
     * Writes a secret certificate readable by its owner only (on file systems with POSIX permissions).
     * Refuses to replace an existing file.
     *
     * @throws StrongZeroConfigException if the file exists or cannot be written
     */
    public static void writeSecret(Path file, String publicKey, String secretKey) {
        write(file, true, certificate("**Secret**", List.of(
                "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions."), publicKey, secretKey));
    }

    /** The lines of a ZeroMQ certificate (the layout zmq_cert writes): header, advice, then the key entries. */
    private static List<String> certificate(String kind, List<String> advice, String publicKey, String secretKey) {
        List<String> lines = new ArrayList<>();
        lines.add("#   ****  Generated " + now() + " by StrongZero KeyTool  ****");
        lines.add("#   ZeroMQ CURVE " + kind + " Certificate");
        lines.addAll(advice);
        lines.addAll(List.of("", "metadata", "curve", "    public-key = \"" + publicKey + "\""));
        if (secretKey != null) {
            lines.add("    secret-key = \"" + secretKey + "\"");
        }
        return lines;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void write(Path file, boolean secret, List<String> lines) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean posix = Files.getFileStore(parent != null ? parent : file).supportsFileAttributeView("posix");
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                            secret ? "rw-------" : "rw-r--r--"))}
                    : new FileAttribute<?>[0];
            Files.createFile(file, attributes);
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (String line : lines) {
                    w.write(line);
                    w.write('\n');
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new StrongZeroConfigException("key file " + file + " already exists: refusing to replace a key; "
                    + "move it away first");
        } catch (IOException e) {
            throw new StrongZeroConfigException("key file " + file + " cannot be written (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
        }
    }

    /** Logs a WARN if a secret certificate can be read by other users than its owner (POSIX file systems). */
    public static void warnIfExposed(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                    || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                log.warn("strongzero: secret key file {} is accessible to other users ({}): run 'chmod 600 {}'", file,
                        PosixFilePermissions.toString(p), file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or the permissions cannot be read: nothing to check
        }
    }
}
