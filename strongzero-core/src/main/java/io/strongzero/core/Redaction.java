package io.strongzero.core;

import java.util.regex.Pattern;

/**
 * Removes credentials from text before it goes into an exception message or a log, such as a JDBC
 * driver's message quoting a URL: the values of {@code password=...} (also {@code pwd}, {@code passwd},
 * {@code secret-key}) parameters and the password of {@code scheme://user:password@host} become
 * {@code ***}. StrongZero redacts the messages it builds from driver errors with it; a tool or an
 * application can do the same with its own messages. Stateless and thread-safe.
 */
public final class Redaction {

    private static final Pattern PARAMETER = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret-?key|secretkey)\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&;,)'\"]+)");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/\\s:@]+:)[^/\\s@]+@");

    private Redaction() {
    }

    /**
     * The text with credential values replaced by {@code ***}.
     *
     * @param text the text to clean; may be null
     * @return the redacted text, or null if {@code text} is null
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = PARAMETER.matcher(text).replaceAll("$1***");
        return USER_INFO.matcher(out).replaceAll("$1***@");
    }
}
