package io.strongzero.core;

import java.util.regex.Pattern;

/**
 * The rule for producer and consumer names: 1 to 128 characters of {@code A-Z a-z 0-9 . _ : -},
 * starting with a letter or digit. Builders, the wire protocol and the admin CLI all check names with
 * it, so a name one of them accepts is accepted by all. Stateless and thread-safe.
 */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private Names() {
    }

    /**
     * True if {@code name} is a valid producer or consumer name (see {@link #rule()}).
     *
     * @param name the name to check; null is not valid
     * @return whether the name follows the rule
     */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * The rule {@link #isValid} checks, in words, for error messages ("consumer name must be " + rule()).
     *
     * @return the rule
     */
    public static String rule() {
        return "1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-', starting with a letter or digit";
    }
}
