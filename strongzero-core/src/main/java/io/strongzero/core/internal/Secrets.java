package io.strongzero.core.internal;

import io.strongzero.core.Redaction;
import java.sql.SQLException;

/**
 * Removes credentials from text that StrongZero puts into exception messages or logs, and from the
 * messages of SQL exceptions it wraps. The rule itself is the public {@link Redaction}.
 *
 * <p>Internal API: not for use outside StrongZero; may change without notice.
 */
public final class Secrets {

    private Secrets() {
    }

    /** The text with credential values replaced by {@code ***}; null stays null ({@link Redaction#redact}). */
    public static String redact(String text) {
        return Redaction.redact(text);
    }

    /**
     * The exception itself if neither its message nor those of its causes hold credentials; otherwise
     * a plain {@link SQLException} copy with redacted messages, the same SQL state, error code and stack
     * trace (the driver-specific subclass is lost). For exceptions StrongZero wraps, so that a logged
     * stack trace cannot show a password either.
     */
    public static SQLException scrub(SQLException e) {
        return e == null || clean(e, 0) ? e : copy(e, 0);
    }

    private static boolean clean(Throwable t, int depth) {
        if (t == null || depth > 16) {
            return true;
        }
        String m = t.getMessage();
        return (m == null || m.equals(redact(m))) && clean(t.getCause(), depth + 1)
                && (!(t instanceof SQLException s) || s.getNextException() == null || clean(s.getNextException(), depth + 1));
    }

    private static SQLException copy(Throwable t, int depth) {
        SQLException s = t instanceof SQLException q ? q : null;
        SQLException c = new SQLException(redact(t instanceof SQLException ? t.getMessage() : t.toString()),
                s == null ? null : s.getSQLState(), s == null ? 0 : s.getErrorCode());
        c.setStackTrace(t.getStackTrace());
        if (depth < 16 && t.getCause() != null && t.getCause() != t) {
            c.initCause(copy(t.getCause(), depth + 1));
        }
        if (depth < 16 && s != null && s.getNextException() != null) {
            c.setNextException(copy(s.getNextException(), depth + 1));
        }
        return c;
    }
}
