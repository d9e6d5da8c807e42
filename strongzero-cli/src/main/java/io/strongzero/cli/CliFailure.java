package io.strongzero.cli;

import java.util.LinkedHashSet;
import java.util.Set;

/** An operation that failed (database unreachable, no such consumer, producer or dead letter): exit code 1. */
final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message);
    }

    CliFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** One line: the messages of a failure and its causes, without repeats, whitespace collapsed. */
    static String describe(Throwable failure) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                m = t.getClass().getSimpleName();
            }
            m = m.replaceAll("\\s+", " ").trim();
            boolean contained = false;
            for (String p : parts) {
                if (p.contains(m)) {
                    contained = true;
                    break;
                }
            }
            if (!contained) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }
}
