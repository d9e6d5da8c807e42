package io.strongzero.core.internal;

import io.strongzero.core.Envelope;
import io.strongzero.core.Headers;
import io.strongzero.core.StrongZeroConfigException;

/**
 * The rules of a message's ordering key and header names ({@link Envelope#MAX_KEY_LENGTH}, {@link Headers}), in
 * one place for the sender, {@link Headers} and the decoders. Internal API.
 */
public final class MessageRules {

    private static final int SHOWN = 40;

    private MessageRules() {
    }

    /**
     * {@code key} if it is a valid ordering key: 1 to {@value Envelope#MAX_KEY_LENGTH} characters, not blank, no
     * ISO control characters; null stays null (no key).
     *
     * @throws StrongZeroConfigException naming the key (cut if long) and the rule it breaks
     */
    public static String checkKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > Envelope.MAX_KEY_LENGTH) {
            throw new StrongZeroConfigException("key must be 1 to " + Envelope.MAX_KEY_LENGTH
                    + " characters but was " + key.length() + " characters: '" + shown(key) + "'");
        }
        if (key.isBlank()) {
            throw new StrongZeroConfigException("key must not be blank but was '" + shown(key) + "'");
        }
        int control = firstControl(key);
        if (control >= 0) {
            throw new StrongZeroConfigException("key must not contain ISO control characters but '" + shown(key)
                    + "' has one at index " + control);
        }
        return key;
    }

    /**
     * Checks a header name: 1 to {@value Headers#MAX_NAME_LENGTH} characters, no ISO control characters.
     *
     * @throws StrongZeroConfigException naming the name (cut if long) and the rule it breaks
     */
    public static void checkHeaderName(String name) {
        if (name == null || name.isEmpty() || name.length() > Headers.MAX_NAME_LENGTH) {
            throw new StrongZeroConfigException("header name must be 1 to " + Headers.MAX_NAME_LENGTH
                    + " characters but was " + (name == null ? "null"
                    : name.length() + " characters: '" + shown(name) + "'"));
        }
        int control = firstControl(name);
        if (control >= 0) {
            throw new StrongZeroConfigException("header name must not contain ISO control characters but '"
                    + shown(name) + "' has one at index " + control);
        }
    }

    /** The error for a header name given twice (the same words wherever headers are built). */
    public static StrongZeroConfigException duplicateHeaderName(String name) {
        return new StrongZeroConfigException("header names must be unique but '" + shown(name) + "' is given twice");
    }

    /** A value for an error message: control characters escaped, cut to 40 characters with "..." if longer. */
    public static String shown(String value) {
        String cut = value.length() > SHOWN ? value.substring(0, SHOWN) : value;
        StringBuilder b = new StringBuilder(cut.length() + 8);
        for (int i = 0; i < cut.length(); i++) {
            char ch = cut.charAt(i);
            if (Character.isISOControl(ch)) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return value.length() > SHOWN ? b.append("...").toString() : b.toString();
    }

    private static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
