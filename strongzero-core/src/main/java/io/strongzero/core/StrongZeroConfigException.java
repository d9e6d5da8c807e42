package io.strongzero.core;

/** A configuration value is invalid or two values conflict. The message names the setting(s) and the rule. */
public class StrongZeroConfigException extends StrongZeroException {
    private static final long serialVersionUID = 1L;

    public StrongZeroConfigException(String message) {
        super(message);
    }
}
